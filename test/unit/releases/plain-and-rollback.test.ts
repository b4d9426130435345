import { describe, expect, it } from 'vitest';
import { EnvironmentSchema } from '../../../shared/config/release-schema.ts';
import type { DeploymentView } from '../../../shared/domain/release/deployment-view.ts';
import { planPlain } from '../../../shared/domain/release/plain-release.ts';
import { planRelease } from '../../../shared/domain/release/plan-release.ts';
import { planRollback, selectRollbackTarget } from '../../../shared/domain/release/plan-rollback.ts';
import { readRelease } from '../../../shared/domain/release/release-record.ts';
import { applyChanges, deployment, failDeadline } from '../../support/releases/deployments.ts';

const [A, B, C] = ['a', 'b', 'c'].map((x) => x.repeat(40)) as [string, string, string];
const env = EnvironmentSchema.parse({
  name: 'staging',
  branch: 'main',
  namespace: 'shop',
  deployments: [{ name: 'web' }],
});
const hour = (h: number) => new Date(Date.UTC(2026, 10, 1, h));
const policy = (autoRollback: boolean) => ({ now: hour(20), autoRollback, historyLimit: 10 });

function release(current: Map<string, DeploymentView>, sha: string, h: number, rolledOut = true) {
  // Each commit descends from every earlier one (a linear main).
  const relation = new Map([A, B].map((s) => [s, 'ahead' as const]));
  const plan = planRelease(env, current, {
    sha,
    image: `r:${sha[0]}`,
    eventTime: hour(h).toISOString(),
    now: hour(h),
    relation,
  });
  if (plan.action !== 'deploy') throw new Error(plan.reason);
  return applyChanges(current, plan.changes, rolledOut);
}
const image = (c: Map<string, DeploymentView>) => c.get('web')!.containers[0]!.image;

describe('planPlain', () => {
  it('marks a finished rollout released and rolls a failed one back onto the previous image', () => {
    let current = release(new Map([['web', deployment('web')]]), A, 1);
    current = applyChanges(current, planPlain([current.get('web')!], policy(true)).changes, true);
    expect(readRelease(current.get('web')!.annotations).record?.state).toBe('released');
    current = release(current, B, 2, false);
    current.set('web', failDeadline(current.get('web')!));
    const plan = planPlain([current.get('web')!], policy(true));
    expect(plan.events).toEqual([expect.objectContaining({ kind: 'rolled-back', sha: B })]);
    current = applyChanges(current, plan.changes, true);
    expect(image(current)).toBe('r:a');
    // A late notification for the rolled-back commit does not bring it back.
    const again = planRelease(env, current, { sha: B, image: 'r:b', eventTime: hour(3).toISOString(), now: hour(3) });
    expect(again.action === 'skip' && again.reason).toMatch(/was rolled back/);
  });

  it('leaves a failed rollout in place when autoRollback is off', () => {
    const current = release(new Map([['web', deployment('web')]]), A, 1, false);
    current.set('web', failDeadline(current.get('web')!));
    const plan = planPlain([current.get('web')!], policy(false));
    expect(plan.events.map((e) => e.kind)).toEqual(['failed']);
    expect(plan.changes[0]?.apply?.images).toEqual({ web: 'r:a' });
  });
});

describe('rollback', () => {
  it('picks the newest release that is neither current nor rolled back, or the named sha', () => {
    const history = [
      { sha: C, image: 'r:c', images: {}, at: '' },
      { sha: B, image: 'r:b', images: {}, at: '', rolledBack: true },
      { sha: A, image: 'r:a', images: {}, at: '' },
    ];
    expect(selectRollbackTarget(history, C)?.sha).toBe(A);
    expect(selectRollbackTarget(history, C, 'bbbbbbb')?.sha).toBe(B);
    expect(selectRollbackTarget(history, C, 'deadbee')).toBeNull();
    expect(selectRollbackTarget(history.slice(0, 1), C)).toBeNull();
  });

  it('redeploys the previous image from history without a rebuild and records it as a rollback', () => {
    let current = release(new Map([['web', deployment('web')]]), A, 1);
    current = release(current, B, 2);
    const plan = planRollback(env, current, { now: hour(5) });
    expect(plan).toMatchObject({ action: 'rollback', fromSha: B, toSha: A, image: 'r:a' });
    if (plan.action !== 'rollback') return;
    current = applyChanges(current, plan.changes, true);
    expect(image(current)).toBe('r:a');
    const { record, history } = readRelease(current.get('web')!.annotations);
    expect(record).toMatchObject({ sha: A, rollbackOf: B, state: 'rolling', eventTime: hour(2).toISOString() });
    expect(history.map((h) => [h.sha[0], h.rolledBack ?? false])).toEqual([
      ['a', false],
      ['b', true],
    ]);
    // Nothing older left to go back to.
    expect(planRollback(env, current, { now: hour(6) })).toMatchObject({ action: 'skip' });
    // A failed rollback is never rolled back again.
    current.set('web', failDeadline({ ...current.get('web')!, generation: 9 }));
    expect(planPlain([current.get('web')!], policy(true)).events.map((e) => e.kind)).toEqual(['failed']);
  });
});
