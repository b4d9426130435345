import type { MarkKind, TimelineMark } from '../delivery/dora-metrics.ts';
import { escapeXml } from './render-weight-chart.ts';

const W = 640;
const H = 56;
const PAD = 12;
const AXIS = H - 16;

const COLORS: Record<MarkKind, string> = {
  success: '#1f883d',
  failed: '#cf222e',
  'rolled-back': '#cf222e',
  rollback: '#bf8700',
  pending: '#8c959f',
};

/**
 * An inline SVG of one environment's deployments over the window: a dot per deployment (green
 * success, red failed, hollow red rolled back, grey still running) and a downward triangle per
 * rollback, each with a tooltip naming the commit and who acted. No scripts, no external assets, so it
 * works under the page's strict CSP.
 */
export function renderDeliveryTimeline(input: {
  name: string;
  since: string;
  until: string;
  timeline: readonly TimelineMark[];
}): string {
  const t0 = Date.parse(input.since);
  const t1 = Math.max(Date.parse(input.until), t0 + 1);
  const x = (t: number) => PAD + (W - 2 * PAD) * Math.max(0, Math.min(1, (t - t0) / (t1 - t0)));
  const marks = input.timeline
    .filter((m) => Number.isFinite(Date.parse(m.at)))
    .map((m) => {
      const cx = x(Date.parse(m.at)).toFixed(1);
      const color = COLORS[m.kind];
      const who = m.actor ? ` (${m.actor === 'automatic' ? 'automatic' : `by ${m.actor}`})` : '';
      const title = `<title>${escapeXml(`${m.sha.slice(0, 7)} ${m.kind} ${m.at.slice(0, 16).replace('T', ' ')}${who}`)}</title>`;
      if (m.kind === 'rollback') {
        const cy = AXIS - 16;
        return `<path class="mark-rollback" d="M${cx},${cy + 6} l-5,-9 h10 z" fill="${color}">${title}</path>`;
      }
      const hollow = m.kind === 'rolled-back' || m.kind === 'pending';
      return `<circle class="mark-${m.kind}" cx="${cx}" cy="${AXIS - 6}" r="4" fill="${hollow ? '#fff' : color}" stroke="${color}" stroke-width="2">${title}</circle>`;
    })
    .join('');
  const label = (t: number, anchor: string, at: number) =>
    `<text x="${at}" y="${H - 2}" font-size="9" fill="#57606a" text-anchor="${anchor}">${new Date(t).toISOString().slice(0, 10)}</text>`;
  return `<svg class="timeline" viewBox="0 0 ${W} ${H}" role="img" aria-label="Deployments and rollbacks of ${escapeXml(input.name)}" xmlns="http://www.w3.org/2000/svg"><line x1="${PAD}" x2="${W - PAD}" y1="${AXIS}" y2="${AXIS}" stroke="#d0d7de"/>${label(t0, 'start', PAD)}${label(t1, 'end', W - PAD)}${marks}</svg>`;
}
