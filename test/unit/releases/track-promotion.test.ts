import { describe, expect, it } from 'vitest';
import { EnvironmentSchema } from '../../../shared/config/release-schema.ts';
import type { DeploymentView } from '../../../shared/domain/release/deployment-view.ts';
import { planRelease } from '../../../shared/domain/release/plan-release.ts';
import { readRelease } from '../../../shared/domain/release/release-record.ts';
import { environmentTargets } from '../../../shared/domain/release/release-targets.ts';
import { planTracks, type TrackInput } from '../../../shared/domain/release/track-promotion.ts';
import { applyChanges, deployment, failDeadline } from '../../support/releases/deployments.ts';

const SHA = '1'.repeat(40);
const env = EnvironmentSchema.parse({
  name: 'production',
  branch: 'main',
  namespace: 'shop',
  tracks: [
    { name: 'internal', deployment: 'web-internal', containers: ['app'], bakeMinutes: 10 },
    { name: 'free', deployment: 'web-free', containers: ['app'], bakeMinutes: 30 },
    { name: 'paid', deployment: 'web-paid', containers: ['app'], bakeMinutes: 30, manualGate: true },
    { name: 'production', deployment: 'web', containers: ['app'], bakeMinutes: 60 },
  ],
});
const names = ['web-internal', 'web-free', 'web-paid', 'web'];
const policy = (now: Date) => ({ now, autoRollback: true, historyLimit: 10 });

function start(): Map<string, DeploymentView> {
  const current = new Map(names.map((n) => [n, deployment(n, { containers: [{ name: 'app', image: 'r:old' }] })]));
  const plan = planRelease(env, current, {
    sha: SHA,
    image: 'r:new',
    eventTime: '2026-11-01T10:00:00Z',
    now: new Date('2026-11-01T10:00:00Z'),
  });
  if (plan.action !== 'deploy') throw new Error(plan.reason);
  return applyChanges(current, plan.changes);
}

function inputs(current: Map<string, DeploymentView>, restarts: Record<string, number> = {}): TrackInput[] {
  const targets = environmentTargets(env);
  return (env.tracks ?? []).map((t) => ({
    target: targets.find((x) => x.name === t.deployment)!,
    deployment: current.get(t.deployment)!,
    restarts: restarts[t.deployment] ?? 0,
    bakeMinutes: t.bakeMinutes,
    manualGate: t.manualGate,
  }));
}

const minutes = (m: number) => new Date(Date.parse('2026-11-01T10:00:00Z') + m * 60_000);
const state = (current: Map<string, DeploymentView>, name: string) =>
  readRelease(current.get(name)!.annotations).record?.state;
const image = (current: Map<string, DeploymentView>, name: string) => current.get(name)!.containers[0]!.image;

describe('planTracks', () => {
  it('promotes internal -> free -> paid -> production after each bake time and the manual gate', () => {
    let current = start();
    // Rollout not finished: nothing moves.
    expect(planTracks(inputs(current), policy(minutes(1))).changes).toEqual([]);
    current = applyChanges(current, [], false);
    current.set('web-internal', {
      ...current.get('web-internal')!,
      observedGeneration: 2,
      updatedReplicas: 3,
      availableReplicas: 3,
      readyReplicas: 3,
      statusReplicas: 3,
    });
    let plan = planTracks(inputs(current), policy(minutes(2)));
    current = applyChanges(current, plan.changes, true);
    expect(state(current, 'web-internal')).toBe('baking');
    // Not baked at 11 minutes (bake began at 2).
    expect(planTracks(inputs(current), policy(minutes(11))).changes).toEqual([]);
    plan = planTracks(inputs(current), policy(minutes(12)));
    expect(plan.events.map((e) => [e.kind, e.where])).toEqual([['promoted', 'free']]);
    current = applyChanges(current, plan.changes, true);
    expect(image(current, 'web-free')).toBe('r:new');
    expect(image(current, 'web-paid')).toBe('r:old');
    // free: rolling -> baking at 13, baked at 43.
    current = applyChanges(current, planTracks(inputs(current), policy(minutes(13))).changes, true);
    current = applyChanges(current, planTracks(inputs(current), policy(minutes(43))).changes, true);
    expect(state(current, 'web-free')).toBe('promoted');
    // paid has a manual gate: it waits after baking until promoted by a person.
    current = applyChanges(current, planTracks(inputs(current), policy(minutes(44))).changes, true);
    plan = planTracks(inputs(current), policy(minutes(74)));
    expect(plan.events.map((e) => e.kind)).toEqual(['waiting']);
    current = applyChanges(current, plan.changes, true);
    expect(planTracks(inputs(current), policy(minutes(200))).changes).toEqual([]);
    const paid = readRelease(current.get('web-paid')!.annotations);
    current = applyChanges(
      current,
      [
        {
          namespace: 'shop',
          name: 'web-paid',
          resourceVersion: current.get('web-paid')!.resourceVersion,
          apply: {
            images: { app: 'r:new' },
            annotations: {
              'switchyard.dev/release': JSON.stringify({ ...paid.record, gate: true }),
              'switchyard.dev/release-history': JSON.stringify(paid.history),
            },
          },
        },
      ],
      true,
    );
    plan = planTracks(inputs(current), policy(minutes(201)));
    expect(plan.events.map((e) => [e.kind, e.where])).toEqual([['promoted', 'production']]);
    current = applyChanges(current, plan.changes, true);
    current = applyChanges(current, planTracks(inputs(current), policy(minutes(202))).changes, true);
    plan = planTracks(inputs(current), policy(minutes(262)));
    expect(plan.events.map((e) => [e.kind, e.where])).toEqual([['released', 'production']]);
    current = applyChanges(current, plan.changes, true);
    expect(names.map((n) => image(current, n))).toEqual(['r:new', 'r:new', 'r:new', 'r:new']);
    expect(planTracks(inputs(current), policy(minutes(300))).changes).toEqual([]);
  });

  it('stops a release whose track restarts climb while baking, and rolls back every track it reached', () => {
    let current = start();
    current = applyChanges(current, [], true);
    current.set('web-internal', {
      ...current.get('web-internal')!,
      observedGeneration: 2,
      updatedReplicas: 3,
      availableReplicas: 3,
    });
    current = applyChanges(
      current,
      planTracks(inputs(current, { 'web-internal': 1 }), policy(minutes(1))).changes,
      true,
    );
    current = applyChanges(
      current,
      planTracks(inputs(current, { 'web-internal': 1 }), policy(minutes(11))).changes,
      true,
    );
    current = applyChanges(current, planTracks(inputs(current), policy(minutes(12))).changes, true);
    expect(state(current, 'web-free')).toBe('baking');
    const plan = planTracks(inputs(current, { 'web-free': 4 }), policy(minutes(20)));
    expect(plan.events).toEqual([
      expect.objectContaining({
        kind: 'rolled-back',
        where: 'free',
        message: expect.stringMatching(/restarts climbing \(0 -> 4\).*internal, free/),
      }),
    ]);
    current = applyChanges(current, plan.changes, true);
    expect(names.map((n) => image(current, n))).toEqual(['r:old', 'r:old', 'r:old', 'r:old']);
    expect(state(current, 'web-internal')).toBe('rolled-back');
    expect(readRelease(current.get('web-free')!.annotations).history[0]).toMatchObject({ sha: SHA, rolledBack: true });
    // A stopped release stays stopped.
    expect(planTracks(inputs(current), policy(minutes(30))).changes).toEqual([]);
  });

  it('fails a track waiting at its gate when it becomes unavailable, without rolling back when autoRollback is off', () => {
    let current = start();
    const onlyGate = (m: number) => ({ now: minutes(m), autoRollback: false, historyLimit: 10 });
    current.set('web-internal', {
      ...current.get('web-internal')!,
      observedGeneration: 2,
      updatedReplicas: 3,
      availableReplicas: 3,
    });
    const gated = inputs(current).map((t, i) => (i === 0 ? { ...t, manualGate: true, bakeMinutes: 0 } : t));
    current = applyChanges(current, planTracks(gated, onlyGate(1)).changes, true);
    expect(state(current, 'web-internal')).toBe('waiting');
    current.set('web-internal', { ...current.get('web-internal')!, availableReplicas: 1 });
    const plan = planTracks(
      inputs(current).map((t, i) => (i === 0 ? { ...t, manualGate: true } : t)),
      onlyGate(2),
    );
    expect(plan.events).toEqual([
      expect.objectContaining({ kind: 'failed', message: expect.stringMatching(/1\/3 replicas available/) }),
    ]);
    current = applyChanges(current, plan.changes);
    expect(image(current, 'web-internal')).toBe('r:new');
    expect(state(current, 'web-internal')).toBe('failed');
  });

  it('fails a track whose rollout exceeded its progress deadline', () => {
    const current = start();
    current.set('web-internal', failDeadline(current.get('web-internal')!));
    const plan = planTracks(inputs(current), policy(minutes(15)));
    expect(plan.events[0]).toMatchObject({
      kind: 'rolled-back',
      message: expect.stringMatching(/timed out progressing/),
    });
  });
});

describe('planTracks after a lost write', () => {
  it('marks a track the release already left as promoted', () => {
    let current = start();
    current.set('web-internal', {
      ...current.get('web-internal')!,
      observedGeneration: 2,
      updatedReplicas: 3,
      availableReplicas: 3,
    });
    current = applyChanges(current, planTracks(inputs(current), policy(minutes(0))).changes, true);
    const plan = planTracks(inputs(current), policy(minutes(10)));
    // Only the first change (free entered) lands; internal's own "promoted" is lost.
    current = applyChanges(current, plan.changes.slice(0, 1), true);
    expect(state(current, 'web-internal')).toBe('baking');
    const repair = planTracks(inputs(current), policy(minutes(11)));
    current = applyChanges(current, repair.changes, true);
    expect(state(current, 'web-internal')).toBe('promoted');
    expect(state(current, 'web-free')).toBe('baking');
  });
});
