import { metricFigures } from '../shared/domain/delivery/format-metrics.ts';
import type { DeliveryRow, StatusModel } from '../shared/domain/status/status-model.ts';

/** A text progress bar: `[########............] 40%`. */
export function progressBar(fraction: number, width = 20): string {
  const f = Math.max(0, Math.min(1, Number.isFinite(fraction) ? fraction : 0));
  const full = Math.round(f * width);
  return `[${'#'.repeat(full)}${'.'.repeat(width - full)}] ${Math.round(f * 100)}%`;
}

export function table(rows: string[][]): string {
  if (rows.length === 0) return '';
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  return rows
    .map((r) =>
      r
        .map((c, i) => c.padEnd(widths[i]!))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

export function renderStatusText(model: StatusModel): string {
  const out: string[] = [];
  out.push(`Previews (${model.previews.length})`);
  out.push(
    model.previews.length
      ? table([
          ['PR', 'APP', 'NAMESPACE', 'COMMIT', 'DEPLOYED', 'STATE', 'URL'],
          ...model.previews.map((p) => [
            `#${p.pr}`,
            p.app,
            p.namespace,
            p.headSha.slice(0, 7),
            p.deployedSha?.slice(0, 7) ?? '-',
            p.state,
            p.url ?? '-',
          ]),
        ])
      : '  none',
  );
  out.push('', 'Releases');
  out.push(
    model.releases.length
      ? table([
          ['APP', 'ENVIRONMENT', 'TRACK', 'COMMIT', 'STATE', 'SINCE'],
          ...model.releases.map((r) => [
            r.app,
            r.environment,
            r.track ?? '-',
            r.sha?.slice(0, 7) ?? '-',
            r.state,
            r.since ?? '-',
          ]),
        ])
      : '  none',
  );
  out.push('', 'Traffic shifts');
  out.push(
    model.shifts.length
      ? model.shifts
          .map(
            (s) =>
              `  ${s.name} (${s.record}) ${s.state}  ${progressBar(s.kubernetesWeight / 100)} on Kubernetes${s.message ? `\n    ${s.message}` : ''}`,
          )
          .join('\n')
      : '  none',
  );
  const failing = model.health.filter((h) => !h.ok);
  out.push(
    '',
    `Health: ${failing.length === 0 ? `${model.health.length} checks, all healthy` : `${failing.length} failing`}`,
  );
  for (const h of failing)
    out.push(`  ${h.namespace}/${h.service}${h.track ? ` [${h.track}]` : ''}: ${h.problem ?? ''}`);
  if (model.delivery?.length) out.push('', renderDeliveryLines(model.delivery));
  for (const e of model.errors) out.push(`! could not read ${e.section}: ${e.message}`);
  return out.join('\n');
}

/** The status command's Delivery lines: the four figures of each environment, one line each. */
export function renderDeliveryLines(rows: readonly DeliveryRow[]): string {
  return [
    'Delivery (DORA, 30 days)',
    ...rows.map(
      (r) =>
        `  ${r.app}/${r.environment}: ${metricFigures(r.metrics)
          .map((f) => `${f.label.toLowerCase()} ${f.value}`)
          .join(', ')}`,
    ),
  ].join('\n');
}
