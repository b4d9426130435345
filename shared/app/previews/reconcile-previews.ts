import { type PreviewPlan, planReconcile } from '../../domain/preview/plan-preview.ts';
import type { PreviewRecord } from '../../domain/preview/preview-record.ts';
import { AuthError, NotFoundError } from '../../errors.ts';
import type { CiState, PullRequestInfo } from '../../ports/scm.ts';
import { executePlan, type PreviewResult } from './execute-plan.ts';
import { listPreviewRecords } from './list-previews.ts';
import { allPreviewApps, type PreviewApp, type PreviewDeps, type PreviewRunOptions } from './preview-deps.ts';
import { readCiState, readPreviewState } from './read-preview-state.ts';
import { hostOf } from './report-rollout.ts';

export interface ReconcileOptions extends PreviewRunOptions {
  /** At most this many previews are repaired per run (default 25); the rest wait for the next run. */
  maxRepairs?: number | undefined;
}

export interface ReconcileResult {
  scanned: number;
  /** Previews whose DNS record was checked and found in place. */
  checked: number;
  /** Previews a plan was carried out for (or, on a dry run, planned for). */
  repaired: PreviewResult[];
  /** Previews whose PR GitHub would not show (404, 401, 403): kept, never torn down. */
  unknown: Array<{ app: string; pr: number; reason: string }>;
  /** Previews with something to repair left for the next run (budget or deadline reached). */
  deferred: Array<{ app: string; pr: number; steps: string[] }>;
  failures: Array<{ app: string; pr: number; error: string }>;
  dryRun: boolean;
}

const DEFAULT_MAX_REPAIRS = 25;
/** A claim written without a lease (by an older version) is presumed in flight this long. */
const LEASE_FALLBACK_MS = 6 * 60_000;

/** Unfinished claims first (objects may be missing), then unreported rollouts, then the rest. */
function urgency(r: PreviewRecord): number {
  if (r.headSha !== null && r.headSha !== r.deployedSha) return 0;
  if (r.deployedSha !== null && r.reportedSha !== r.deployedSha) return 1;
  return 2;
}

/**
 * The schedule's reconcile loop (rolloutWatcher): every preview is read, compared with its PR as
 * GitHub reports it now, and whatever a lost event or a fault left behind is repaired through the
 * same executor as webhooks use. GitHub is asked once per repository (the open PRs) plus once per
 * preview whose PR is not among them; a PR GitHub will not show is "unknown", never "gone". Bounded
 * by a repair budget and the Lambda deadline; one preview's failure never stops the others.
 */
export async function reconcilePreviews(deps: PreviewDeps, opts: ReconcileOptions = {}): Promise<ReconcileResult> {
  const dryRun = opts.dryRun ?? false;
  const apps = new Map(allPreviewApps(deps.config).map((a) => [a.name, a]));
  const found = (await listPreviewRecords(deps)).map((f) => f.record);
  const result: ReconcileResult = {
    scanned: found.length,
    checked: 0,
    repaired: [],
    unknown: [],
    deferred: [],
    failures: [],
    dryRun,
  };
  const open = await openPullRequests(deps, [...new Set([...apps.values()].map((a) => a.repo))]);
  const budget = opts.maxRepairs ?? DEFAULT_MAX_REPAIRS;

  for (const record of [...found].sort((a, b) => urgency(a) - urgency(b) || a.namespace.localeCompare(b.namespace))) {
    const app = apps.get(record.app);
    if (!app || record.deleting) continue;
    const fail = (error: unknown) => {
      result.failures.push({ app: app.name, pr: record.pr, error: (error as Error).message });
      deps.logger.error('preview reconcile failed', { app: app.name, pr: record.pr, error: (error as Error).message });
    };
    try {
      const pr = await pullRequestOf(deps, app, record, open);
      if (pr === null) {
        result.unknown.push({ app: app.name, pr: record.pr, reason: 'GitHub did not show the pull request' });
        continue;
      }
      const now = deps.clock.now();
      const moved = pr.state === 'open' && pr.headSha !== record.headSha;
      // The policy is only judged again for a new head; a claim already made was judged when it was made.
      const state = moved
        ? await readPreviewState(deps, app, app.repo, record.pr, pr, record)
        : {
            app,
            repo: app.repo,
            prNumber: record.pr,
            namespace: record.namespace,
            cluster: deps.cluster(app.cluster),
            pr,
            record,
            decision: null,
          };
      const ciState: CiState | null =
        moved && state.decision?.allow ? await readCiState(deps, app.repo, pr.headSha) : null;
      const plan: PreviewPlan = planReconcile({
        app: { ...app, dns: app.preview.dns !== undefined },
        record,
        pr,
        decision: state.decision,
        ciState,
        host: hostOf(app, record),
        now,
        leaseFallbackMs: LEASE_FALLBACK_MS,
      });
      if (plan.steps.length === 0) continue;
      const outOfTime = opts.deadline !== undefined && now.getTime() >= opts.deadline;
      if (result.repaired.length >= budget || outOfTime) {
        result.deferred.push({ app: app.name, pr: record.pr, steps: plan.steps.map((s) => s.kind) });
        continue;
      }
      const done = await executePlan(deps, state, plan, now.toISOString(), opts);
      // A check that found everything in place is no repair (and does not count against the budget).
      if (done.dryRun || !done.done.every((d) => d.kind === 'ensure-dns' && !d.written)) result.repaired.push(done);
      else result.checked++;
    } catch (error) {
      fail(error);
    }
  }
  deps.logger.info('preview reconcile summary', {
    scanned: result.scanned,
    repaired: result.repaired.map((r) => ({ app: r.app, pr: r.pr, steps: r.plan.steps.map((s) => s.kind) })),
    unknown: result.unknown.length,
    deferred: result.deferred.length,
    failures: result.failures.length,
    dryRun,
  });
  return result;
}

type OpenPulls = Map<string, Map<number, PullRequestInfo> | null>;

/** The open PRs of each repository, or null for a repository GitHub would not list. */
async function openPullRequests(deps: PreviewDeps, repos: string[]): Promise<OpenPulls> {
  const out: OpenPulls = new Map();
  for (const repo of repos) {
    try {
      out.set(repo.toLowerCase(), new Map((await deps.scm.listOpenPullRequests(repo)).map((p) => [p.number, p])));
    } catch (error) {
      out.set(repo.toLowerCase(), null);
      deps.logger.warn('could not list open PRs; their previews are judged one by one', {
        repo,
        error: (error as Error).message,
      });
    }
  }
  return out;
}

/**
 * The PR of a preview: from the open list, or asked for by number when it is not in it (only GitHub
 * saying "closed" tears a preview down). Null when GitHub will not show it: 404 for a token or App
 * that lost access, 401 or 403 for refused credentials.
 */
async function pullRequestOf(
  deps: PreviewDeps,
  app: PreviewApp,
  record: PreviewRecord,
  open: OpenPulls,
): Promise<PullRequestInfo | null> {
  const listed = open.get(app.repo.toLowerCase())?.get(record.pr);
  if (listed) return listed;
  try {
    return await deps.scm.getPullRequest(app.repo, record.pr);
  } catch (error) {
    if (error instanceof NotFoundError || error instanceof AuthError) return null;
    throw error;
  }
}
