import type { EnvironmentConfig } from '../../config/release-schema.ts';
import type { DeploymentView } from './deployment-view.ts';
import { imagesOf } from './deployment-view.ts';
import type { DeploymentChange } from './release-plan.ts';
import {
  type HistoryEntry,
  markRolledBack,
  pushHistory,
  type ReleaseRecord,
  readRelease,
  releaseAnnotations,
} from './release-record.ts';
import { environmentTargets, type ReleaseTarget } from './release-targets.ts';

/**
 * The release to go back to: the named sha when given (even one that was rolled back: the operator
 * asked), otherwise the newest entry that is neither the current release nor one already rolled back.
 */
export function selectRollbackTarget(
  history: readonly HistoryEntry[],
  currentSha: string | undefined,
  toSha?: string,
): HistoryEntry | null {
  if (toSha) {
    const wanted = toSha.toLowerCase();
    return history.find((h) => h.sha !== '' && h.sha.startsWith(wanted)) ?? null;
  }
  return history.find((h) => h.sha !== currentSha && !h.rolledBack) ?? null;
}

export type RollbackPlan =
  | { action: 'rollback'; fromSha: string; toSha: string; image: string; changes: DeploymentChange[] }
  | { action: 'skip'; reason: string };

/**
 * Puts every Deployment of the environment (each track; gray stable with all replicas and the canary at
 * zero) back on a release from history, without a rebuild. The rollback is a release of its own
 * (`rollbackOf`), watched like any other, and never itself rolled back automatically.
 */
export function planRollback(
  env: EnvironmentConfig,
  current: ReadonlyMap<string, DeploymentView | null>,
  opts: { now: Date; toSha?: string; githubDeploymentId?: number; by?: string },
): RollbackPlan {
  const targets = environmentTargets(env).filter((t) => t.role !== 'canary');
  const canaryTarget = environmentTargets(env).find((t) => t.role === 'canary');
  const first = targets[0];
  const firstDeployment = first ? current.get(first.name) : null;
  if (!first || !firstDeployment)
    return { action: 'skip', reason: `Deployment ${env.namespace}/${first?.name} not found` };
  const lead = readRelease(firstDeployment.annotations);
  const target = selectRollbackTarget(lead.history, lead.record?.sha, opts.toSha);
  if (!target) {
    return {
      action: 'skip',
      reason: opts.toSha
        ? `${opts.toSha} is not in the release history of ${env.namespace}/${first.name}`
        : `no earlier release in the history of ${env.namespace}/${first.name}`,
    };
  }
  const fromSha = lead.record?.sha ?? '';
  const now = opts.now.toISOString();
  const changes: DeploymentChange[] = [];
  const canary = canaryTarget ? (current.get(canaryTarget.name) ?? null) : null;
  for (const t of targets) {
    const d = current.get(t.name);
    if (!d) return { action: 'skip', reason: `Deployment ${t.namespace}/${t.name} not found` };
    changes.push(rollbackChange(env, t, d, target, fromSha, now, opts.githubDeploymentId, opts.by));
  }
  if (canary && canaryTarget) {
    const stable = changes.find((c) => c.name === env.gray?.stable);
    const stableView = env.gray ? current.get(env.gray.stable) : null;
    const { record } = readRelease(canary.annotations);
    if (stable && stableView) stable.replicas = record?.total ?? stableView.replicas + canary.replicas;
    changes.push({
      namespace: canary.namespace,
      name: canary.name,
      resourceVersion: canary.resourceVersion,
      replicas: 0,
    });
  }
  return { action: 'rollback', fromSha, toSha: target.sha, image: target.image, changes };
}

function rollbackChange(
  env: EnvironmentConfig,
  t: ReleaseTarget,
  d: DeploymentView,
  target: HistoryEntry,
  fromSha: string,
  now: string,
  githubDeploymentId: number | undefined,
  by: string | undefined,
): DeploymentChange {
  const { record, history } = readRelease(d.annotations);
  // Each Deployment takes the target's image on its own configured containers.
  const images = Object.fromEntries(t.containers.map((c) => [c, target.images[c] ?? target.image]));
  const next: ReleaseRecord = {
    sha: target.sha,
    image: target.image,
    images,
    previousImages: imagesOf(d, t.containers),
    at: now,
    // Keep the newest event time seen, so a late notification for the bad commit cannot bring it back.
    eventTime: record?.eventTime ?? now,
    state: 'rolling',
    since: now,
    rollbackOf: fromSha,
  };
  if (githubDeploymentId !== undefined) next.githubDeploymentId = githubDeploymentId;
  if (by) next.by = by;
  const marked = record && record.sha !== target.sha ? markRolledBack(history, record.sha) : history;
  const entry = { sha: target.sha, image: target.image, images, at: now, ...(by ? { by } : {}) };
  return {
    namespace: d.namespace,
    name: d.name,
    resourceVersion: d.resourceVersion,
    apply: { images, annotations: releaseAnnotations(next, pushHistory(marked, entry, env.historyLimit)) },
  };
}
