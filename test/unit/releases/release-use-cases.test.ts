import { describe, expect, it } from 'vitest';
import { handleCiResult, releaseStatus, rollback, watchReleases } from '../../../shared/app/releases/index.ts';
import { AppSchema } from '../../../shared/config/schema.ts';
import type { CiResultIntent } from '../../../shared/domain/intents.ts';
import { TransientError } from '../../../shared/errors.ts';
import { silentLogger } from '../../../shared/ports/logger.ts';
import { deployment, failDeadline } from '../../support/releases/deployments.ts';
import { fakeReleaseCluster, recordingScm } from '../../support/releases/fakes.ts';

const A = 'a'.repeat(40);
const B = 'b'.repeat(40);
const app = AppSchema.parse({
  name: 'shop',
  repo: 'acme/shop',
  image: 'registry.example.com/shop',
  cluster: 'main',
  environments: [
    { name: 'staging', branch: 'main', namespace: 'shop', deployments: [{ name: 'web' }, { name: 'worker' }] },
    { name: 'nightly', branch: 'nightly', namespace: 'shop', deployments: [{ name: 'batch' }] },
  ],
});
const intent = (sha: string, eventTime: string, extra: Partial<CiResultIntent> = {}): CiResultIntent => ({
  kind: 'ci_result',
  deliveryId: `d-${sha[0]}`,
  repo: 'acme/shop',
  eventTime,
  sha,
  branch: 'main',
  result: 'success',
  source: 'ci_notification',
  image: null,
  prs: [],
  url: null,
  name: null,
  ...extra,
});

function setup() {
  const cluster = fakeReleaseCluster([deployment('web'), deployment('worker'), deployment('batch')]);
  const github = recordingScm();
  const deps = {
    apps: [app],
    cluster: async () => cluster.port,
    scm: github.scm,
    clock: { now: () => new Date('2026-11-02T10:00:00Z'), sleep: async () => {} },
    logger: silentLogger,
  };
  return { cluster, github, deps };
}

describe('release use cases (in-memory cluster)', () => {
  it('releases to the environments bound to the branch only, and reports once both Deployments rolled out', async () => {
    const { cluster, github, deps } = setup();
    const result = await handleCiResult(deps, intent(A, '2026-11-02T09:00:00Z'));
    expect(result.environments.map((e) => [e.environment, e.action])).toEqual([['staging', 'deployed']]);
    expect(cluster.get('batch').containers[0]?.image).toBe('registry.example.com/batch:old');
    expect(cluster.get('web').containers[0]?.image).toBe(`registry.example.com/shop:${A}`);
    expect(github.deployments).toEqual([
      expect.objectContaining({ environment: 'shop/staging', ref: A, production: false, transient: false }),
    ]);

    const tick = await watchReleases(deps);
    expect(tick.ticks[0]?.events).toEqual([expect.objectContaining({ kind: 'released', where: 'staging' })]);
    expect(github.deploymentStatuses.map((s) => s.state)).toEqual(['in_progress', 'success']);
    expect(github.statuses.map((s) => [s.context, s.state])).toEqual([
      ['switchyard/release/staging', 'pending'],
      ['switchyard/release/staging', 'success'],
    ]);
    expect((await watchReleases(deps)).ticks).toEqual([]);
  });

  it('ignores failed CI results and notifications without a branch', async () => {
    const { cluster, deps } = setup();
    expect((await handleCiResult(deps, intent(A, '2026-11-02T09:00:00Z', { result: 'failure' }))).environments).toEqual(
      [],
    );
    expect((await handleCiResult(deps, intent(A, '2026-11-02T09:00:00Z', { branch: null }))).environments).toEqual([]);
    expect(cluster.writes).toEqual([]);
  });

  it('reads again and plans again when a write loses a race, without applying anything twice', async () => {
    const { cluster, deps } = setup();
    cluster.conflictOnce.add('worker');
    const result = await handleCiResult(deps, intent(A, '2026-11-02T09:00:00Z'));
    expect(result.environments[0]?.action).toBe('deployed');
    expect(cluster.writes.map((w) => w.name)).toEqual(['web', 'worker']);
    expect(cluster.get('worker').containers[0]?.image).toBe(`registry.example.com/shop:${A}`);
  });

  it('rolls back automatically after a failed rollout and reports the failure to GitHub', async () => {
    const { cluster, github, deps } = setup();
    await handleCiResult(deps, intent(A, '2026-11-02T09:00:00Z'));
    await watchReleases(deps);
    cluster.stall.add('web');
    await handleCiResult(deps, intent(B, '2026-11-02T10:00:00Z'));
    cluster.set(failDeadline(cluster.get('web')));
    const tick = await watchReleases(deps);
    expect(tick.ticks[0]?.events.map((e) => [e.kind, e.where])).toEqual([['rolled-back', 'web']]);
    expect(cluster.get('web').containers[0]?.image).toBe(`registry.example.com/shop:${A}`);
    expect(github.deploymentStatuses.at(-1)).toMatchObject({ deploymentId: 2, state: 'failure' });
    expect((await releaseStatus(deps)).map((r) => [r.deployment, r.state])).toEqual([
      ['web', 'rolled-back'],
      ['worker', 'released'],
      ['batch', 'unreleased'],
    ]);
  });

  it('plans a rollback on a dry run without writing, and names what is missing', async () => {
    const { cluster, deps } = setup();
    await handleCiResult(deps, intent(A, '2026-11-02T09:00:00Z'));
    await handleCiResult(deps, intent(B, '2026-11-02T10:00:00Z'));
    const writes = cluster.writes.length;
    expect(await rollback(deps, 'shop', 'staging', undefined, { dryRun: true })).toMatchObject({
      action: 'planned',
      fromSha: B,
      toSha: A,
    });
    expect(cluster.writes.length).toBe(writes);
    await expect(rollback(deps, 'shop', 'qa')).rejects.toThrow(
      'app "shop" has no environment "qa" (environments: staging, nightly)',
    );
  });

  it('releases even when GitHub is down, and reports nothing it could not', async () => {
    const { cluster, deps } = setup();
    const down = async (): Promise<never> => {
      throw new TransientError('GitHub answered 503');
    };
    const result = await handleCiResult(
      { ...deps, scm: { setCommitStatus: down, createDeployment: down, setDeploymentStatus: down } },
      intent(A, '2026-11-02T09:00:00Z'),
    );
    expect(result.environments).toEqual([expect.objectContaining({ action: 'deployed', environment: 'staging' })]);
    expect(result.environments[0]?.githubDeploymentId).toBeUndefined();
    expect(cluster.get('web').containers[0]?.image).toBe(`registry.example.com/shop:${A}`);
  });
});
