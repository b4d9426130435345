import { describe, expect, it } from 'vitest';
import { planJanitor } from '../../../shared/domain/preview/plan-janitor.ts';
import { preview, record } from './fixtures.ts';

const now = new Date('2026-01-10T00:00:00Z');
const apps = new Map([['web', { repo: 'acme/web', preview: preview({ ttlHours: 48, maxPerApp: 2 }) }]]);
const at = (days: number) => new Date(now.getTime() - days * 86400_000).toISOString();

describe('planJanitor', () => {
  it('removes previews of PRs that are not open, idle ones and the oldest over the cap', () => {
    const previews = [
      record({ pr: 1, namespace: 'pr-1-web', lastDeployed: at(0.1) }),
      record({ pr: 2, namespace: 'pr-2-web', lastDeployed: at(0.2) }),
      record({ pr: 3, namespace: 'pr-3-web', lastDeployed: at(0.3) }),
      record({ pr: 4, namespace: 'pr-4-web', lastDeployed: at(5) }),
      record({ pr: 5, namespace: 'pr-5-web', lastDeployed: at(0.1) }),
      record({ pr: 6, namespace: 'pr-6-web', lastDeployed: at(0.1), deleting: true }),
      record({ pr: 7, namespace: 'pr-7-other', app: 'other' }),
    ];
    const plan = planJanitor({ previews, openPrs: new Map([['acme/web', new Set([1, 2, 3, 4, 6])]]), apps, now });

    // Most certain first: not open, idle, over the cap, unconfigured.
    expect(plan.deletions.map((d) => [d.pr, d.reason])).toEqual([
      [5, 'pr-not-open'],
      [4, 'idle'],
      [3, 'over-cap'],
      [7, 'unconfigured'],
    ]);
    expect(plan.kept).toBe(2);
  });

  it('does not judge previews closed when their repo could not be listed', () => {
    const plan = planJanitor({ previews: [record({ lastDeployed: at(0.1) })], openPrs: new Map(), apps, now });
    expect(plan.deletions).toEqual([]);
  });
});
