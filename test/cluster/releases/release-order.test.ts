import { AppsV1Api, type KubeConfig } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { deployCommit, handleCiResult, releaseStatus } from '../../../shared/app/releases/index.ts';
import { ENVIRONMENT_OPT_IN_LABEL } from '../../../shared/domain/naming.ts';
import { readRelease } from '../../../shared/domain/release/release-record.ts';
import { switchyardIdentities } from '../../support/cluster/client-cert-identity.ts';
import { installSwitchyard } from '../../support/cluster/install-switchyard.ts';
import { testKubeConfig, testNamespaces } from '../../support/cluster/test-namespace.ts';
import { type GitHubServer, startGitHubServer } from '../../support/github/index.ts';
import {
  ciSuccess,
  createDeployments,
  landOnBranch,
  manualClock,
  releaseDeps,
} from '../../support/releases/cluster-fixtures.ts';

// A Deployment's image never moves to an older commit, whatever order CI news arrives in: releases run
// as switchyard's writer identity (a client certificate in the group switchyard:writer, confined by
// deploy/kubernetes) against a real API server, GitHub's history in the stand-in.
const admin = testKubeConfig();
const namespaces = testNamespaces(admin);
const REPO = 'acme/shop';
const IMAGE = 'registry.example.com/shop/web';
const SHAS = ['01', '02', '03', '04', '05', '06'].map((x) => x.repeat(20));
let github: GitHubServer;
let namespace: string;
let writer: KubeConfig;

beforeAll(async () => {
  github = await startGitHubServer();
  landOnBranch(github, REPO, SHAS);
  await installSwitchyard(admin);
  // A cluster admin opts the environment namespace in; switchyard never could.
  namespace = await namespaces.create('rel-order', { [ENVIRONMENT_OPT_IN_LABEL]: 'true' });
  await createDeployments(admin, namespace, [{ name: 'web', containers: [{ name: 'app', image: `${IMAGE}:v1` }] }]);
  writer = switchyardIdentities(inject('kubeconfig')).writer;
});
afterAll(async () => {
  await github?.close();
  await namespaces.cleanup();
});

const app = () => ({
  name: 'shop',
  repo: REPO,
  image: IMAGE,
  cluster: 'test',
  environments: [
    { name: 'production', branch: 'main', namespace, deployments: [{ name: 'web', containers: ['app'] }] },
  ],
});

async function web() {
  const d = await admin.makeApiClient(AppsV1Api).readNamespacedDeployment({ namespace, name: 'web' });
  return { image: d.spec?.template.spec?.containers[0]?.image, generation: d.metadata?.generation, d };
}

describe('release order on the API server', () => {
  it('only ever moves forward along main, with news arriving in any order', async () => {
    const deps = releaseDeps(writer, github.url, [app()], manualClock());
    // Arrival order (and event time, newest first for the oldest commits) is scrambled on purpose.
    const arrivals = [2, 0, 4, 1, 3, 5];
    const seen: number[] = [];
    for (const [n, i] of arrivals.entries()) {
      const sha = SHAS[i]!;
      await handleCiResult(deps, ciSuccess(REPO, sha, `2026-11-02T1${9 - n}:00:00Z`), {
        deadline: Date.now() + 60_000,
      });
      seen.push(i);
      const newest = Math.max(...seen);
      expect((await web()).image).toBe(`${IMAGE}:${SHAS[newest]}`);
    }
    const { record, history } = readRelease((await web()).d.metadata?.annotations ?? {});
    expect(record?.sha).toBe(SHAS[5]);
    // Only forward moves were released: 2, 4, 5 (0, 1 and 3 arrived after a descendant).
    expect(history.map((h) => h.sha)).toEqual([SHAS[5], SHAS[4], SHAS[2]]);
    expect(github.state.deployments.map((d) => d.sha)).toEqual([SHAS[2], SHAS[4], SHAS[5]]);
  });

  it('goes back only when an operator names the commit, after a dry run that changes nothing', async () => {
    const deps = releaseDeps(writer, github.url, [app()], manualClock());
    // The operator's commit must still have passed its checks (the earlier news came from CI notifications).
    github.control.addCheckRun(REPO, SHAS[1]!, 'build', 'success');
    const before = await web();
    const dry = await deployCommit(deps, 'shop', 'production', SHAS[1]!, { dryRun: true });
    expect(dry).toMatchObject({ action: 'planned', deployments: ['web'] });
    const after = await web();
    expect(after.generation).toBe(before.generation);
    expect(after.image).toBe(before.image);

    const back = await deployCommit(deps, 'shop', 'production', SHAS[1]!, { deadline: Date.now() + 60_000 });
    expect(back).toMatchObject({ action: 'deployed' });
    expect((await web()).image).toBe(`${IMAGE}:${SHAS[1]}`);
    // From there, a descendant moves forward again, an ancestor does not.
    await handleCiResult(deps, ciSuccess(REPO, SHAS[0]!, '2026-11-03T10:00:00Z'));
    expect((await web()).image).toBe(`${IMAGE}:${SHAS[1]}`);
    expect((await releaseStatus(deps))[0]?.refused).toMatch(/^0101010: 0101010 is older than the released 0202020/);
    await handleCiResult(deps, ciSuccess(REPO, SHAS[3]!, '2026-11-03T09:00:00Z'), { deadline: Date.now() + 60_000 });
    expect((await web()).image).toBe(`${IMAGE}:${SHAS[3]}`);
    expect((await releaseStatus(deps))[0]?.refused).toBeUndefined();
  });
});
