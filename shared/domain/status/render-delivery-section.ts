import { metricFigures } from '../delivery/format-metrics.ts';
import { renderDeliveryTimeline } from './render-delivery-timeline.ts';
import { escapeXml as esc } from './render-weight-chart.ts';
import type { DeliveryRow } from './status-model.ts';

/** The Delivery section: per release environment, the four DORA metrics and the deployment timeline. */
export function renderDeliverySection(rows: readonly DeliveryRow[]): string {
  if (rows.length === 0) return '<p class="empty">No release environments.</p>';
  const key = (color: string, symbol: string, text: string) => `<span style="color:${color}">${symbol}</span> ${text}`;
  const legend = `<p class="legend">${[
    key('#1f883d', '●', 'success'),
    key('#cf222e', '●', 'failed'),
    key('#cf222e', '○', 'rolled back'),
    key('#bf8700', '▼', 'rollback'),
    key('#8c959f', '○', 'running'),
  ].join(' &nbsp; ')}. From GitHub deployments and their statuses.</p>`;
  return (
    rows
      .map((r) => {
        const m = r.metrics;
        const figures = metricFigures(m)
          .map(
            (f) =>
              `<div class="figure" data-metric="${esc(f.label)}"><span>${esc(f.label)}</span><b>${esc(f.value)}</b><span>${esc(f.detail)}</span></div>`,
          )
          .join('');
        const name = `${r.app}/${r.environment}`;
        return `<article class="delivery"><h3>${esc(name)} <small>since ${esc(m.since.slice(0, 10))}</small></h3><div class="figures">${figures}</div>${renderDeliveryTimeline({ name, since: m.since, until: m.until, timeline: m.timeline })}</article>`;
      })
      .join('') + legend
  );
}
