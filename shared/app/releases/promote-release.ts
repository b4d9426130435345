import { type AuditOptions, cleanActor, UNNAMED_OPERATOR, withActor } from '../../domain/delivery/audit-actor.ts';
import type { DeploymentView } from '../../domain/release/deployment-view.ts';
import { readRelease } from '../../domain/release/release-record.ts';
import { environmentTargets } from '../../domain/release/release-targets.ts';
import { recordChange } from '../../domain/release/track-promotion.ts';
import { ConflictError } from '../../errors.ts';
import { findEnvironment } from './find-environment.ts';
import type { ReleaseDeps, ReleaseRunOptions } from './release-deps.ts';
import { type TickOutcome, tickEnvironment } from './tick-environment.ts';

export interface PromoteResult {
  app: string;
  environment: string;
  /** The track (or gray canary) whose gate was passed; null when no release was waiting. */
  promoted: string | null;
  sha?: string;
  reason?: string;
  tick?: TickOutcome;
}

/**
 * `switchyard release promote <app> <env>`: passes the manual gate of the track (or gray step) the
 * release is on, then runs a tick so it moves at once when baked. The gate is recorded on the
 * Deployment with a resourceVersion precondition (read again on a conflict), with who passed it, and
 * the GitHub deployment gets an `in_progress` status saying so (the audit trail).
 */
export async function promoteRelease(
  deps: ReleaseDeps,
  appName: string,
  envName: string,
  options: ReleaseRunOptions & AuditOptions = {},
): Promise<PromoteResult> {
  const actor = cleanActor(options.actor) ?? UNNAMED_OPERATOR;
  const { app, env } = findEnvironment(deps.apps, appName, envName);
  const cluster = await deps.cluster(app.cluster);
  const targets = environmentTargets(env);
  const base = { app: app.name, environment: env.name };
  for (let attempt = 0; ; attempt++) {
    const current = await cluster.getDeployments(
      env.namespace,
      targets.map((t) => t.name),
    );
    const gate = gateOf(
      targets.filter((t) => t.role === 'track' || t.role === 'canary').map((t) => current.get(t.name) ?? null),
    );
    if (!gate) return { ...base, promoted: null, reason: 'no release is in progress on a track or gray step here' };
    const { record, history } = readRelease(gate.annotations);
    if (!record) return { ...base, promoted: null, reason: 'no release recorded' };
    const where = targets.find((t) => t.name === gate.name)?.track ?? gate.name;
    deps.logger.info('release promote', {
      ...base,
      deployment: gate.name,
      sha: record.sha,
      dryRun: options.dryRun === true,
      by: actor ?? 'automatic',
    });
    if (options.dryRun) return { ...base, promoted: where, sha: record.sha };
    try {
      await cluster.applyChange(
        recordChange(
          gate,
          { ...record, gate: true, ...(actor ? { gateBy: actor } : {}) },
          { history, historyLimit: env.historyLimit },
        ),
      );
    } catch (error) {
      if (error instanceof ConflictError && attempt < 2) continue;
      throw error;
    }
    if (record.githubDeploymentId !== undefined) {
      await deps.scm
        .setDeploymentStatus({
          repo: app.repo,
          deploymentId: record.githubDeploymentId,
          state: 'in_progress',
          description: withActor(`Manual gate passed at ${where}`, actor),
        })
        .catch((error: unknown) =>
          deps.logger.warn('could not report the manual gate to GitHub', { ...base, error: String(error) }),
        );
    }
    const tick = await tickEnvironment(deps, app, env, options);
    return { ...base, promoted: where, sha: record.sha, tick };
  }
}

/** The Deployment the release is on now: the last of the chain carrying the first one's sha, still in progress. */
function gateOf(chain: readonly (DeploymentView | null)[]): DeploymentView | null {
  const lead = chain[0] ? readRelease(chain[0].annotations).record : null;
  let gate: DeploymentView | null = null;
  for (const d of chain) {
    const record = d ? readRelease(d.annotations).record : null;
    if (!d || !record || !lead || record.sha !== lead.sha) break;
    if (record.state === 'rolling' || record.state === 'baking' || record.state === 'waiting') gate = d;
  }
  return gate;
}
