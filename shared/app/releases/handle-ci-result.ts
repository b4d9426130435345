import type { EnvironmentConfig } from '../../config/release-schema.ts';
import type { AppConfig } from '../../config/schema.ts';
import type { CiResultIntent } from '../../domain/intents.ts';
import { shortSha } from '../../domain/naming.ts';
import type { DeploymentView } from '../../domain/release/deployment-view.ts';
import { rolloutProgress } from '../../domain/release/deployment-view.ts';
import { planRelease } from '../../domain/release/plan-release.ts';
import { entryTargets, environmentTargets } from '../../domain/release/release-targets.ts';
import type { ReleaseDeps, ReleaseRunOptions } from './release-deps.ts';
import { openGithubDeployment } from './report-release.ts';
import { applyChanges, describeChange, type TickOutcome, tickEnvironment } from './tick-environment.ts';

export interface EnvironmentRelease {
  app: string;
  environment: string;
  sha: string;
  /** deployed: applied; planned: dry run; skipped: nothing to do (see reason). */
  action: 'deployed' | 'planned' | 'skipped';
  reason?: string;
  image?: string;
  deployments: string[];
  githubDeploymentId?: number;
  /** What the wait within the invocation saw, when a deadline was given. */
  tick?: TickOutcome;
  rolledOut?: boolean;
}

export interface CiReleaseResult {
  sha: string;
  environments: EnvironmentRelease[];
}

/**
 * Deploy on a tested merge: a successful CI result for a branch puts its image on every environment
 * bound to that branch (entry Deployments only: first track, gray canary). Older or duplicate
 * notifications change nothing. With a deadline, waits for the rollouts (list then watch) and runs one
 * watcher tick so a fast release is reported at once; otherwise rolloutWatcher takes it from here.
 */
export async function handleCiResult(
  deps: ReleaseDeps,
  intent: CiResultIntent,
  options: ReleaseRunOptions = {},
): Promise<CiReleaseResult> {
  const result: CiReleaseResult = { sha: intent.sha, environments: [] };
  if (intent.result !== 'success' || intent.branch === null) return result;
  const work = deps.apps
    .filter((a) => a.repo.toLowerCase() === intent.repo.toLowerCase())
    .flatMap((app) => app.environments.filter((e) => e.branch === intent.branch).map((env) => ({ app, env })));
  // Environments are independent (their own namespaces, GitHub deployments and statuses): in parallel.
  result.environments = await Promise.all(
    work.map(({ app, env }) => releaseEnvironment(deps, app, env, intent, options)),
  );
  return result;
}

async function releaseEnvironment(
  deps: ReleaseDeps,
  app: AppConfig,
  env: EnvironmentConfig,
  intent: CiResultIntent,
  options: ReleaseRunOptions,
): Promise<EnvironmentRelease> {
  const image = intent.image ?? `${app.image}:${intent.sha}`;
  const base = { app: app.name, environment: env.name, sha: intent.sha, image };
  const cluster = await deps.cluster(app.cluster);
  const names = environmentTargets(env).map((t) => t.name);
  const request = () => ({ sha: intent.sha, image, eventTime: intent.eventTime, now: deps.clock.now() });
  let current = await cluster.getDeployments(env.namespace, names);
  let plan = planRelease(env, current, request());
  deps.logger.info('release plan', {
    ...base,
    deliveryId: intent.deliveryId,
    dryRun: options.dryRun === true,
    ...(plan.action === 'deploy' ? { changes: plan.changes.map(describeChange) } : { skip: plan.reason }),
  });
  if (plan.action === 'skip') return { ...base, action: 'skipped', reason: plan.reason, deployments: [] };
  const deployments = plan.changes.map((c) => c.name);
  if (options.dryRun) return { ...base, action: 'planned', deployments };

  const githubDeploymentId = await openGithubDeployment(deps, {
    repo: app.repo,
    app: app.name,
    environment: env.name,
    production: env.production,
    sha: intent.sha,
    image,
    description: `Deploying ${shortSha(intent.sha)} to ${env.name}`,
  });
  const withId = () => ({ ...request(), ...(githubDeploymentId === undefined ? {} : { githubDeploymentId }) });
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
