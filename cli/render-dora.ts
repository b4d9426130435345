import type { DeliveryResult } from '../shared/app/delivery/read-delivery.ts';
import { metricFigures } from '../shared/domain/delivery/format-metrics.ts';
import { table } from './render.ts';

/** `switchyard dora` as text: one row per environment, the four metrics with what they are made of. */
export function renderDoraText(result: DeliveryResult): string {
  const head = `DORA metrics from ${result.since.slice(0, 10)} to ${result.until.slice(0, 10)} (GitHub deployments)`;
  if (result.reports.length === 0) return `${head}\n  no release environments`;
  const rows = result.reports.map((r) => {
    const [freq, lead, failure, restore] = metricFigures(r.metrics);
    return [
      `${r.app}/${r.environment}`,
      `${freq!.value} (${freq!.detail})`,
      `${lead!.value} (${lead!.detail})`,
      `${failure!.value} (${failure!.detail})`,
      `${restore!.value} (${restore!.detail})`,
    ];
  });
  return [
    head,
    table([['ENVIRONMENT', 'DEPLOYMENT FREQUENCY', 'LEAD TIME', 'CHANGE FAILURE RATE', 'TIME TO RESTORE'], ...rows]),
  ].join('\n');
}
