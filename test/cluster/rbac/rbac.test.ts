import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { CoreV1Api, DiscoveryV1Api, KubeConfig } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { applyObjects, type KubeObject } from '../../../shared/adapters/k8s/apply-objects.ts';
import { toKubeError } from '../../../shared/adapters/k8s/kube-errors.ts';
import { handleCiResult, handlePullRequest } from '../../../shared/app/previews/index.ts';
import { PREVIEW_STATUS_CONTEXT } from '../../../shared/domain/naming.ts';
import { AuthError } from '../../../shared/errors.ts';
import { createTestNamespace, testKubeConfig } from '../../support/cluster/test-namespace.ts';
import { type PreviewHarness, sha, startPreviewHarness } from '../../support/previews/preview-harness.ts';

// deploy/rbac.yml, proven on a real API server: the writer role is enough for a preview's whole life,
// and neither role reaches what switchyard never touches. On EKS the roles are bound to groups mapped
// from the Lambda roles; here the same ClusterRoles are bound to two ServiceAccounts whose tokens the
// test uses as the functions' identities.
const admin = testKubeConfig();
const root = resolve(import.meta.dirname, '../../..');
let namespace: string;
let writer: KubeConfig;
let reader: KubeConfig;
let h: PreviewHarness;

async function identity(role: 'writer' | 'reader'): Promise<KubeConfig> {
  const core = admin.makeApiClient(CoreV1Api);
  const name = `switchyard-${role}`;
  await core.createNamespacedServiceAccount({ namespace, body: { metadata: { name } } });
  await applyObjects(admin, [
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: { name: `${namespace}-${role}` },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: `switchyard-${role}` },
      subjects: [{ kind: 'ServiceAccount', name, namespace }],
    } as KubeObject,
  ]);
  const token = await core.createNamespacedServiceAccountToken({
    name,
    namespace,
    body: { spec: { expirationSeconds: 3600 } },
  });
  const cluster = admin.getCurrentCluster()!;
  const kc = new KubeConfig();
  kc.loadFromClusterAndUser(cluster, { name, token: token.status?.token ?? '' });
  return kc;
}

async function denied(call: () => Promise<unknown>): Promise<void> {
  try {
    await call();
  } catch (error) {
    expect(toKubeError(error, 'call')).toBeInstanceOf(AuthError);
    return;
  }
  throw new Error('expected the call to be forbidden');
}

beforeAll(async () => {
  const manifests = parseAllDocuments(readFileSync(resolve(root, 'deploy/rbac.yml'), 'utf8')).map(
    (d) => d.toJSON() as KubeObject,
  );
  await applyObjects(admin, manifests, { fieldManager: 'rbac-test' });
  namespace = await createTestNamespace(admin, 'rbac');
  writer = await identity('writer');
  reader = await identity('reader');
  h = await startPreviewHarness({ kc: writer, kubeconfigPath: inject('kubeconfig'), name: 'rbac' });
});
afterAll(async () => {
  await h?.close();
  await admin.makeApiClient(CoreV1Api).deleteNamespace({ name: namespace });
});

describe('deploy/rbac.yml', () => {
  it('lets the writer run a preview from open to merge', async () => {
    const SHA = sha('c3');
    await handlePullRequest(h.deps, h.prEvent('opened', { pr: 5, sha: SHA, time: '2026-03-01T10:00:00Z' }));
    const deployed = await handleCiResult(h.deps, h.ci('success', { sha: SHA, pr: 5, time: '2026-03-01T10:05:00Z' }));
    expect(deployed.previews[0]?.done).toMatchObject([{ kind: 'deploy', result: { outcome: 'ready', sha: SHA } }]);
    expect(h.gh.state.statuses.filter((s) => s.sha === SHA && s.context === PREVIEW_STATUS_CONTEXT).at(-1)?.state).toBe(
      'success',
    );
    await handlePullRequest(
      h.deps,
      h.prEvent('closed', { pr: 5, sha: SHA, time: '2026-03-01T10:10:00Z', merged: true }),
    );
    const gone = await admin
      .makeApiClient(CoreV1Api)
      .readNamespace({ name: h.namespace(5) })
      .then(
        (n) => n.status?.phase,
        (e: { code?: number }) => (e.code === 404 ? 'gone' : 'error'),
      );
    expect(['Terminating', 'gone']).toContain(gone);
  });

  it('keeps the writer away from Secrets and RBAC', async () => {
    const core = writer.makeApiClient(CoreV1Api);
    await denied(() => core.listNamespacedSecret({ namespace }));
    await denied(() =>
      applyObjects(writer, [
        {
          apiVersion: 'rbac.authorization.k8s.io/v1',
          kind: 'ClusterRoleBinding',
          metadata: { name: `${namespace}-escalate` },
          roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'cluster-admin' },
          subjects: [{ kind: 'ServiceAccount', name: 'switchyard-writer', namespace }],
        } as KubeObject,
      ]),
    );
  });

  it('lets the reader check health and nothing more', async () => {
    const core = reader.makeApiClient(CoreV1Api);
    const services = await core.listServiceForAllNamespaces({});
    expect(Array.isArray(services.items)).toBe(true);
    await reader.makeApiClient(DiscoveryV1Api).listEndpointSliceForAllNamespaces({});
    await denied(() => core.createNamespace({ body: { metadata: { name: `${namespace}-nope` } } }));
    await denied(() => core.listNamespacedSecret({ namespace }));
  });
});
