import { AppsV1Api } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handleCiResult, promoteRelease, releaseStatus, watchReleases } from '../../../shared/app/releases/index.ts';
import { testKubeConfig, testNamespaces } from '../../support/cluster/test-namespace.ts';
import { type GitHubServer, startGitHubServer } from '../../support/github/index.ts';
import {
  ciSuccess,
  createDeployments,
  landOnBranch,
  manualClock,
  patchPodStatus,
  podsOf,
  releaseDeps,
  waitRolledOut,
} from '../../support/releases/cluster-fixtures.ts';
import { GRAY_VECTORS } from '../../support/releases/gray-vectors.ts';

const kc = testKubeConfig();
const namespaces = testNamespaces(kc);
const apps = kc.makeApiClient(AppsV1Api);
const REPO = 'acme/shop';
const OLD = 'registry.example.com/shop/web:v1';
let github: GitHubServer;

beforeAll(async () => {
  github = await startGitHubServer();
  // The commits the tests release, on main in this order (GitHub's history decides order and branch).
  landOnBranch(
    github,
    REPO,
    ['9c', 'ad', 'be'].map((x) => x.repeat(20)),
  );
});
afterAll(async () => {
  await github?.close();
  await namespaces.cleanup();
});

async function pair(namespace: string, prefix: string, stableReplicas: number) {
  await createDeployments(kc, namespace, [
    { name: `${prefix}-canary`, replicas: 0, containers: [{ name: 'app', image: OLD }] },
    { name: `${prefix}-stable`, replicas: stableReplicas, containers: [{ name: 'app', image: OLD }] },
  ]);
}

const replicas = async (namespace: string, prefix: string) =>
  Promise.all(
    ['canary', 'stable'].map(async (r) => {
      const d = await apps.readNamespacedDeployment({ namespace, name: `${prefix}-${r}` });
      return [d.spec?.replicas, d.spec?.template.spec?.containers[0]?.image] as const;
    }),
  );

describe('gray releases on a real control plane', () => {
  it('splits replicas between canary and stable by Argo Rollouts rounding (the reference vectors)', async () => {
    const namespace = await namespaces.create('gray-vectors');
    await Promise.all(GRAY_VECTORS.map(([n], i) => pair(namespace, `v${i}`, n)));
    const app = {
      name: 'shop',
      repo: REPO,
      image: 'registry.example.com/shop/web',
      cluster: 'test',
      environments: GRAY_VECTORS.map(([, weight, maxSurge], i) => ({
        name: `v${i}`,
        branch: 'main',
        namespace,
        gray: { canary: `v${i}-canary`, stable: `v${i}-stable`, containers: ['app'], maxSurge, steps: [{ weight }] },
      })),
    };
    const deps = releaseDeps(kc, github.url, [app], manualClock());
    const SHA = '9c'.repeat(20);
    const result = await handleCiResult(deps, ciSuccess(REPO, SHA, '2026-11-02T09:00:00Z'));
    expect(result.environments.every((e) => e.action === 'deployed')).toBe(true);
    const actual = await Promise.all(
      GRAY_VECTORS.map(async (_, i) => (await replicas(namespace, `v${i}`)).map(([n]) => n)),
    );
    expect(actual).toEqual(GRAY_VECTORS.map(([, , , canary, stable]) => [canary, stable]));
  });

  it('walks the steps, holds a step without pause for promote, then moves stable to the new image and the canary to zero', async () => {
    const namespace = await namespaces.create('gray-steps');
    await pair(namespace, 'web', 3);
    const app = {
      name: 'shop',
      repo: REPO,
      image: 'registry.example.com/shop/web',
      cluster: 'test',
      environments: [
        {
          name: 'production',
          branch: 'main',
          namespace,
          production: true,
          gray: {
            canary: 'web-canary',
            stable: 'web-stable',
            containers: ['app'],
            steps: [{ weight: 10, pauseMinutes: 5 }, { weight: 50 }],
          },
        },
      ],
    };
    const clock = manualClock();
    const deps = releaseDeps(kc, github.url, [app], clock);
    const SHA = 'ad'.repeat(20);
    const NEW = `registry.example.com/shop/web:${SHA}`;
    const tick = async (minutes: number) => {
      clock.advance(minutes);
      await waitRolledOut(kc, namespace, ['web-canary', 'web-stable']);
      return watchReleases(deps);
    };
    await handleCiResult(deps, ciSuccess(REPO, SHA, '2026-11-02T09:00:00Z'));
    expect(await replicas(namespace, 'web')).toEqual([
      [1, NEW],
      [2, OLD],
    ]);
    await tick(0);
    await tick(4);
    expect((await replicas(namespace, 'web')).map(([n]) => n)).toEqual([1, 2]);
    await tick(1);
    expect((await replicas(namespace, 'web')).map(([n]) => n)).toEqual([2, 1]);
    await tick(0);
    await tick(600);
    expect((await replicas(namespace, 'web')).map(([n]) => n)).toEqual([2, 1]);
    expect((await releaseStatus(deps)).map((r) => [r.track, r.state])).toEqual([
      ['canary', 'waiting'],
      ['stable', 'unreleased'],
    ]);
    expect(await promoteRelease(deps, 'shop', 'production')).toMatchObject({ promoted: 'canary' });
    // promote passes the gate and ticks at once; when the canary's last rollout is still settling,
    // the release finishes on the next tick instead.
    await tick(0);
    expect(await replicas(namespace, 'web')).toEqual([
      [0, NEW],
      [3, NEW],
    ]);
    await tick(0);
    expect((await releaseStatus(deps)).map((r) => [r.track, r.sha, r.state])).toEqual([
      ['canary', SHA, 'promoted'],
      ['stable', SHA, 'released'],
    ]);
    const [deployment] = github.state.deployments.filter((d) => d.sha === SHA);
    expect(github.state.deploymentStatuses.filter((s) => s.deploymentId === deployment?.id).at(-1)?.state).toBe(
      'success',
    );
  });

  it('returns every replica to stable when the canary fails its health', async () => {
    const namespace = await namespaces.create('gray-fail');
    await pair(namespace, 'web', 4);
    const app = {
      name: 'shop',
      repo: REPO,
      image: 'registry.example.com/shop/web',
      cluster: 'test',
      environments: [
        {
          name: 'production',
          branch: 'main',
          namespace,
          gray: {
            canary: 'web-canary',
            stable: 'web-stable',
            containers: ['app'],
            steps: [{ weight: 25, pauseMinutes: 30 }, { weight: 50 }],
          },
        },
      ],
    };
    const clock = manualClock();
    const deps = releaseDeps(kc, github.url, [app], clock);
    await handleCiResult(deps, ciSuccess(REPO, 'be'.repeat(20), '2026-11-02T09:00:00Z'));
    await waitRolledOut(kc, namespace, ['web-canary', 'web-stable']);
    await watchReleases(deps);
    expect((await replicas(namespace, 'web')).map(([n]) => n)).toEqual([1, 3]);
    const [pod] = await podsOf(kc, namespace, 'web-canary');
    await patchPodStatus(kc, namespace, pod!.metadata!.name!, {
      containerStatuses: [{ ...JSON.parse(JSON.stringify(pod!.status!.containerStatuses![0])), restartCount: 2 }],
    });
    clock.advance(10);
    const result = await watchReleases(deps);
    expect(result.ticks[0]?.events[0]).toMatchObject({
      kind: 'rolled-back',
      message: expect.stringMatching(/all 4 replicas back on stable/),
    });
    expect((await replicas(namespace, 'web')).map(([n, image]) => [n, image === OLD])).toEqual([
      [0, false],
      [4, true],
    ]);
  });
});
