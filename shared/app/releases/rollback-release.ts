import { type AuditOptions, cleanActor, UNNAMED_OPERATOR, withActor } from '../../domain/delivery/audit-actor.ts';
import { releaseStatusContext, shortSha } from '../../domain/naming.ts';
import { type DeploymentView, rolloutProgress } from '../../domain/release/deployment-view.ts';
import { planRollback } from '../../domain/release/plan-rollback.ts';
import { environmentTargets } from '../../domain/release/release-targets.ts';
import { findEnvironment } from './find-environment.ts';
import type { ReleaseDeps, ReleaseRunOptions } from './release-deps.ts';
import { openGithubDeployment } from './report-release.ts';
import { applyChanges, describeChange, type TickOutcome, tickEnvironment } from './tick-environment.ts';

export interface RollbackResult {
  app: string;
  environment: string;
  action: 'rolled-back' | 'planned' | 'skipped';
  fromSha?: string;
  toSha?: string;
  image?: string;
  reason?: string;
  githubDeploymentId?: number;
  tick?: TickOutcome;
}

/**
 * `switchyard rollback <app> <env> [--to <sha>]`: redeploys the previous (or named) release from the
 * history kept on the Deployments, without a rebuild, as a GitHub deployment of the target commit
 * (payload.rollbackOf names the commit it replaces; that commit's status says it was rolled back).
 */
export async function rollback(
  deps: ReleaseDeps,
  appName: string,
  envName: string,
  toSha?: string,
  options: ReleaseRunOptions & AuditOptions = {},
): Promise<RollbackResult> {
  const actor = cleanActor(options.actor) ?? UNNAMED_OPERATOR;
  const { app, env } = findEnvironment(deps.apps, appName, envName);
  const cluster = await deps.cluster(app.cluster);
  const names = environmentTargets(env).map((t) => t.name);
  const base = { app: app.name, environment: env.name };
  const plan = () =>
    cluster.getDeployments(env.namespace, names).then((current) => ({
      current,
      plan: planRollback(env, current, {
        now: deps.clock.now(),
        ...(toSha ? { toSha } : {}),
        ...(id === undefined ? {} : { githubDeploymentId: id }),
        ...(actor ? { by: actor } : {}),
      }),
    }));
  let id: number | undefined;
  let { plan: p } = await plan();
  deps.logger.info('rollback plan', {
    ...base,
    dryRun: options.dryRun === true,
    by: actor ?? 'automatic',
    ...(p.action === 'rollback'
      ? { from: p.fromSha, to: p.toSha, changes: p.changes.map(describeChange) }
      : { skip: p.reason }),
  });
  if (p.action === 'skip') return { ...base, action: 'skipped', reason: p.reason };
  if (options.dryRun) return { ...base, action: 'planned', fromSha: p.fromSha, toSha: p.toSha, image: p.image };
  id = await openGithubDeployment(deps, {
    repo: app.repo,
    app: app.name,
    environment: env.name,
    production: env.production,
    sha: p.toSha,
    image: p.image,
    description: `Rollback of ${env.name} from ${shortSha(p.fromSha) || 'unknown'} to ${shortSha(p.toSha)}`,
    rollbackOf: p.fromSha,
    ...(actor ? { actor } : {}),
  });
  ({ plan: p } = await plan());
  for (let attempt = 0; p.action === 'rollback'; attempt++) {
    const { conflicts } = await applyChanges(deps, cluster, p.changes);
    if (conflicts === 0) break;
    if (attempt >= 2)
      return { ...base, action: 'skipped', reason: 'Deployments kept changing; run the rollback again' };
    ({ plan: p } = await plan());
  }
  if (p.action === 'skip') return { ...base, action: 'skipped', reason: p.reason };
  if (p.fromSha) {
    await deps.scm
      .setCommitStatus({
        repo: app.repo,
        sha: p.fromSha,
        context: releaseStatusContext(env.name),
        state: 'failure',
        description: withActor(`Rolled back to ${shortSha(p.toSha)}`, actor),
      })
      .catch((error: unknown) =>
        deps.logger.warn('could not report the rollback to GitHub', { ...base, error: String(error) }),
      );
  }
  const out: RollbackResult = {
    ...base,
    action: 'rolled-back',
    fromSha: p.fromSha,
    toSha: p.toSha,
    image: p.image,
    ...(id === undefined ? {} : { githubDeploymentId: id }),
  };
  if (options.deadline !== undefined && options.deadline > Date.now()) {
    const targets = p.changes.filter((c) => c.apply).map((c) => c.name);
    await cluster.waitForDeployments(
      env.namespace,
      targets,
      (views) => targets.every((n) => settled(views.get(n))),
      options.deadline,
    );
    out.tick = await tickEnvironment(deps, app, env, options);
  }
  return out;
}

function settled(d: DeploymentView | undefined): boolean {
  if (!d) return false;
  const progress = rolloutProgress(d);
  return progress.done || progress.failed !== undefined;
}
