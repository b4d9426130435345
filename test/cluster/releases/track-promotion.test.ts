import { AppsV1Api } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handleCiResult, promoteRelease, releaseStatus, watchReleases } from '../../../shared/app/releases/index.ts';
import { Keys } from '../../../shared/domain/naming.ts';
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

const kc = testKubeConfig();
const namespaces = testNamespaces(kc);
const apps = kc.makeApiClient(AppsV1Api);
const REPO = 'acme/shop';
const TRACKS = [
  { name: 'internal', deployment: 'web-internal', bakeMinutes: 10 },
  { name: 'free', deployment: 'web-free', bakeMinutes: 30 },
  { name: 'paid', deployment: 'web-paid', bakeMinutes: 30, manualGate: true },
  { name: 'production', deployment: 'web-production', bakeMinutes: 60 },
];
let github: GitHubServer;

beforeAll(async () => {
  github = await startGitHubServer();
  // The commits the tests release, on main in this order (GitHub's history decides order and branch).
  landOnBranch(
    github,
    REPO,
    ['7a', '8b'].map((x) => x.repeat(20)),
  );
});
afterAll(async () => {
  await github?.close();
  await namespaces.cleanup();
});

async function setup(prefix: string) {
  const namespace = await namespaces.create(prefix);
  await createDeployments(
    kc,
    namespace,
    TRACKS.map((t) => ({
      name: t.deployment,
      containers: [{ name: 'app', image: 'registry.example.com/shop/web:v1' }],
      labels: { [Keys.track]: t.name },
    })),
  );
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
        tracks: TRACKS.map((t) => ({ ...t, containers: ['app'] })),
      },
    ],
  };
  return { namespace, app };
}

const images = async (namespace: string) =>
  Promise.all(
    TRACKS.map(
      async (t) =>
        (await apps.readNamespacedDeployment({ namespace, name: t.deployment })).spec?.template.spec?.containers[0]
          ?.image,
    ),
  );

/** What the watcher would see at a tick: the rollouts it just started are finished first. */
async function settle(namespace: string) {
  await waitRolledOut(
    kc,
    namespace,
    TRACKS.map((t) => t.deployment),
  );
}

describe('track promotion on a real control plane', () => {
  it('moves a release internal -> free -> paid -> production after bake times and the manual gate', async () => {
    const { namespace, app } = await setup('tracks-ok');
    const clock = manualClock();
    const deps = releaseDeps(kc, github.url, [app], clock);
    const SHA = '7a'.repeat(20);
    const NEW = `registry.example.com/shop/web:${SHA}`;
    const OLD = 'registry.example.com/shop/web:v1';
    await handleCiResult(deps, ciSuccess(REPO, SHA, '2026-11-02T09:00:00Z'));
    expect(await images(namespace)).toEqual([NEW, OLD, OLD, OLD]);

    const tick = async (minutes: number) => {
      clock.advance(minutes);
      await settle(namespace);
      return watchReleases(deps);
    };
    await tick(0); // internal rolled out: baking begins
    await tick(9);
    expect(await images(namespace)).toEqual([NEW, OLD, OLD, OLD]);
    await tick(1); // baked 10 minutes: free gets it
    expect(await images(namespace)).toEqual([NEW, NEW, OLD, OLD]);
    await tick(0);
    await tick(30);
    expect(await images(namespace)).toEqual([NEW, NEW, NEW, OLD]);
    await tick(0);
    await tick(30); // paid baked, but it has a manual gate
    await tick(120);
    expect(await images(namespace)).toEqual([NEW, NEW, NEW, OLD]);
    expect((await releaseStatus(deps)).map((r) => [r.track, r.state])).toEqual([
      ['internal', 'promoted'],
      ['free', 'promoted'],
      ['paid', 'waiting'],
      ['production', 'unreleased'],
    ]);

    const promoted = await promoteRelease(deps, 'shop', 'production');
    expect(promoted).toMatchObject({ promoted: 'paid', sha: SHA });
    expect(await images(namespace)).toEqual([NEW, NEW, NEW, NEW]);
    await tick(0);
    await tick(59);
    expect((await releaseStatus(deps)).at(-1)?.state).toBe('baking');
    await tick(1);
    expect((await releaseStatus(deps)).map((r) => r.state)).toEqual(['promoted', 'promoted', 'promoted', 'released']);

    const [deployment] = github.state.deployments.filter((d) => d.sha === SHA);
    expect(deployment).toMatchObject({ environment: 'shop/production', production: true, transient: false });
    const states = github.state.deploymentStatuses.filter((s) => s.deploymentId === deployment?.id);
    expect(states.map((s) => s.state)).toEqual([
      'in_progress',
      'in_progress',
      'in_progress',
      'in_progress',
      'in_progress',
      'in_progress',
      'success',
    ]);
    // The audit trail: the schedule's steps are automatic, the gate names who passed it.
    expect(states.map((s) => s.description).slice(1, 6)).toEqual([
      'promoted from internal to free (automatic)',
      'promoted from free to paid (automatic)',
      'paid baked; waiting for release promote (automatic)',
      'Manual gate passed at paid (by operator)',
      'promoted from paid to production (automatic)',
    ]);
    expect(github.state.statuses.filter((s) => s.sha === SHA).map((s) => s.state)).toEqual(['pending', 'success']);
  });

  it('stops a release when a track it reached starts restarting, and rolls back every track it reached', async () => {
    const { namespace, app } = await setup('tracks-fail');
    const clock = manualClock();
    const deps = releaseDeps(kc, github.url, [app], clock);
    const SHA = '8b'.repeat(20);
    const OLD = 'registry.example.com/shop/web:v1';
    const NEW = `registry.example.com/shop/web:${SHA}`;
    await handleCiResult(deps, ciSuccess(REPO, SHA, '2026-11-02T09:00:00Z'));
    for (const m of [0, 10, 0]) {
      clock.advance(m);
      await settle(namespace);
      await watchReleases(deps);
    }
    expect(await images(namespace)).toEqual([NEW, NEW, OLD, OLD]);
    expect((await releaseStatus(deps))[1]?.state).toBe('baking');

    // A container of the free track starts crash-looping: the kubelet would bump its restart count.
    const [pod] = await podsOf(kc, namespace, 'web-free');
    const status = pod?.status?.containerStatuses?.[0];
    await patchPodStatus(kc, namespace, pod!.metadata!.name!, {
      containerStatuses: [{ ...JSON.parse(JSON.stringify(status)), restartCount: 3 }],
    });
    clock.advance(5);
    const result = await watchReleases(deps);

    expect(result.ticks[0]?.events).toEqual([
      expect.objectContaining({
        kind: 'rolled-back',
        where: 'free',
        message: expect.stringMatching(/restarts climbing \(0 -> 3\).*internal, free/),
      }),
    ]);
    await waitRolledOut(
      kc,
      namespace,
      TRACKS.map((t) => t.deployment),
    );
    expect(await images(namespace)).toEqual([OLD, OLD, OLD, OLD]);
    expect((await releaseStatus(deps)).map((r) => r.state)).toEqual([
      'rolled-back',
      'rolled-back',
      'unreleased',
      'unreleased',
    ]);
    const [deployment] = github.state.deployments.filter((d) => d.sha === SHA);
    expect(github.state.deploymentStatuses.filter((s) => s.deploymentId === deployment?.id).at(-1)?.state).toBe(
      'failure',
    );
    expect(github.state.statuses.filter((s) => s.sha === SHA).at(-1)?.state).toBe('failure');
    // Stopped: later ticks change nothing.
    clock.advance(60);
    expect((await watchReleases(deps)).ticks).toEqual([]);
  });
});
