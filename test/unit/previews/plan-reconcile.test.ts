import { describe, expect, it } from 'vitest';
import { planReconcile, type ReconcilePlanInput } from '../../../shared/domain/preview/plan-preview.ts';
import { pr, record, SHA_A, SHA_B } from './fixtures.ts';

const NOW = new Date('2026-01-03T00:00:00Z');
const input = (over: Partial<ReconcilePlanInput> = {}): ReconcilePlanInput => ({
  app: { name: 'web', image: 'registry/web', dns: false },
  record: record(),
  pr: pr({ headSha: SHA_A }),
  decision: { allow: true },
  ciState: null,
  host: 'pr-7.web.example.test',
  now: NOW,
  leaseFallbackMs: 60_000,
  ...over,
});

describe('planReconcile', () => {
  it('does nothing for a complete preview, and only checks DNS when the app has it', () => {
    expect(planReconcile(input())).toEqual({ steps: [], skipped: 'nothing to repair' });
    expect(planReconcile(input({ app: { name: 'web', image: 'registry/web', dns: true } })).steps).toEqual([
      { kind: 'ensure-dns', host: 'pr-7.web.example.test' },
    ]);
  });

  it('never tears down on an unknown PR; tears down on one GitHub reports closed', () => {
    expect(planReconcile(input({ pr: null })).steps).toEqual([]);
    expect(planReconcile(input({ pr: pr({ state: 'closed', merged: true }) })).steps).toEqual([
      { kind: 'teardown', reason: 'merged', merged: true },
    ]);
  });

  it('leaves a claim inside its lease alone and redeploys it after', () => {
    const claimed = record({ headSha: SHA_B, deployedSha: SHA_A, image: `registry/web:${SHA_B}` });
    const lease = new Date(NOW.getTime() + 1000).toISOString();
    expect(planReconcile(input({ record: { ...claimed, claimLease: lease }, pr: pr() })).skipped).toMatch(
      /still deploying/,
    );
    const expired = new Date(NOW.getTime() - 1000).toISOString();
    expect(planReconcile(input({ record: { ...claimed, claimLease: expired }, pr: pr() })).steps).toEqual([
      {
        kind: 'deploy',
        sha: SHA_B,
        image: `registry/web:${SHA_B}`,
        branch: 'feature/login',
        eventTime: '2026-01-01T00:00:00Z',
      },
    ]);
  });

  it('reports a deployed commit nobody reported', () => {
    expect(planReconcile(input({ record: record({ reportedSha: null }) })).steps).toEqual([
      { kind: 'report', sha: SHA_A },
    ]);
  });

  it('deploys a new head only when its CI passed and the policy allows it', () => {
    const moved = input({ pr: pr({ headSha: SHA_B }) });
    expect(planReconcile({ ...moved, ciState: 'pending' }).steps).toEqual([]);
    expect(
      planReconcile({
        ...moved,
        ciState: 'success',
        decision: { allow: false, code: 'draft', reason: 'draft', teardown: false },
      }).steps,
    ).toEqual([]);
    expect(planReconcile({ ...moved, ciState: 'success' }).steps).toMatchObject([{ kind: 'deploy', sha: SHA_B }]);
  });
});
