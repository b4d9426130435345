import { AppsV1Api, CoreV1Api } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { watchUntil } from '../../../shared/adapters/k8s/watch-until.ts';
import { handleCiResult, releaseStatus, rollback, watchReleases } from '../../../shared/app/releases/index.ts';
import { readRelease } from '../../../shared/domain/release/release-record.ts';
import { testKubeConfig, testNamespaces } from '../../support/cluster/test-namespace.ts';
import { type GitHubServer, startGitHubServer } from '../../support/github/index.ts';
import {
  ciSuccess,
  createDeployments,
  landOnBranch,
  manualClock,
  releaseDeps,
  waitRolledOut,
} from '../../support/releases/cluster-fixtures.ts';

const kc = testKubeConfig();
const namespaces = testNamespaces(kc);
const apps = kc.makeApiClient(AppsV1Api);
const core = kc.makeApiClient(CoreV1Api);
const REPO = 'acme/shop';
const [A, B, C] = ['c1', 'c2', 'c3'].map((x) => x.repeat(20)) as [string, string, string];
const image = (sha: string) => `registry.example.com/shop/web:${sha}`;
let github: GitHubServer;

beforeAll(async () => {
  github = await startGitHubServer();
  // The commits the tests release, on main in this order (GitHub's history decides order and branch).
  landOnBranch(github, REPO, [A, B, C]);
});
afterAll(async () => {
  await github?.close();
  await namespaces.cleanup();
});

async function setup(prefix: string, progressDeadlineSeconds?: number) {
  const namespace = await namespaces.create(prefix);
  await createDeployments(kc, namespace, [
    {
      name: 'web',
      containers: [{ name: 'web', image: image('v0') }],
      ...(progressDeadlineSeconds ? { progressDeadlineSeconds } : {}),
    },
  ]);
  const app = {
    name: 'shop',
    repo: REPO,
    image: 'registry.example.com/shop/web',
    cluster: 'test',
    environments: [{ name: 'staging', branch: 'main', namespace, deployments: [{ name: 'web' }] }],
  };
  return { namespace, deps: releaseDeps(kc, github.url, [app], manualClock()) };
}

const running = async (namespace: string) =>
  (await apps.readNamespacedDeployment({ namespace, name: 'web' })).spec?.template.spec?.containers[0]?.image;

describe('rollback', () => {
  it('redeploys the previous release without a rebuild when the CLI asks, and shows it in GitHub', async () => {
    const { namespace, deps } = await setup('rollback-cli');
    const wait = () => ({ deadline: Date.now() + 60_000 });
    await handleCiResult(deps, ciSuccess(REPO, A, '2026-11-02T09:00:00Z'), wait());
    await handleCiResult(deps, ciSuccess(REPO, B, '2026-11-02T10:00:00Z'), wait());
    expect(await running(namespace)).toBe(image(B));

    const result = await rollback(deps, 'shop', 'staging', undefined, wait());

    expect(result).toMatchObject({ action: 'rolled-back', fromSha: B, toSha: A, image: image(A) });
    expect(await running(namespace)).toBe(image(A));
    const web = await apps.readNamespacedDeployment({ namespace, name: 'web' });
    const { record, history } = readRelease(web.metadata?.annotations ?? {});
    expect(record).toMatchObject({ sha: A, rollbackOf: B, state: 'released' });
    expect(history.map((h) => [h.sha, h.rolledBack ?? false])).toEqual([
      [A, false],
      [B, true],
    ]);
    const deployment = github.state.deployments.find((d) => d.id === result.githubDeploymentId);
    expect(deployment).toMatchObject({
      sha: A,
      environment: 'shop/staging',
      payload: expect.objectContaining({ rollbackOf: B }),
    });
    expect(
      github.state.deploymentStatuses.filter((s) => s.deploymentId === deployment?.id).map((s) => s.state),
    ).toEqual(['in_progress', 'success']);
    expect(github.state.statuses.filter((s) => s.sha === B).at(-1)).toMatchObject({
      state: 'failure',
      description: expect.stringMatching(/Rolled back to c1c1c1c/),
    });
    // A late retry of B's notification does not bring it back.
    const late = await handleCiResult(deps, ciSuccess(REPO, B, '2026-11-02T10:00:00Z'));
    expect(late.environments[0]?.reason).toMatch(/was rolled back/);

    // --to names any release in the history, even the one rolled back.
    const forward = await rollback(deps, 'shop', 'staging', B.slice(0, 7), wait());
    expect(forward).toMatchObject({ action: 'rolled-back', fromSha: A, toSha: B });
    expect(await running(namespace)).toBe(image(B));
    expect(await rollback(deps, 'shop', 'staging', 'deadbee')).toMatchObject({
      action: 'skipped',
      reason: expect.stringMatching(/not in the release history/),
    });
  });

  it('rolls back automatically when the rollout exceeds its progress deadline', async () => {
    const { namespace, deps } = await setup('rollback-auto', 3);
    await handleCiResult(deps, ciSuccess(REPO, A, '2026-11-02T09:00:00Z'), { deadline: Date.now() + 60_000 });
    // No room for a surge pod: the new ReplicaSet cannot create pods, so the rollout stalls.
    await core.createNamespacedResourceQuota({
      namespace,
      body: { metadata: { name: 'pods' }, spec: { hard: { pods: '2' } } },
    });
    await watchUntil(kc, {
      apiVersion: 'v1',
      kind: 'ResourceQuota',
      namespace,
      deadline: Date.now() + 30_000,
      until: ([q]) =>
        (q?.['status'] as { used?: { pods?: string } } | undefined)?.used?.pods === '2' ? true : undefined,
    });

    const result = await handleCiResult(deps, ciSuccess(REPO, C, '2026-11-02T11:00:00Z'), {
      deadline: Date.now() + 60_000,
    });

    expect(result.environments[0]).toMatchObject({ action: 'deployed', rolledOut: false });
    expect(result.environments[0]?.tick?.events).toEqual([
      expect.objectContaining({
        kind: 'rolled-back',
        sha: C,
        message: expect.stringMatching(/ProgressDeadlineExceeded|progressing/),
      }),
    ]);
    await waitRolledOut(kc, namespace, ['web']);
    expect(await running(namespace)).toBe(image(A));
    expect((await releaseStatus(deps)).map((r) => [r.sha, r.state])).toEqual([[C, 'rolled-back']]);
    const deployment = github.state.deployments.find((d) => d.sha === C);
    expect(
      github.state.deploymentStatuses.filter((s) => s.deploymentId === deployment?.id).map((s) => s.state),
    ).toEqual(['in_progress', 'failure']);
    expect(github.state.statuses.filter((s) => s.sha === C).map((s) => s.state)).toEqual(['pending', 'failure']);
    expect((await watchReleases(deps)).ticks).toEqual([]);
  });
});
