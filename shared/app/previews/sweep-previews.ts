import { type JanitorDeletion, type JanitorReason, planJanitor } from '../../domain/preview/plan-janitor.ts';
import { listPreviewRecords } from './list-previews.ts';
import { allPreviewApps, type PreviewDeps, type PreviewRunOptions } from './preview-deps.ts';
import { teardownPreview } from './teardown-preview.ts';

export interface SweepResult {
  scanned: number;
  kept: number;
  planned: JanitorDeletion[];
  deleted: JanitorDeletion[];
  failed: Array<JanitorDeletion & { error: string }>;
  /** Planned removals left for the next run (deletion budget or deadline reached). */
  deferred: JanitorDeletion[];
  /** Repositories whose open PRs could not be listed (their previews were not judged closed). */
  unlistedRepos: string[];
  byReason: Partial<Record<JanitorReason, number>>;
  dryRun: boolean;
}

const REASON_TEXT: Record<JanitorReason, string> = {
  'pr-not-open': 'the pull request is no longer open',
  idle: 'idle past its time to live',
  'over-cap': 'more previews than the cap allows (oldest removed first)',
  unconfigured: 'the app no longer has previews configured',
};

/**
 * previewJanitor: the list of open PRs is the truth. Previews of PRs that are closed or gone (a lost
 * close webhook), idle past their TTL, or beyond the per-app cap are removed; each removal stands
 * alone, so one failure never stops the sweep (Jenkins X's GC aborted on the first error, jx#8075).
 */
export async function sweepPreviews(deps: PreviewDeps, opts: PreviewRunOptions = {}): Promise<SweepResult> {
  const dryRun = opts.dryRun ?? false;
  const apps = allPreviewApps(deps.config);
  const found = await listPreviewRecords(deps);
  const openPrs = new Map<string, Set<number>>();
  const unlistedRepos: string[] = [];
  for (const repo of [...new Set(apps.map((a) => a.repo.toLowerCase()))]) {
    try {
      openPrs.set(repo, new Set((await deps.scm.listOpenPullRequests(repo)).map((p) => p.number)));
    } catch (error) {
      unlistedRepos.push(repo);
      deps.logger.warn('could not list open PRs; skipping the closed-PR check for this repo', {
        repo,
        error: (error as Error).message,
      });
    }
  }
  const now = deps.clock.now();
  const plan = planJanitor({
    previews: found.map((f) => f.record),
    openPrs,
    apps: new Map(apps.map((a) => [a.name, { repo: a.repo, preview: a.preview }])),
    now,
  });
  deps.logger.info('janitor plan', {
    scanned: found.length,
    deletions: plan.deletions.map((d) => ({ namespace: d.namespace, reason: d.reason })),
    dryRun,
  });
  const result: SweepResult = {
    scanned: found.length,
    kept: plan.kept,
    planned: plan.deletions,
    deleted: [],
    failed: [],
    deferred: [],
    unlistedRepos,
    byReason: {},
    dryRun,
  };
  for (const d of plan.deletions) result.byReason[d.reason] = (result.byReason[d.reason] ?? 0) + 1;
  if (!dryRun) {
    const byNamespace = new Map(found.map((f) => [f.record.namespace, f]));
    const appsByName = new Map(apps.map((a) => [a.name, a]));
    // With GitHub's write pacing each removal costs ~3 s (inactive status, comment): the Lambda deadline
    // bounds a run, so a backlog is worked off over several runs, closed PRs first.
    const budget = opts.maxDeletions ?? Number.POSITIVE_INFINITY;
    for (const d of plan.deletions) {
      const outOfTime = opts.deadline !== undefined && deps.clock.now().getTime() >= opts.deadline;
      if (result.deleted.length + result.failed.length >= budget || outOfTime) {
        result.deferred.push(d);
        continue;
      }
      const entry = byNamespace.get(d.namespace);
      if (!entry) continue;
      try {
        await teardownPreview(
          deps,
          appsByName.get(d.app),
          deps.cluster(entry.cluster),
          entry.record,
          REASON_TEXT[d.reason],
          now.toISOString(),
        );
        result.deleted.push(d);
      } catch (error) {
        result.failed.push({ ...d, error: (error as Error).message });
        deps.logger.error('janitor could not remove a preview', {
          namespace: d.namespace,
          error: (error as Error).message,
        });
      }
    }
  }
  deps.logger.info('janitor summary', {
    scanned: result.scanned,
    kept: result.kept,
    deleted: result.deleted.length,
    failed: result.failed.length,
    deferred: result.deferred.length,
    byReason: result.byReason,
    unlistedRepos,
    dryRun,
  });
  return result;
}
