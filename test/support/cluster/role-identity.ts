import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { parseAllDocuments } from 'yaml';
import { applyObjects, type KubeObject } from '../../../shared/adapters/k8s/apply-objects.ts';

const root = resolve(import.meta.dirname, '../../..');

/**
 * A KubeConfig that acts as one of deploy/rbac.yml's ClusterRoles (`switchyard-writer` or
 * `switchyard-reader`): a ServiceAccount in `namespace` bound to the role, with a short-lived token, so
 * the API server itself enforces what the functions may do. On EKS the same roles are bound to groups
 * mapped from the Lambda roles.
 */
export async function roleIdentity(
  admin: KubeConfig,
  namespace: string,
  role: 'writer' | 'reader',
): Promise<KubeConfig> {
  const manifests = parseAllDocuments(readFileSync(resolve(root, 'deploy/rbac.yml'), 'utf8')).map(
    (d) => d.toJSON() as KubeObject,
  );
  await applyObjects(admin, manifests, { fieldManager: 'switchyard-tests' });
  const core = admin.makeApiClient(CoreV1Api);
  const name = `switchyard-${role}`;
  await core.createNamespacedServiceAccount({ namespace, body: { metadata: { name } } });
  await applyObjects(admin, [
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: { name: `switchyard-${role}`, namespace },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: `switchyard-${role}` },
      subjects: [{ kind: 'ServiceAccount', name, namespace }],
    } as KubeObject,
  ]);
  const token = await core.createNamespacedServiceAccountToken({
    name,
    namespace,
    body: { spec: { expirationSeconds: 3600 } },
  });
  const kc = new KubeConfig();
  kc.loadFromClusterAndUser(admin.getCurrentCluster()!, { name, token: token.status?.token ?? '' });
  return kc;
}
