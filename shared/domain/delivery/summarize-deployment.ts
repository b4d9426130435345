import { AUTOMATIC, actorOf, isAutomaticRollback } from './audit-actor.ts';
import type { DeliveryDeployment, DeploymentSummary } from './delivery-record.ts';

const FAILED = new Set(['failure', 'error']);

/**
 * The verdict on each deployment of one environment. A deployment failed when its latest verdict
 * (success, failure or error; `inactive` only means a newer one took over) is a failure or error, or
 * when a later rollback deployment replaced its commit. The rollbacks themselves are judged the same way.
 */
export function summarizeDeployments(
  deployments: readonly DeliveryDeployment[],
  /** Commits the cluster's release records mark as rolled back (a rollback GitHub may not have heard of). */
  rolledBackOnCluster: ReadonlySet<string> = new Set(),
): DeploymentSummary[] {
  const byTime = [...deployments].sort((a, b) => time(a.createdAt) - time(b.createdAt) || a.id - b.id);
  // Rollback deployments by the commit they replaced, in time order: one pass, not a scan per deployment.
  const rollbacksOf = new Map<string, number[]>();
  byTime.forEach((d, i) => {
    if (d.rollbackOf) rollbacksOf.set(d.rollbackOf, [...(rollbacksOf.get(d.rollbackOf) ?? []), i]);
  });
  // The cluster's mark applies to the latest change of that commit (a commit can be deployed again later).
  const lastChangeOf = new Map<string, number>();
  byTime.forEach((d, i) => {
    if (!d.rollbackOf) lastChangeOf.set(d.sha, i);
  });
  return byTime.map((d, index) => {
    const statuses = [...d.statuses]
      .map((s, i) => ({ ...s, t: time(s.at), i }))
      .filter((s) => Number.isFinite(s.t))
      .sort((a, b) => a.t - b.t || a.i - b.i);
    const verdicts = statuses.filter((s) => s.state === 'success' || FAILED.has(s.state));
    const latest = verdicts[verdicts.length - 1];
    const firstSuccess = verdicts.find((s) => s.state === 'success');
    const lastSuccess = [...verdicts].reverse().find((s) => s.state === 'success');
    const failure = verdicts.find((s) => FAILED.has(s.state) && (!lastSuccess || s.t >= lastSuccess.t));
    const laterIndex = d.sha === '' ? undefined : rollbacksOf.get(d.sha)?.find((i) => i > index);
    const rollback = laterIndex === undefined ? undefined : byTime[laterIndex];
    const failedByStatus = latest !== undefined && FAILED.has(latest.state);
    let failedAt: number | null = null;
    let restoredAt: number | null = null;
    if (failedByStatus && failure) {
      failedAt = failure.t;
      // Found bad and rolled back in one step: count from when the change began to reach the environment.
      if (isAutomaticRollback(failure.description)) {
        failedAt = time(d.createdAt);
        restoredAt = failure.t;
      }
    } else if (rollback) {
      failedAt = time(rollback.createdAt);
      // The rollback's own first success is the restore. GitHub's timestamps have one-second resolution,
      // so it may share the second its deployment was created in: "the next success after" would miss it.
      const restored = rollback.statuses
        .filter((s) => s.state === 'success')
        .map((s) => time(s.at))
        .filter((t) => Number.isFinite(t))
        .sort((a, b) => a - b)[0];
      if (restored !== undefined) restoredAt = restored;
    }
    // Only the cluster knows: the rollback was made while GitHub could not be told (no time for the restore).
    const onCluster =
      !failedByStatus && !rollback && lastChangeOf.get(d.sha) === index && rolledBackOnCluster.has(d.sha);
    const actors = statuses.map((s) => actorOf(s.description)).filter((a): a is string => a !== null);
    return {
      deployment: d,
      outcome: failedByStatus || rollback || onCluster ? 'failed' : latest?.state === 'success' ? 'success' : 'pending',
      succeededAt: firstSuccess ? firstSuccess.t : null,
      failedAt,
      restoredAt,
      rolledBack: rollback !== undefined || restoredAt !== null || onCluster,
      // A person who acted on it (started it, passed its gate) names it; ticks that followed do not.
      actor: actors.find((a) => a !== AUTOMATIC) ?? actors[0] ?? null,
    };
  });
}

export function time(iso: string): number {
  return Date.parse(iso);
}
