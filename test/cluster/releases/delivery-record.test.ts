import { describe, expect, it } from 'vitest';
import { createGitHubDeliveries } from '../../../shared/adapters/github/github-deliveries.ts';
import { readDelivery } from '../../../shared/app/delivery/read-delivery.ts';
import { rolledBackOnCluster } from '../../../shared/app/delivery/rolled-back-on-cluster.ts';
import { handleCiResult, rollback } from '../../../shared/app/releases/index.ts';
import { systemClock } from '../../../shared/ports/clock.ts';
import { silentLogger } from '../../../shared/ports/logger.ts';
import { testKubeConfig, testNamespaces } from '../../support/cluster/test-namespace.ts';
import {
  ciSuccess,
  createDeployments,
  landOnBranch,
  manualClock,
  releaseDeps,
} from '../../support/releases/cluster-fixtures.ts';
import { fileGitHub } from '../../support/releases/file-github.ts';

// The delivery record end to end: releases and a rollback made by the release use cases on the real
// API server and reported to the GitHub stand-in, then read back as DORA metrics from GitHub and from
// the release records on the Deployments.
const kc = testKubeConfig();
const namespaces = testNamespaces(kc);
const REPO = 'acme/shop';
const [A, B] = ['d1', 'd2'].map((x) => x.repeat(20)) as [string, string];
const gh = fileGitHub(namespaces);
let landed = false;

async function releasedTwice(prefix: string) {
  const namespace = await namespaces.create(prefix);
  await createDeployments(kc, namespace, [
    { name: 'web', containers: [{ name: 'web', image: 'registry.example.com/shop/web:v0' }] },
  ]);
  const app = {
    name: 'shop',
    repo: REPO,
    image: 'registry.example.com/shop/web',
    cluster: 'test',
    environments: [{ name: prefix, branch: 'main', namespace, deployments: [{ name: 'web' }] }],
  };
  const deps = releaseDeps(kc, gh.server.url, [app], manualClock());
  const wait = () => ({ deadline: Date.now() + 60_000 });
  // A then B on main, once for the file: releases check the branch through GitHub.
  if (!landed) landOnBranch(gh.server, REPO, [A, B]);
  landed = true;
  for (const sha of [A, B]) {
    gh.server.control.seedCommit({ repo: REPO, sha, committedAt: new Date(Date.now() - 3_600_000).toISOString() });
  }
  await handleCiResult(deps, ciSuccess(REPO, A, '2026-11-02T09:00:00Z'), wait());
  await handleCiResult(deps, ciSuccess(REPO, B, '2026-11-02T10:00:00Z'), wait());
  const delivery = {
    apps: deps.apps,
    record: createGitHubDeliveries({
      auth: { kind: 'token', token: 'test-token' },
      baseUrl: gh.server.url,
      logger: silentLogger,
      throttle: false,
    }),
    rolledBackOnCluster: rolledBackOnCluster(deps.cluster),
    clock: systemClock,
    logger: silentLogger,
  };
  return { env: prefix, deps, wait, delivery };
}

describe('delivery record', () => {
  it('reads the releases and the operator rollback back as metrics, with who acted', async () => {
    const { env, deps, wait, delivery } = await releasedTwice('dora-github');
    await rollback(deps, 'shop', env, undefined, { ...wait(), actor: 'alice' });

    const [report] = (await readDelivery(delivery, { environment: env })).reports;
    const m = report!.metrics;
    expect(m.timeline.map((t) => [t.sha, t.kind])).toEqual([
      [A, 'success'],
      [B, 'rolled-back'],
      [A, 'rollback'],
    ]);
    expect(m.timeline.map((t) => t.actor)).toEqual(['automatic', 'automatic', 'alice']);
    expect(m.changeFailure).toEqual({ failed: 1, total: 2, rate: 0.5 });
    expect(m.deployments.count).toBe(2);
    expect(m.rollbacks).toBe(1);
    expect(m.leadTime.samples).toBe(2);
    expect(m.restore.samples).toBe(1);
  });

  it('still counts a rollback GitHub never heard of, from the release records on the cluster', async () => {
    const { env, deps, wait, delivery } = await releasedTwice('dora-cluster');
    // GitHub refuses the rollback's deployment: the rollback goes on and only the cluster records it.
    gh.server.control.fault({ method: 'POST', path: /\/deployments$/, status: 503, times: 1 });
    const result = await rollback(deps, 'shop', env, undefined, { ...wait(), actor: 'bob' });
    expect(result).toMatchObject({ action: 'rolled-back', toSha: A });
    expect(result.githubDeploymentId).toBeUndefined();

    const withCluster = (await readDelivery(delivery, { environment: env })).reports[0]!.metrics;
    expect(withCluster.timeline.map((t) => t.kind)).toEqual(['success', 'rolled-back']);
    expect(withCluster.changeFailure).toEqual({ failed: 1, total: 2, rate: 0.5 });
    const { rolledBackOnCluster: _, ...githubOnly } = delivery;
    const fromGitHub = (await readDelivery(githubOnly, { environment: env })).reports[0]!.metrics;
    expect(fromGitHub.changeFailure).toEqual({ failed: 0, total: 2, rate: 0 });
  });
});
