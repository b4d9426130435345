import { AppsV1Api } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handleCiResult, releaseStatus } from '../../../shared/app/releases/index.ts';
import { readRelease } from '../../../shared/domain/release/release-record.ts';
import { testKubeConfig, testNamespaces } from '../../support/cluster/test-namespace.ts';
import { type GitHubServer, startGitHubServer } from '../../support/github/index.ts';
import {
  CREATOR,
  ciSuccess,
  createDeployments,
  landOnBranch,
  manualClock,
  releaseDeps,
} from '../../support/releases/cluster-fixtures.ts';

const kc = testKubeConfig();
const namespaces = testNamespaces(kc);
const apps = kc.makeApiClient(AppsV1Api);
const REPO = 'acme/shop';
const [A, B, C] = ['1a', '2b', '3c'].map((x) => x.repeat(20)) as [string, string, string];
let github: GitHubServer;
let staging: string;
let production: string;
let nightly: string;

beforeAll(async () => {
  github = await startGitHubServer();
  // The commits the tests release, on main in this order (GitHub's history decides order and branch).
  landOnBranch(github, REPO, [A, B, C, '4d'.repeat(20), '5e'.repeat(20)]);
  [staging, production, nightly] = await Promise.all([
    namespaces.create('rel-staging'),
    namespaces.create('rel-prod'),
    namespaces.create('rel-nightly'),
  ]);
  const deployments = [
    {
      name: 'web',
      containers: [
        { name: 'app', image: 'registry.example.com/shop/web:v1' },
        { name: 'envoy', image: 'envoyproxy/envoy:v1.31' },
      ],
    },
    { name: 'worker' },
  ];
  await Promise.all([staging, production, nightly].map((ns) => createDeployments(kc, ns, deployments)));
});
afterAll(async () => {
  await github?.close();
  await namespaces.cleanup();
});

function app() {
  const deployments = [{ name: 'web', containers: ['app'] }, { name: 'worker' }];
  return {
    name: 'shop',
    repo: REPO,
    image: 'registry.example.com/shop/web',
    cluster: 'test',
    environments: [
      { name: 'staging', branch: 'main', namespace: staging, deployments },
      { name: 'production', branch: 'main', namespace: production, production: true, deployments },
      { name: 'nightly', branch: 'nightly', namespace: nightly, deployments },
    ],
  };
}

async function read(namespace: string, name: string) {
  return apps.readNamespacedDeployment({ namespace, name });
}

describe('deploy on a tested merge', () => {
  it('updates only the image fields of the configured containers in every environment bound to the branch, and reports to GitHub', async () => {
    const deps = releaseDeps(kc, github.url, [app()], manualClock());
    const result = await handleCiResult(deps, ciSuccess(REPO, A, '2026-11-02T09:00:00Z'), {
      deadline: Date.now() + 90_000,
    });

    expect(result.environments.map((e) => [e.environment, e.action, e.rolledOut])).toEqual([
      ['staging', 'deployed', true],
      ['production', 'deployed', true],
      // GitHub knows no nightly branch holding the commit: the event's branch is never taken on trust.
      ['nightly', 'skipped', undefined],
    ]);
    for (const ns of [staging, production]) {
      const web = await read(ns, 'web');
      expect(web.spec?.template.spec?.containers.map((c) => [c.name, c.image])).toEqual([
        ['app', `registry.example.com/shop/web:${A}`],
        ['envoy', 'envoyproxy/envoy:v1.31'],
      ]);
      // Everything else keeps its value and its owner.
      expect(web.spec?.replicas).toBe(2);
      expect(web.spec?.template.spec?.containers[0]?.env).toEqual([{ name: 'LOG_LEVEL', value: 'info' }]);
      expect(web.metadata?.labels).toEqual({ team: 'shop' });
      expect(web.metadata?.managedFields?.map((f) => f.manager).sort()).toEqual(
        [CREATOR, 'kube-controller-manager', 'switchyard'].sort(),
      );
      const { record, history } = readRelease(web.metadata?.annotations ?? {});
      expect(record).toMatchObject({
        sha: A,
        image: `registry.example.com/shop/web:${A}`,
        previousImages: { app: 'registry.example.com/shop/web:v1' },
        state: 'released',
      });
      expect(history.map((h) => h.sha)).toEqual([A]);
      expect((await read(ns, 'worker')).spec?.template.spec?.containers[0]?.image).toBe(
        `registry.example.com/shop/web:${A}`,
      );
    }
    // The environment bound to another branch is untouched.
    expect((await read(nightly, 'web')).spec?.template.spec?.containers[0]?.image).toBe(
      'registry.example.com/shop/web:v1',
    );

    // Environments are released in parallel: compare per environment, not in call order.
    const deployments = github.state.deployments
      .filter((d) => d.sha === A)
      .sort((a, b) => a.environment.localeCompare(b.environment));
    expect(deployments.map((d) => [d.environment, d.production, d.transient, d.autoMerge, d.requiredContexts])).toEqual(
      [
        ['shop/production', true, false, false, []],
        ['shop/staging', false, false, false, []],
      ],
    );
    for (const d of deployments) {
      expect(github.state.deploymentStatuses.filter((s) => s.deploymentId === d.id).map((s) => s.state)).toEqual([
        'in_progress',
        'success',
      ]);
    }
    for (const env of ['staging', 'production']) {
      const statuses = github.state.statuses.filter((s) => s.sha === A && s.context === `switchyard/release/${env}`);
      expect(statuses.map((s) => s.state)).toEqual(['pending', 'success']);
    }
  });

  it('never moves to an older commit that arrives late, skips a duplicate, and says why', async () => {
    const deps = releaseDeps(kc, github.url, [app()], manualClock());
    await handleCiResult(deps, ciSuccess(REPO, C, '2026-11-02T11:00:00Z', 'registry.example.com/shop/web:c'), {
      deadline: Date.now() + 90_000,
    });
    const before = await read(staging, 'web');
    const deploymentsBefore = github.state.deployments.length;

    // A later event time does not help an older commit: Git ancestry decides.
    const late = await handleCiResult(deps, ciSuccess(REPO, B, '2026-11-02T12:00:00Z'));
    const duplicate = await handleCiResult(
      deps,
      ciSuccess(REPO, C, '2026-11-02T11:00:00Z', 'registry.example.com/shop/web:c'),
    );

    expect(late.environments.map((e) => e.action)).toEqual(['refused', 'refused', 'skipped']);
    expect(late.environments[0]?.reason).toBe(
      '2b2b2b2 is older than the released 3c3c3c3; deploy it with switchyard release deploy',
    );
    expect(duplicate.environments[0]?.reason).toMatch(/already released/);
    const after = await read(staging, 'web');
    // Only our annotations changed (the refusal is noted); nothing rolled out.
    // (A Deployment's generation counts annotation changes too: compare the spec and the revision.)
    expect(after.spec).toEqual(before.spec);
    expect(after.metadata?.annotations?.['deployment.kubernetes.io/revision']).toBe(
      before.metadata?.annotations?.['deployment.kubernetes.io/revision'],
    );
    expect(after.spec?.template.spec?.containers[0]?.image).toBe('registry.example.com/shop/web:c');
    expect(github.state.deployments.length).toBe(deploymentsBefore);
    // The refusal is on the commit, once per environment, in the environment's context.
    expect(
      github.state.statuses
        .filter((s) => s.sha === B)
        .map((s) => [s.context, s.state, s.description])
        .sort(),
    ).toEqual([
      ['switchyard/release/production', 'failure', expect.stringMatching(/^Not deployed: 2b2b2b2 is older/)],
      ['switchyard/release/staging', 'failure', expect.stringMatching(/^Not deployed: 2b2b2b2 is older/)],
    ]);

    const rows = await releaseStatus(deps);
    expect(
      rows.filter((r) => r.deployment === 'web').map((r) => [r.environment, r.sha, r.image, r.state, r.refused]),
    ).toEqual([
      ['staging', C, 'registry.example.com/shop/web:c', 'released', expect.stringMatching(/^2b2b2b2: .*older/)],
      ['production', C, 'registry.example.com/shop/web:c', 'released', expect.stringMatching(/^2b2b2b2: .*older/)],
      ['nightly', null, 'registry.example.com/shop/web:v1', 'unreleased', undefined],
    ]);
  });

  it('plans without writing on a dry run, and ignores a failed CI result', async () => {
    const deps = releaseDeps(kc, github.url, [app()], manualClock());
    const before = await read(staging, 'web');
    const dry = await handleCiResult(deps, ciSuccess(REPO, '4d'.repeat(20), '2026-11-02T12:00:00Z'), { dryRun: true });
    const failed = await handleCiResult(deps, {
      ...ciSuccess(REPO, '5e'.repeat(20), '2026-11-02T12:00:00Z'),
      result: 'failure',
    });
    expect(dry.environments.map((e) => [e.action, e.deployments])).toEqual([
      ['planned', ['web', 'worker']],
      ['planned', ['web', 'worker']],
      ['skipped', []],
    ]);
    expect(failed.environments.map((e) => [e.action, e.reason])).toEqual([
      ['refused', 'check "ci-notification" failed'],
      ['refused', 'check "ci-notification" failed'],
      ['skipped', expect.stringMatching(/not on nightly/)],
    ]);
    const after = await read(staging, 'web');
    expect(after.metadata?.generation).toBe(before.metadata?.generation);
    expect(after.metadata?.annotations).toEqual(before.metadata?.annotations);
  });
});
