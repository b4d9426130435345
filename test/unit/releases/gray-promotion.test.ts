import { describe, expect, it } from 'vitest';
import { EnvironmentSchema } from '../../../shared/config/release-schema.ts';
import type { DeploymentView } from '../../../shared/domain/release/deployment-view.ts';
import { planGray } from '../../../shared/domain/release/gray-promotion.ts';
import { planPlain } from '../../../shared/domain/release/plain-release.ts';
import { planRelease } from '../../../shared/domain/release/plan-release.ts';
import { readRelease } from '../../../shared/domain/release/release-record.ts';
import { environmentTargets } from '../../../shared/domain/release/release-targets.ts';
import { applyChanges, deployment } from '../../support/releases/deployments.ts';

const SHA = '2'.repeat(40);
const env = EnvironmentSchema.parse({
  name: 'production',
  branch: 'main',
  namespace: 'shop',
  gray: {
    canary: 'web-canary',
    stable: 'web',
    containers: ['app'],
    steps: [{ weight: 10, pauseMinutes: 5 }, { weight: 41 }, { weight: 100, pauseMinutes: 0 }],
  },
});
const minutes = (m: number) => new Date(Date.parse('2026-11-01T10:00:00Z') + m * 60_000);
const policy = (m: number) => ({ now: minutes(m), historyLimit: 10 });

function start(): Map<string, DeploymentView> {
  const current = new Map([
    ['web-canary', deployment('web-canary', { replicas: 0, containers: [{ name: 'app', image: 'r:old' }] })],
    ['web', deployment('web', { replicas: 10, containers: [{ name: 'app', image: 'r:old' }] })],
  ]);
  const plan = planRelease(env, current, {
    sha: SHA,
    image: 'r:new',
    eventTime: '2026-11-01T10:00:00Z',
    now: minutes(0),
  });
  if (plan.action !== 'deploy') throw new Error(plan.reason);
  return applyChanges(current, plan.changes, true);
}

function input(current: Map<string, DeploymentView>, restarts = 0) {
  const targets = environmentTargets(env);
  return {
    gray: env.gray!,
    canary: { target: targets.find((t) => t.role === 'canary')!, deployment: current.get('web-canary')!, restarts },
    stable: { target: targets.find((t) => t.role === 'stable')!, deployment: current.get('web')! },
  };
}
const replicas = (c: Map<string, DeploymentView>) => [c.get('web-canary')!.replicas, c.get('web')!.replicas];

describe('planGray', () => {
  it('walks the steps with Argo splits, holds a step without pause for promote, then hands over to stable', () => {
    let current = start();
    expect(replicas(current)).toEqual([1, 9]);
    current = applyChanges(current, planGray(input(current), policy(1)).changes, true); // baking
    expect(planGray(input(current), policy(5)).changes).toEqual([]);
    let plan = planGray(input(current), policy(6));
    expect(plan.events[0]?.message).toMatch(/step 2\/3: 4 canary \/ 6 stable/);
    current = applyChanges(current, plan.changes, true);
    expect(replicas(current)).toEqual([4, 6]);
    current = applyChanges(current, planGray(input(current), policy(7)).changes, true); // baking -> waiting
    expect(readRelease(current.get('web-canary')!.annotations).record?.state).toBe('waiting');
    expect(planGray(input(current), policy(500)).changes).toEqual([]);
    const c = readRelease(current.get('web-canary')!.annotations);
    current = applyChanges(
      current,
      [
        {
          namespace: 'shop',
          name: 'web-canary',
          resourceVersion: current.get('web-canary')!.resourceVersion,
          apply: {
            images: { app: 'r:new' },
            annotations: {
              'switchyard.dev/release': JSON.stringify({ ...c.record, gate: true }),
              'switchyard.dev/release-history': JSON.stringify(c.history),
            },
          },
        },
      ],
      true,
    );
    current = applyChanges(current, planGray(input(current), policy(501)).changes, true);
    expect(replicas(current)).toEqual([10, 0]);
    // The last step has no pause: rolled out, baked and handed to stable in one tick.
    plan = planGray(input(current), policy(502));
    expect(plan.events[0]?.message).toMatch(/stable takes r:new on 10 replicas/);
    // Had only stable's image and record landed (its scale lost), the next tick scales it.
    const { replicas: _lost, ...stableOnly } = plan.changes[0]!;
    const partial = applyChanges(current, [stableOnly], true);
    expect(replicas(partial)).toEqual([10, 0]);
    expect(replicas(applyChanges(partial, planGray(input(partial), policy(503)).changes, true))).toEqual([0, 10]);
    current = applyChanges(current, plan.changes, true);
    expect(replicas(current)).toEqual([0, 10]);
    expect(current.get('web')!.containers[0]!.image).toBe('r:new');
    // Stable's own record finishes like a plain release.
    const done = planPlain([current.get('web')!], { now: minutes(504), autoRollback: true, historyLimit: 10 });
    expect(done.events.map((e) => e.kind)).toEqual(['released']);
  });

  it('returns every replica to stable when the canary fails its health during a step', () => {
    let current = start();
    current = applyChanges(current, planGray(input(current), policy(1)).changes, true);
    const plan = planGray(input(current, 3), policy(2));
    expect(plan.events[0]).toMatchObject({
      kind: 'rolled-back',
      message: expect.stringMatching(/all 10 replicas back on stable/),
    });
    current = applyChanges(current, plan.changes, true);
    expect(replicas(current)).toEqual([0, 10]);
    expect(current.get('web')!.containers[0]!.image).toBe('r:old');
    expect(planGray(input(current), policy(3)).changes).toEqual([]);
  });
});
