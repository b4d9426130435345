import type { DoraMetrics } from './dora-metrics.ts';

/** "45s", "12m", "3h 10m", "2d 4h": two units at most, enough to compare at a glance. */
export function formatDuration(seconds: number | null): string {
  if (seconds === null || !Number.isFinite(seconds)) return '-';
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m`;
  if (s < 86_400) {
    const m = Math.floor((s % 3600) / 60);
    return `${Math.floor(s / 3600)}h${m ? ` ${m}m` : ''}`;
  }
  const h = Math.floor((s % 86_400) / 3600);
  return `${Math.floor(s / 86_400)}d${h ? ` ${h}h` : ''}`;
}

export function formatRate(rate: number | null): string {
  return rate === null ? '-' : `${Math.round(rate * 1000) / 10}%`;
}

/** The four metrics as short labelled figures, shared by the status page and `switchyard dora`. */
export function metricFigures(m: DoraMetrics): Array<{ label: string; value: string; detail: string }> {
  return [
    {
      label: 'Deployment frequency',
      value: `${m.deployments.perDay}/day`,
      detail: `${m.deployments.count} in ${m.days} days`,
    },
    {
      label: 'Lead time for changes',
      value: formatDuration(m.leadTime.medianSeconds),
      detail: `median of ${m.leadTime.samples}, p90 ${formatDuration(m.leadTime.p90Seconds)}`,
    },
    {
      label: 'Change failure rate',
      value: formatRate(m.changeFailure.rate),
      detail: `${m.changeFailure.failed} of ${m.changeFailure.total}, ${m.rollbacks} rollback${m.rollbacks === 1 ? '' : 's'}`,
    },
    {
      label: 'Time to restore',
      value: formatDuration(m.restore.medianSeconds),
      detail: `median of ${m.restore.samples}${m.restore.open ? `, ${m.restore.open} not restored` : ''}`,
    },
  ];
}
