import { describe, expect, it } from 'vitest';
import { renderWeightChart } from '../../../shared/domain/status/render-weight-chart.ts';

const xsOf = (svg: string) =>
  [...(svg.match(/d="([^"]+)"/)?.[1] ?? '').matchAll(/H([\d.]+)/g)].map((m) => Number(m[1]));

describe('renderWeightChart', () => {
  it('draws one rise per change, even for changes recorded in the same minute', () => {
    const at = '2026-11-22T10:00:00Z';
    const svg = renderWeightChart({
      name: 'www',
      steps: [
        { weight: 10, status: 'done' },
        { weight: 100, status: 'current' },
      ],
      history: [
        { at, weight: 0 },
        { at, weight: 10 },
        { at: '2026-11-22T10:01:00Z', weight: 100 },
      ],
    });
    // The path rises at each change (H to its x, then V), then runs flat to the right edge.
    const [rise1, rise2, end] = xsOf(svg);
    expect(rise2!).toBeGreaterThan(rise1!);
    expect(end!).toBeGreaterThanOrEqual(rise2!);
    expect(svg).toContain('class="step-done"');
    expect(svg).toContain('class="step-current"');
  });

  it('draws no line without history and escapes the name', () => {
    const svg = renderWeightChart({ name: '<x>', steps: [], history: [] });
    expect(svg).not.toContain('<path');
    expect(svg).toContain('&lt;x&gt;');
  });
});
