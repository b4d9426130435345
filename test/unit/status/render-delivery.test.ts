import { describe, expect, it } from 'vitest';
import { computeDora } from '../../../shared/domain/delivery/dora-metrics.ts';
import { formatDuration, formatRate } from '../../../shared/domain/delivery/format-metrics.ts';
import { renderDeliverySection } from '../../../shared/domain/status/render-delivery-section.ts';
import { renderDeliveryTimeline } from '../../../shared/domain/status/render-delivery-timeline.ts';
import { at, deployment, T0 } from '../delivery/fixtures.ts';

const window = { since: new Date(T0), until: new Date(T0 + 10 * 86_400_000) };
const metrics = computeDora(
  [
    deployment('a1', at(1), [['success', at(1, 1), 'Released (automatic)']], { commitAt: at(0, 23) }),
    deployment('b2', at(5), [['success', at(5, 1)]]),
    deployment('a1', at(5, 2), [['success', at(5, 3), 'Rollback (by <mallory>)']], {
      rollbackOf: 'b2'.padEnd(40, '0'),
    }),
    deployment('c3', at(9), [['failure', at(9, 1)]]),
  ],
  window,
);

describe('delivery timeline', () => {
  it('places one mark per deployment by time, rollbacks as triangles, with who acted in the tooltip', () => {
    const svg = renderDeliveryTimeline({ name: 'shop/production', ...metrics });
    expect(svg.match(/class="mark-/g)).toHaveLength(4);
    expect(svg).toContain('class="mark-rollback"');
    expect(svg).toContain('class="mark-rolled-back"');
    expect(svg).toContain('class="mark-failed"');
    expect(svg).toContain('(automatic)');
    const xs = [...svg.matchAll(/cx="([\d.]+)"/g)].map((m) => Number(m[1]));
    expect(xs).toEqual([...xs].sort((a, b) => a - b));
    // The first deployment is a tenth of the way into the window.
    expect(xs[0]).toBeCloseTo(12 + 616 * 0.1, 0);
    expect(svg).not.toMatch(/<script|href=/);
  });

  it('escapes names and actors (the actor was cleaned when written, the page still escapes)', () => {
    const svg = renderDeliveryTimeline({
      name: '<b>',
      since: metrics.since,
      until: metrics.until,
      timeline: [{ at: at(2), sha: 'x', kind: 'success', actor: '<img>' }],
    });
    expect(svg).not.toContain('<b>');
    expect(svg).not.toContain('<img>');
  });
});

describe('delivery section', () => {
  it('shows the four figures per environment', () => {
    const html = renderDeliverySection([{ app: 'shop', environment: 'production', metrics }]);
    expect(html).toContain('Deployment frequency');
    expect(html).toContain('0.2/day');
    expect(html).toContain('Lead time for changes');
    expect(html).toContain('2h');
    expect(html).toContain('Change failure rate');
    expect(html).toContain('66.7%');
    expect(html).toContain('Time to restore');
    expect(html).toContain('1 not restored');
  });

  it('says so when there is nothing to show', () => {
    expect(renderDeliverySection([])).toContain('No release environments.');
  });
});

describe('formatting', () => {
  it.each([
    [null, '-'],
    [42, '42s'],
    [600, '10m'],
    [3600, '1h'],
    [7800, '2h 10m'],
    [86_400 * 2 + 3600 * 4, '2d 4h'],
  ])('formats %s seconds as %s', (s, text) => {
    expect(formatDuration(s)).toBe(text);
  });
  it('formats rates as percent with one decimal', () => {
    expect(formatRate(0.10833)).toBe('10.8%');
    expect(formatRate(null)).toBe('-');
  });
});
