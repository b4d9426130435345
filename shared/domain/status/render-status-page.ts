import { renderDeliverySection } from './render-delivery-section.ts';
import { escapeXml as esc, renderWeightChart } from './render-weight-chart.ts';
import type { StatusModel } from './status-model.ts';

/** Human age of an ISO time relative to `now`: "3m", "5h", "2d". */
export function age(since: string | null, now: Date): string {
  if (!since) return '-';
  const s = Math.max(0, Math.floor((now.getTime() - Date.parse(since)) / 1000));
  if (!Number.isFinite(s)) return '-';
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m`;
  if (s < 86400) return `${Math.floor(s / 3600)}h`;
  return `${Math.floor(s / 86400)}d`;
}

function table(headers: string[], rows: string[][], empty: string): string {
  if (rows.length === 0) return `<p class="empty">${esc(empty)}</p>`;
  return `<div class="scroll"><table><thead><tr>${headers.map((h) => `<th>${esc(h)}</th>`).join('')}</tr></thead><tbody>${rows
    .map((r) => `<tr>${r.map((c) => `<td>${c}</td>`).join('')}</tr>`)
    .join('')}</tbody></table></div>`;
}

function badge(state: string): string {
  const tone = /fail|error|abort|rolled|unhealthy/i.test(state)
    ? 'bad'
    : /ready|success|done|healthy|complete|live|released|promoted/i.test(state)
      ? 'good'
      : 'wait';
  return `<span class="badge ${tone}">${esc(state)}</span>`;
}

const code = (s: string | null, n = 7) => (s ? `<code>${esc(s.slice(0, n))}</code>` : '-');

/**
 * The status page: self-contained HTML (inline CSS and SVG, no scripts or external assets), readable
 * on a phone, refreshing itself every `refreshSeconds`.
 */
export function renderStatusPage(model: StatusModel, opts: { now: Date; refreshSeconds?: number }): string {
  const now = opts.now;
  const previews = table(
    ['PR', 'App', 'Commit', 'Deployed', 'Age', 'State', 'URL'],
    model.previews.map((p) => [
      `#${p.pr}`,
      esc(p.app),
      code(p.headSha),
      code(p.deployedSha),
      age(p.since, now),
      badge(p.state),
      p.url ? `<a href="${esc(p.url)}">${esc(p.url.replace(/^https?:\/\//, ''))}</a>` : '-',
    ]),
    'No preview environments.',
  );
  const releases = table(
    ['App', 'Environment', 'Track', 'Commit', 'Image', 'State', 'Since'],
    model.releases.map((r) => [
      esc(r.app),
      esc(r.environment),
      r.track ? esc(r.track) : '-',
      code(r.sha),
      r.image ? `<code>${esc(r.image.split('/').pop() ?? r.image)}</code>` : '-',
      badge(r.state),
      age(r.since, now),
    ]),
    'No releases yet.',
  );
  const shifts =
    model.shifts.length === 0
      ? '<p class="empty">No traffic shifts.</p>'
      : model.shifts
          .map(
            (s) => `<article class="shift"><h3>${esc(s.name)} <small>${esc(s.record)}</small> ${badge(s.state)}</h3>
<p><strong>${s.kubernetesWeight}%</strong> Kubernetes, ${100 - s.kubernetesWeight}% legacy. Steps: ${s.steps
              .map((st) => `<span class="step ${st.status}">${st.weight}%</span>`)
              .join(
                ' ',
              )}</p>${s.message ? `<p class="msg">${esc(s.message)}</p>` : ''}${renderWeightChart(s)}</article>`,
          )
          .join('');
  const failing = model.health.filter((h) => !h.ok);
  const health =
    failing.length === 0
      ? `<p class="empty">${model.health.length} service checks, all healthy.</p>`
      : table(
          ['Namespace', 'Service', 'Track', 'Problem'],
          failing.map((h) => [esc(h.namespace), esc(h.service), h.track ? esc(h.track) : '-', esc(h.problem ?? '')]),
          '',
        );
  const errors = model.errors.length
    ? `<div class="errors">${model.errors.map((e) => `<p>Could not read ${esc(e.section)}: ${esc(e.message)}</p>`).join('')}</div>`
    : '';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="refresh" content="${opts.refreshSeconds ?? 30}">
<title>switchyard status</title>
<style>
body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:0;padding:12px;color:#1f2328;background:#f6f8fa}
main{max-width:980px;margin:auto}h1{font-size:1.3em;margin:.2em 0}h2{font-size:1.1em;margin:1.2em 0 .4em}
h3{font-size:1em;margin:.2em 0}small{color:#57606a;font-weight:normal}
section,article{background:#fff;border:1px solid #d0d7de;border-radius:6px;padding:10px;margin-bottom:10px}
.scroll{overflow-x:auto}table{border-collapse:collapse;width:100%}th,td{text-align:left;padding:4px 8px;border-bottom:1px solid #eaeef2;white-space:nowrap}
th{font-size:.85em;color:#57606a}.badge{border-radius:10px;padding:1px 8px;font-size:.85em}
.good{background:#dafbe1;color:#116329}.bad{background:#ffebe9;color:#a40e26}.wait{background:#fff8c5;color:#7d4e00}
.step{padding:0 4px;border-radius:4px}.step.done{background:#dafbe1}.step.current{background:#fff8c5;font-weight:bold}.step.next{color:#57606a}
svg.weights{width:100%;max-width:480px;height:auto;display:block}svg.timeline{width:100%;max-width:640px;height:auto;display:block}
.figures{display:grid;grid-template-columns:repeat(auto-fit,minmax(140px,1fr));gap:8px;margin:.4em 0}.figure{border:1px solid #eaeef2;border-radius:6px;padding:6px 8px}
.figure b{display:block;font-size:1.25em}.figure span{font-size:.8em;color:#57606a}.legend{font-size:.8em;color:#57606a}.empty{color:#57606a}.errors{color:#a40e26}
.msg{color:#57606a}
</style></head>
<body><main>
<h1>switchyard</h1><p class="empty">Updated ${esc(model.generatedAt)}; refreshes every ${opts.refreshSeconds ?? 30}s.</p>
${errors}
<section id="previews"><h2>Previews (${model.previews.length})</h2>${previews}</section>
<section id="releases"><h2>Releases</h2>${releases}</section>
<section id="shifts"><h2>Traffic shifts</h2>${shifts}</section>
<section id="health"><h2>Health</h2>${health}</section>
<section id="delivery"><h2>Delivery</h2>${renderDeliverySection(model.delivery)}</section>
</main></body></html>
`;
}
