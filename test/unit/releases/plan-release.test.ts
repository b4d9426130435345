import { describe, expect, it } from 'vitest';
import { EnvironmentSchema } from '../../../shared/config/release-schema.ts';
import type { DeploymentView } from '../../../shared/domain/release/deployment-view.ts';
import { planRelease, releaseGate } from '../../../shared/domain/release/plan-release.ts';
import { readRelease } from '../../../shared/domain/release/release-record.ts';
import { applyChanges, deployment } from '../../support/releases/deployments.ts';

const SHA_A = 'a'.repeat(40);
const SHA_B = 'b'.repeat(40);
const SHA_C = 'c'.repeat(40);

const env = EnvironmentSchema.parse({
  name: 'staging',
  branch: 'main',
  namespace: 'shop',
  deployments: [{ name: 'web', containers: ['app'] }, { name: 'worker' }],
  historyLimit: 2,
});

function cluster(): Map<string, DeploymentView> {
  return new Map([
    [
      'web',
      deployment('web', {
        containers: [
          { name: 'app', image: 'r/web:old' },
          { name: 'sidecar', image: 'envoy:1' },
        ],
      }),
    ],
    ['worker', deployment('worker')],
  ]);
}

const at = (iso: string) => ({ now: new Date(iso), eventTime: iso });

describe('planRelease', () => {
  it('sets only the configured containers and records sha, image, previous image and time', () => {
    // Prepare
    const current = cluster();
    // Act
    const plan = planRelease(env, current, { sha: SHA_A, image: 'r/web:a', ...at('2026-11-01T10:00:00Z') });
    // Assess
    expect(plan.action).toBe('deploy');
    if (plan.action !== 'deploy') return;
    expect(plan.changes.map((c) => [c.name, c.apply?.images])).toEqual([
      ['web', { app: 'r/web:a' }],
      ['worker', { worker: 'r/web:a' }],
    ]);
    const web = plan.changes[0]!;
    expect(web.resourceVersion).toBe('1');
    const { record, history } = readRelease(web.apply!.annotations);
    expect(record).toMatchObject({
      sha: SHA_A,
      image: 'r/web:a',
      previousImages: { app: 'r/web:old' },
      state: 'rolling',
      eventTime: '2026-11-01T10:00:00Z',
      at: '2026-11-01T10:00:00.000Z',
    });
    expect(history.map((h) => h.sha)).toEqual([SHA_A]);
    expect(web.apply!.annotations['switchyard.dev/deployed-sha']).toBe(SHA_A);
  });

  const afterB = () =>
    applyChanges(
      cluster(),
      changesOf(planRelease(env, cluster(), { sha: SHA_B, image: 'r:b', ...at('2026-11-01T11:00:00Z') })),
      true,
    );

  // GitHub's compare/{released}...{candidate} status -> what happens; arrival time never counts.
  it.each([
    ['ahead', 'deploy', null],
    ['behind', 'skip', /aaaaaaa is older than the released bbbbbbb/],
    ['diverged', 'skip', /aaaaaaa has diverged from the released bbbbbbb/],
    [null, 'skip', /GitHub cannot order aaaaaaa against the released bbbbbbb/],
  ] as const)('orders by ancestry: %s -> %s', (status, action, reason) => {
    for (const eventTime of ['2026-11-01T10:00:00Z', '2026-11-01T12:00:00Z']) {
      const plan = planRelease(env, afterB(), {
        sha: SHA_A,
        image: 'r:a',
        ...at(eventTime),
        relation: new Map([[SHA_B, status]]),
      });
      expect(plan.action).toBe(action);
      if (reason) expect(plan.action === 'skip' && plan.reason).toMatch(reason);
    }
  });

  it('never overtakes a release GitHub was not asked about, and skips the same commit twice', () => {
    expect(planRelease(env, afterB(), { sha: SHA_A, image: 'r:a', ...at('2026-11-02T10:00:00Z') })).toMatchObject({
      action: 'skip',
    });
    expect(planRelease(env, afterB(), { sha: SHA_B, image: 'r:b', ...at('2026-11-01T12:00:00Z') })).toMatchObject({
      action: 'skip',
      reason: expect.stringMatching(/already released/),
    });
  });

  it('deploys an older commit when an operator forces it', () => {
    const plan = planRelease(env, afterB(), {
      sha: SHA_A,
      image: 'r:a',
      ...at('2026-11-01T12:00:00Z'),
      relation: new Map([[SHA_B, 'behind']]),
      force: true,
    });
    expect(changesOf(plan).map((c) => c.apply?.images)).toEqual([{ app: 'r:a' }, { worker: 'r:a' }]);
  });

  it('gates before any GitHub read: what to compare, already released, rolled back, missing', () => {
    expect(releaseGate(env, cluster(), SHA_A)).toEqual({ proceed: true, compareWith: [] });
    expect(releaseGate(env, afterB(), SHA_A)).toEqual({ proceed: true, compareWith: [SHA_B] });
    expect(releaseGate(env, afterB(), SHA_A, true)).toEqual({ proceed: true, compareWith: [] });
    expect(releaseGate(env, afterB(), SHA_B)).toEqual({ proceed: false, reason: 'bbbbbbb is already released here' });
    const noWorker = cluster();
    noWorker.delete('worker');
    expect(releaseGate(env, noWorker, SHA_A)).toEqual({ proceed: false, reason: 'Deployment shop/worker not found' });
  });

  it('keeps a bounded history, newest first', () => {
    let current = cluster();
    for (const [sha, hour] of [
      [SHA_A, 10],
      [SHA_B, 11],
      [SHA_C, 12],
    ] as const) {
      current = applyChanges(
        current,
        changesOf(
          planRelease(env, current, {
            sha,
            image: `r:${sha[0]}`,
            ...at(`2026-11-01T${hour}:00:00Z`),
            relation: new Map([
              [SHA_A, 'ahead'],
              [SHA_B, 'ahead'],
            ]),
          }),
        ),
        true,
      );
    }
    const { record, history } = readRelease(current.get('web')!.annotations);
    expect(history.map((h) => h.sha)).toEqual([SHA_C, SHA_B]);
    expect(record?.previousImages).toEqual({ app: 'r:b' });
    expect(current.get('web')!.containers).toEqual([
      { name: 'app', image: 'r:c' },
      { name: 'sidecar', image: 'envoy:1' },
    ]);
  });

  it('skips an environment whose Deployment or container is missing, naming it', () => {
    const noWorker = cluster();
    noWorker.delete('worker');
    expect(planRelease(env, noWorker, { sha: SHA_A, image: 'r:a', ...at('2026-11-01T10:00:00Z') })).toEqual({
      action: 'skip',
      reason: 'Deployment shop/worker not found',
    });
    const renamed = cluster();
    renamed.set('worker', deployment('worker', { containers: [{ name: 'main', image: 'x' }] }));
    const plan = planRelease(env, renamed, { sha: SHA_A, image: 'r:a', ...at('2026-11-01T10:00:00Z') });
    expect(plan.action === 'skip' && plan.reason).toMatch(/has no container worker/);
  });

  it('enters only the first track of a staged canary', () => {
    const tracked = EnvironmentSchema.parse({
      name: 'production',
      branch: 'main',
      namespace: 'shop',
      tracks: [
        { name: 'internal', deployment: 'web-internal', containers: ['app'] },
        { name: 'free', deployment: 'web-free', containers: ['app'] },
      ],
    });
    const current = new Map([
      ['web-internal', deployment('web-internal', { containers: [{ name: 'app', image: 'r:old' }] })],
      ['web-free', deployment('web-free', { containers: [{ name: 'app', image: 'r:old' }] })],
    ]);
    const plan = planRelease(tracked, current, { sha: SHA_A, image: 'r:a', ...at('2026-11-01T10:00:00Z') });
    expect(changesOf(plan).map((c) => c.name)).toEqual(['web-internal']);
  });

  it('starts a gray release on the canary with the first step split over both Deployments', () => {
    const grayEnv = EnvironmentSchema.parse({
      name: 'production',
      branch: 'main',
      namespace: 'shop',
      gray: {
        canary: 'web-canary',
        stable: 'web',
        containers: ['app'],
        steps: [{ weight: 10, pauseMinutes: 5 }, { weight: 50 }],
      },
    });
    const current = new Map([
      ['web-canary', deployment('web-canary', { replicas: 0, containers: [{ name: 'app', image: 'r:old' }] })],
      ['web', deployment('web', { replicas: 10, containers: [{ name: 'app', image: 'r:old' }] })],
    ]);
    const plan = planRelease(grayEnv, current, { sha: SHA_A, image: 'r:a', ...at('2026-11-01T10:00:00Z') });
    const changes = changesOf(plan);
    expect(changes.map((c) => [c.name, c.replicas, c.apply?.images])).toEqual([
      ['web-canary', 1, { app: 'r:a' }],
      ['web', 9, undefined],
    ]);
    expect(readRelease(changes[0]!.apply!.annotations).record).toMatchObject({ step: 0, total: 10 });
  });
});

function changesOf(plan: ReturnType<typeof planRelease>) {
  if (plan.action !== 'deploy') throw new Error(`expected a deploy, got: ${plan.reason}`);
  return plan.changes;
}
