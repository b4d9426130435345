import type { DeliveryDeployment, DeploymentSummary } from './delivery-record.ts';
import { summarizeDeployments } from './summarize-deployment.ts';

/**
 * The four DORA metrics of one app environment over a window, from its GitHub deployments only
 * (https://dora.dev/guides/dora-metrics-four-keys/). Definitions, chosen so that every number can be
 * traced back to deployments and statuses anyone can read on GitHub:
 *
 * - a *change* is a deployment that is not a rollback (a rollback restores, it ships nothing new);
 * - deployment frequency: changes that reached success in the window, per day;
 * - lead time for changes: from the deployed commit's committer date to the deployment's first success;
 * - change failure rate: changes that failed or were rolled back, over changes that finished;
 * - time to restore: from a change's failure to the next success of any deployment of the environment
 *   (a rollback or a fix); when switchyard rolled it back by itself (autoRollback), from the change's
 *   deployment to that rollback, when the previous images were back.
 */
export interface DoraMetrics {
  since: string;
  until: string;
  days: number;
  deployments: { count: number; perDay: number };
  leadTime: Stat;
  changeFailure: { failed: number; total: number; rate: number | null };
  /** `open`: failures not restored by the end of the window. */
  restore: Stat & { open: number };
  rollbacks: number;
  /** Every deployment in the window, oldest first, for the timeline. */
  timeline: TimelineMark[];
}

export interface Stat {
  /** Median in seconds (DORA reports medians: a few outliers should not move the figure). */
  medianSeconds: number | null;
  /** 90th percentile in seconds (nearest rank). */
  p90Seconds: number | null;
  samples: number;
}

export type MarkKind = 'success' | 'failed' | 'rolled-back' | 'rollback' | 'pending';

export interface TimelineMark {
  at: string;
  sha: string;
  kind: MarkKind;
  actor: string | null;
}

export function computeDora(
  deployments: readonly DeliveryDeployment[],
  window: { since: Date; until: Date },
  /** Commits the release records on the cluster mark as rolled back. */
  rolledBackOnCluster: ReadonlySet<string> = new Set(),
): DoraMetrics {
  const since = window.since.getTime();
  const until = window.until.getTime();
  const inWindow = (t: number) => t >= since && t <= until;
  // Rollbacks after the window still judge the changes inside it, so summarise everything given.
  const all = summarizeDeployments(deployments, rolledBackOnCluster);
  const shown = all.filter((s) => inWindow(Date.parse(s.deployment.createdAt)));
  const changes = shown.filter((s) => s.deployment.rollbackOf === undefined);
  const succeeded = changes.filter((s) => s.succeededAt !== null && inWindow(s.succeededAt));
  const finished = changes.filter((s) => s.outcome !== 'pending');
  const failed = finished.filter((s) => s.outcome === 'failed');
  const days = Math.max(1, (until - since) / 86_400_000);

  const leadTimes = succeeded
    .filter((s) => s.deployment.commitAt !== null && Number.isFinite(Date.parse(s.deployment.commitAt)))
    .map((s) => Math.max(0, (s.succeededAt! - Date.parse(s.deployment.commitAt!)) / 1000));

  const successes = all
    .flatMap((s) => s.deployment.statuses.filter((st) => st.state === 'success').map((st) => Date.parse(st.at)))
    .filter((t) => Number.isFinite(t))
    .sort((a, b) => a - b);
  const restores: number[] = [];
  let open = 0;
  for (const f of failed) {
    if (f.failedAt === null) continue;
    const start = f.failedAt;
    const first = successes[firstAfter(successes, start)];
    const candidate = f.restoredAt ?? first;
    // A restore after the window's end is not known as of then: the failure is still open.
    const next = candidate !== undefined && candidate <= until ? candidate : undefined;
    if (next === undefined) open++;
    else restores.push((next - start) / 1000);
  }

  return {
    since: window.since.toISOString(),
    until: window.until.toISOString(),
    days: round(days, 2),
    deployments: { count: succeeded.length, perDay: round(succeeded.length / days, 2) },
    leadTime: stat(leadTimes),
    changeFailure: {
      failed: failed.length,
      total: finished.length,
      rate: finished.length === 0 ? null : round(failed.length / finished.length, 4),
    },
    restore: { ...stat(restores), open },
    rollbacks: shown.filter((s) => s.deployment.rollbackOf !== undefined).length,
    timeline: shown.map(mark),
  };
}

function mark(s: DeploymentSummary): TimelineMark {
  const kind: MarkKind =
    s.deployment.rollbackOf !== undefined
      ? 'rollback'
      : s.rolledBack
        ? 'rolled-back'
        : s.outcome === 'failed'
          ? 'failed'
          : s.outcome;
  return { at: s.deployment.createdAt, sha: s.deployment.sha, kind, actor: s.actor };
}

/** Index of the first value greater than `t` in an ascending list (its length when there is none). */
function firstAfter(sorted: readonly number[], t: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function stat(values: readonly number[]): Stat {
  if (values.length === 0) return { medianSeconds: null, p90Seconds: null, samples: 0 };
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  const p90 = sorted[Math.min(sorted.length - 1, Math.ceil(0.9 * sorted.length) - 1)]!;
  return { medianSeconds: Math.round(median), p90Seconds: Math.round(p90), samples: sorted.length };
}

function round(value: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}
