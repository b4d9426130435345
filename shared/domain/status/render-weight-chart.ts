import type { ShiftRow } from './status-model.ts';

const W = 320;
const H = 120;
const PAD = 24;

/**
 * An inline SVG of the Kubernetes weight over time (a step line, since weights change in jumps) with
 * the plan's steps as ticks on the right: done filled, current ringed, next hollow. No scripts, no
 * external assets, so the page works offline and under a strict CSP.
 */
export function renderWeightChart(shift: Pick<ShiftRow, 'history' | 'steps' | 'name'>): string {
  const y = (weight: number) => H - PAD - ((H - 2 * PAD) * Math.max(0, Math.min(100, weight))) / 100;
  const points = shift.history.map((h) => ({ t: Date.parse(h.at), w: h.weight })).filter((p) => Number.isFinite(p.t));
  let path = '';
  if (points.length > 0) {
    const t0 = points[0]!.t;
    const t1 = Math.max(points[points.length - 1]!.t, t0 + 1);
    const width = W - 3 * PAD;
    // Times are kept to the minute in the shift's compact state, so several steps can share one
    // instant: give every change a little room so each stays visible.
    const gap = width / (points.length * 3);
    const xs: number[] = [];
    for (const p of points) {
      const x = PAD + (width * (p.t - t0)) / (t1 - t0);
      xs.push(xs.length === 0 ? x : Math.max(x, xs[xs.length - 1]! + gap));
    }
    const scale = xs[xs.length - 1]! > PAD + width ? width / (xs[xs.length - 1]! - PAD) : 1;
    const x = (i: number) => PAD + (xs[i]! - PAD) * scale;
    path = `M${x(0).toFixed(1)},${y(points[0]!.w).toFixed(1)}`;
    for (let i = 1; i < points.length; i++) {
      path += ` H${x(i).toFixed(1)} V${y(points[i]!.w).toFixed(1)}`;
    }
    path += ` H${(W - 2 * PAD).toFixed(1)}`;
  }
  const ticks = shift.steps
    .map((s) => {
      const cy = y(s.weight).toFixed(1);
      const fill = s.status === 'done' ? '#1f883d' : 'none';
      const stroke = s.status === 'current' ? '#bf8700' : '#1f883d';
      const r = s.status === 'current' ? 5 : 3.5;
      return `<circle class="step-${s.status}" cx="${W - PAD}" cy="${cy}" r="${r}" fill="${fill}" stroke="${stroke}" stroke-width="2"><title>${s.weight}% ${s.status}</title></circle>`;
    })
    .join('');
  const grid = [0, 50, 100]
    .map(
      (w) =>
        `<line x1="${PAD}" x2="${W - 2 * PAD}" y1="${y(w)}" y2="${y(w)}" stroke="#d0d7de" stroke-dasharray="2,3"/><text x="2" y="${y(w) + 4}" font-size="9" fill="#57606a">${w}%</text>`,
    )
    .join('');
  return `<svg class="weights" viewBox="0 0 ${W} ${H}" role="img" aria-label="Kubernetes weight of ${escapeXml(shift.name)} over time" xmlns="http://www.w3.org/2000/svg">${grid}${path ? `<path d="${path}" fill="none" stroke="#0969da" stroke-width="2"/>` : ''}${ticks}</svg>`;
}

export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}
