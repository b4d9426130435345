import type { EnvironmentConfig } from '../../config/release-schema.ts';
import type { AppConfig } from '../../config/schema.ts';
import { onBranchReason, releaseOrder } from '../../domain/ci/commit-order.ts';
import { releaseStatusContext, shortSha } from '../../domain/naming.ts';
import type { DeploymentView } from '../../domain/release/deployment-view.ts';
import { rolloutProgress } from '../../domain/release/deployment-view.ts';
import { planRelease, type ReleaseRequest, releaseGate } from '../../domain/release/plan-release.ts';
import { readRelease } from '../../domain/release/release-record.ts';
import { entryTargets, environmentTargets } from '../../domain/release/release-targets.ts';
import type { CommitState } from '../../ports/scm.ts';
import type { CommitFacts } from './commit-facts.ts';
import { recordRefusal } from './record-refusal.ts';
import type { ReleaseDeps, ReleaseRunOptions } from './release-deps.ts';
import { openGithubDeployment } from './report-release.ts';
import { applyChanges, describeChange, type TickOutcome, tickEnvironment } from './tick-environment.ts';

export interface EnvironmentRelease {
  app: string;
  environment: string;
  sha: string;
  /**
   * deployed: applied; planned: dry run; waiting: CI not finished; refused: the commit may not run here
   * (CI failed, not on the branch, older than what runs); skipped: nothing to do (see reason).
   */
  action: 'deployed' | 'planned' | 'waiting' | 'refused' | 'skipped';
  reason?: string;
  image?: string;
  deployments: string[];
  githubDeploymentId?: number;
  /** What the wait within the invocation saw, when a deadline was given. */
  tick?: TickOutcome;
  rolledOut?: boolean;
}

export interface CommitToRelease {
  sha: string;
  image: string;
  /** Source time of the news (kept in the record for people; never orders anything). */
  eventTime: string;
  deliveryId: string;
  /** An operator named the commit: it may be older than, or diverge from, what runs, or rolled back. */
  force?: boolean;
  /** The result of the signed CI notification this delivery carries (counts as one check). */
  notified?: 'success' | 'failure';
}

/**
 * Releases one commit to one environment when GitHub confirms it may run there, cheapest checks
 * first: the Deployments (no GitHub read when it already runs), the branch, the CI verdict, then the
 * order against what runs. Every refusal is logged with its reason; those about a commit of the
 * branch also go to the commit status, and order refusals to `switchyard release status`.
 */
export async function releaseCommit(
  deps: ReleaseDeps,
  facts: CommitFacts,
  app: AppConfig,
  env: EnvironmentConfig,
  commit: CommitToRelease,
  options: ReleaseRunOptions,
): Promise<EnvironmentRelease> {
  const { sha, image } = commit;
  const base = { app: app.name, environment: env.name, sha, image };
  const log = { ...base, deliveryId: commit.deliveryId, dryRun: options.dryRun === true };
  const stop = (action: EnvironmentRelease['action'], reason: string): EnvironmentRelease => {
    deps.logger.info(`release ${action}`, { ...log, reason });
    return { ...base, action, reason, deployments: [] };
  };
  const cluster = await deps.cluster(app.cluster);
  const names = environmentTargets(env).map((t) => t.name);
  let current = await cluster.getDeployments(env.namespace, names);
  const gate = releaseGate(env, current, sha, commit.force);
  if (!gate.proceed) return stop('skipped', gate.reason);

  // The branch first: most CI events are about pull request commits, and one read settles those.
  const branchReason = onBranchReason(await facts.compare(app.repo, env.branch, sha), sha, env.branch);
  if (branchReason) return stop('skipped', branchReason);
  const verdict = await facts.verdict(app.repo, sha, env, commit.notified);
  if (verdict.state === 'pending') return stop('waiting', verdict.reason);
  const report = (state: CommitState, description: string) =>
    options.dryRun
      ? Promise.resolve()
      : setReleaseStatus(
          deps,
          app.repo,
          sha,
          env.name,
          state,
          description,
          verdict.state === 'failure' ? verdict.url : null,
        );
  if (verdict.state === 'failure') {
    // A commit released here before keeps the status it earned (a failed re-run of an old commit).
    if (!releasedBefore(current, sha)) await report('failure', `Not deployed: ${verdict.reason}`);
    return stop('refused', verdict.reason);
  }

  const relation = new Map(
    await Promise.all(gate.compareWith.map(async (r) => [r, await facts.compare(app.repo, r, sha)] as const)),
  );
  const order = gate.compareWith.map((r) => releaseOrder(relation.get(r) ?? null, sha, r)).find((o) => !o.deploy);
  if (order && !order.deploy) {
    // Older or diverged: say so where people look, but never over a status this commit earned here before.
    if (!options.dryRun) {
      if (!releasedBefore(current, sha)) await report('failure', `Not deployed: ${order.reason}`);
      await recordRefusal(deps, cluster, env, current, { sha, reason: order.reason });
    }
    return stop('refused', order.reason);
  }
  const request = (extra: Partial<ReleaseRequest> = {}): ReleaseRequest => ({
    sha,
    image,
    eventTime: commit.eventTime,
    now: deps.clock.now(),
    relation,
    ...(commit.force ? { force: true } : {}),
    ...extra,
  });
  let plan = planRelease(env, current, request());
  deps.logger.info('release plan', {
    ...log,
    verdict: verdict.reason,
    ...(plan.action === 'deploy' ? { changes: plan.changes.map(describeChange) } : { skip: plan.reason }),
  });
  if (plan.action === 'skip') return stop('skipped', plan.reason);
  const deployments = plan.changes.map((c) => c.name);
  if (options.dryRun) return { ...base, action: 'planned', deployments };

  const githubDeploymentId = await openGithubDeployment(deps, {
    repo: app.repo,
    app: app.name,
    environment: env.name,
    production: env.production,
    sha,
    image,
    description: `Deploying ${shortSha(sha)} to ${env.name}`,
    reuseExisting: true,
  });
  const withId = () => request(githubDeploymentId === undefined ? {} : { githubDeploymentId });
  plan = planRelease(env, current, withId());
  for (let attempt = 0; plan.action === 'deploy'; attempt++) {
    // Plain Deployments of one environment are independent too; tracks and gray keep their order.
    const plain = !env.tracks?.length && !env.gray;
    const { conflicts } = await applyChanges(deps, cluster, plan.changes, plain ? PARALLEL_WRITES : 1);
    if (conflicts === 0) break;
    if (attempt >= 2) {
      return {
        ...base,
        action: 'skipped',
        reason: 'Deployments kept changing while applying; the next notification or tick retries',
        deployments,
      };
    }
    // Someone wrote between our read and our write: read again and plan again (it may now be stale).
    current = await cluster.getDeployments(env.namespace, names);
    plan = planRelease(env, current, withId());
  }
  if (plan.action === 'skip') return { ...base, action: 'skipped', reason: plan.reason, deployments: [] };
  const out: EnvironmentRelease = {
    ...base,
    action: 'deployed',
    deployments,
    ...(githubDeploymentId === undefined ? {} : { githubDeploymentId }),
  };
  if (options.deadline === undefined || options.deadline <= Date.now()) return out;

  const entry = entryTargets(env).map((t) => t.name);
  const waited = await cluster.waitForDeployments(
    env.namespace,
    entry,
    (views) => entry.every((n) => settled(views.get(n))),
    options.deadline,
  );
  out.rolledOut = waited.met && entry.every((n) => rolloutProgress(waited.deployments.get(n)!).done);
  out.tick = await tickEnvironment(deps, app, env, options);
  return out;
}

/** Concurrent writes per environment: enough to hide API latency, few enough not to crowd the API server. */
const PARALLEL_WRITES = 8;

/** The rollout finished one way or the other, for the image we applied (generation observed). */
function settled(d: DeploymentView | undefined): boolean {
  if (!d) return false;
  const progress = rolloutProgress(d);
  return progress.done || progress.failed !== undefined;
}

function releasedBefore(current: ReadonlyMap<string, DeploymentView | null>, sha: string): boolean {
  return [...current.values()].some((d) => d !== null && readRelease(d.annotations).history.some((h) => h.sha === sha));
}

/** Reporting never stops a release decision: a GitHub failure is logged, the next event reports again. */
async function setReleaseStatus(
  deps: ReleaseDeps,
  repo: string,
  sha: string,
  environment: string,
  state: CommitState,
  description: string,
  url: string | null,
): Promise<void> {
  try {
    await deps.scm.setCommitStatus({
      repo,
      sha,
      context: releaseStatusContext(environment),
      state,
      description,
      ...(url ? { targetUrl: url } : {}),
    });
  } catch (error) {
    deps.logger.warn('could not report the release decision to GitHub', {
      repo,
      sha,
      environment,
      error: String(error),
    });
  }
}
