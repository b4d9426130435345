import { randomBytes } from 'node:crypto';
import { AppsV1Api, CoreV1Api, type KubeConfig } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createHealthCluster } from '../../../shared/adapters/k8s/health-cluster.ts';
import { createPreviewCluster } from '../../../shared/adapters/k8s/preview-cluster.ts';
import {
  handleCiResult as handlePreviewCi,
  handlePullRequest,
  listPreviews,
} from '../../../shared/app/previews/index.ts';
import { checkHealth, handleCiResult, releaseStatus } from '../../../shared/app/releases/index.ts';
import {
  ENVIRONMENT_OPT_IN_LABEL,
  healthStateName,
  POD_SECURITY_ENFORCE_LABEL,
  PREVIEW_STATUS_CONTEXT,
  SWITCHYARD_NAMESPACE,
} from '../../../shared/domain/naming.ts';
import { silentLogger } from '../../../shared/ports/logger.ts';
import type { Notification } from '../../../shared/ports/notifier.ts';
import { switchyardIdentities } from '../../support/cluster/client-cert-identity.ts';
import { installSwitchyard } from '../../support/cluster/install-switchyard.ts';
import { testKubeConfig, testNamespaces } from '../../support/cluster/test-namespace.ts';
import { type GitHubServer, startGitHubServer } from '../../support/github/index.ts';
import { type PreviewHarness, sha, startPreviewHarness } from '../../support/previews/preview-harness.ts';
import {
  ciSuccess,
  createDeployments,
  landOnBranch,
  manualClock,
  releaseDeps,
} from '../../support/releases/cluster-fixtures.ts';

// deploy/kubernetes does not stop switchyard from doing its work: as its real identities (client
// certificates in switchyard:writer and switchyard:reader), the writer runs a preview's whole life and
// a release in an opted-in environment namespace, and the reader serves the status page and the health
// check, on a real API server with every policy in force.
const admin = testKubeConfig();
const namespaces = testNamespaces(admin);
const REPO = 'acme/shop';
const RELEASE_SHA = '4d'.repeat(20);
const tier = `rbac-${randomBytes(3).toString('hex')}`;
let writer: KubeConfig;
let reader: KubeConfig;
let h: PreviewHarness;
let github: GitHubServer;
let environment: string;

function shopApp() {
  return {
    name: 'shop',
    repo: REPO,
    image: 'registry.example.com/shop/web',
    cluster: 'test',
    environments: [
      { name: 'staging', branch: 'main', namespace: environment, deployments: [{ name: 'web', containers: ['app'] }] },
    ],
  };
}

beforeAll(async () => {
  await installSwitchyard(admin);
  ({ writer, reader } = switchyardIdentities(inject('kubeconfig')));
  github = await startGitHubServer();
  // The release's commit is on main, as GitHub's compare confirms before anything is deployed.
  landOnBranch(github, REPO, [RELEASE_SHA]);
  // A cluster admin opts the environment namespace in; switchyard never could.
  environment = await namespaces.create('rbac-env', { [ENVIRONMENT_OPT_IN_LABEL]: 'true' });
  await createDeployments(admin, environment, [
    {
      name: 'web',
      replicas: 1,
      containers: [{ name: 'app', image: 'registry.example.com/shop/web:v1' }],
      labels: { tier },
    },
  ]);
  await admin.makeApiClient(CoreV1Api).createNamespacedService({
    namespace: environment,
    body: { metadata: { name: 'web', labels: { tier } }, spec: { selector: { app: 'web' }, ports: [{ port: 80 }] } },
  });
  h = await startPreviewHarness({ kc: writer, kubeconfigPath: inject('kubeconfig'), name: 'rbac' });
});
afterAll(async () => {
  await h?.close();
  await github?.close();
  await namespaces.cleanup();
});

describe('switchyard works as its own identities under deploy/kubernetes', () => {
  it('the writer runs a preview from open to merge, in a namespace that enforces Pod Security "restricted"', async () => {
    const SHA = sha('c3');
    await handlePullRequest(h.deps, h.prEvent('opened', { pr: 5, sha: SHA, time: '2026-03-01T10:00:00Z' }));
    const deployed = await handlePreviewCi(h.deps, h.ci('success', { sha: SHA, pr: 5, time: '2026-03-01T10:05:00Z' }));
    expect(deployed.previews[0]?.done).toMatchObject([{ kind: 'deploy', result: { outcome: 'ready', sha: SHA } }]);
    expect(h.gh.state.statuses.filter((s) => s.sha === SHA && s.context === PREVIEW_STATUS_CONTEXT).at(-1)?.state).toBe(
      'success',
    );
    const core = admin.makeApiClient(CoreV1Api);
    const namespace = await core.readNamespace({ name: h.namespace(5) });
    expect(namespace.metadata?.labels?.[POD_SECURITY_ENFORCE_LABEL]).toBe('restricted');
    // Its pods were admitted under "restricted" (the example templates comply).
    const pods = await core.listNamespacedPod({ namespace: h.namespace(5) });
    expect(pods.items.length).toBeGreaterThan(0);

    // The reader's status page sees it.
    const previews = await listPreviews({ ...h.deps, cluster: () => createPreviewCluster(reader) });
    expect(previews.find((p) => p.pr === 5)).toMatchObject({ state: 'ready', deployedSha: SHA });

    await handlePullRequest(
      h.deps,
      h.prEvent('closed', { pr: 5, sha: SHA, time: '2026-03-01T10:10:00Z', merged: true }),
    );
    const gone = await core.readNamespace({ name: h.namespace(5) }).then(
      (n) => n.status?.phase,
      (e: { code?: number }) => (e.code === 404 ? 'gone' : 'error'),
    );
    expect(['Terminating', 'gone']).toContain(gone);
  });

  it('the writer releases a tested merge into an opted-in environment namespace', async () => {
    const deps = releaseDeps(writer, github.url, [shopApp()], manualClock());
    const result = await handleCiResult(deps, ciSuccess(REPO, RELEASE_SHA, '2026-11-02T09:00:00Z'), {
      deadline: Date.now() + 90_000,
    });
    expect(result.environments.map((e) => [e.environment, e.action, e.rolledOut])).toEqual([
      ['staging', 'deployed', true],
    ]);
    const web = await admin.makeApiClient(AppsV1Api).readNamespacedDeployment({ namespace: environment, name: 'web' });
    expect(web.spec?.template.spec?.containers[0]?.image).toBe(`registry.example.com/shop/web:${RELEASE_SHA}`);
  });

  it('the reader serves the status page and runs the health check, keeping its alert state in switchyard-system', async () => {
    const alerts: Notification[] = [];
    const health = {
      clusters: [{ name: 'test', port: createHealthCluster(reader) }],
      selector: `tier=${tier}`,
      // More ready endpoints than the one replica has: the Service is failing, so the check alerts.
      minReadyEndpoints: 3,
      notifier: { notify: async (n: Notification) => void alerts.push(n) },
      clock: manualClock(),
      logger: silentLogger,
    };
    // What the status page reads (functions/wiring/status-sources.ts), section by section.
    const releases = await releaseStatus(releaseDeps(reader, github.url, [shopApp()], manualClock()));
    expect(releases).toMatchObject([{ app: 'shop', environment: 'staging' }]);
    const rows = (await checkHealth(health, { dryRun: true })).rows;
    expect(rows).toMatchObject([{ namespace: environment, service: 'web', ok: false }]);

    const checked = await checkHealth(health);
    expect(checked.alerts).toEqual([
      { cluster: 'test', service: `${environment}/web`, kind: 'failing', delivered: true },
    ]);
    const state = await admin
      .makeApiClient(CoreV1Api)
      .readNamespacedConfigMap({ namespace: SWITCHYARD_NAMESPACE, name: healthStateName(environment, 'web') });
    expect(JSON.parse(state.data?.['state'] ?? '{}')).toMatchObject({ status: 'failing' });
    // Once recorded, the next run does not alert again.
    expect((await checkHealth(health)).alerts).toEqual([]);
    expect(alerts).toHaveLength(1);

    // When the Service goes, its state is forgotten.
    const core = admin.makeApiClient(CoreV1Api);
    await core.deleteNamespacedService({ namespace: environment, name: 'web' });
    expect((await checkHealth(health)).services).toBe(0);
    const left = await core.listNamespacedConfigMap({ namespace: SWITCHYARD_NAMESPACE });
    expect(left.items.map((c) => c.metadata?.name)).not.toContain(healthStateName(environment, 'web'));
  });
});
