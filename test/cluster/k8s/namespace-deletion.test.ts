import { afterAll, expect, it } from 'vitest';
import { applyObjects, deleteNamespace } from '../../../shared/adapters/k8s/apply-objects.ts';
import { watchUntil } from '../../../shared/adapters/k8s/watch-until.ts';
import { rolloutStatus } from '../../../shared/domain/rollout-status.ts';
import { testKubeConfig, testNamespaces } from '../../support/cluster/test-namespace.ts';

const kc = testKubeConfig();
const namespaces = testNamespaces(kc);
afterAll(() => namespaces.cleanup());

it('deletes a namespace with running pods completely (namespace controller + kwok finalize the pods)', async () => {
  const namespace = await namespaces.create('ns-delete');
  await applyObjects(kc, [
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web', namespace },
      spec: {
        replicas: 2,
        selector: { matchLabels: { app: 'web' } },
        template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'app', image: 'x' }] } },
      },
    },
  ]);
  const rolled = await watchUntil(kc, {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    namespace,
    until: ([d]) => (d && rolloutStatus(d).done ? true : undefined),
    deadline: Date.now() + 60_000,
  });
  expect(rolled.met).toBe(true);

  const started = Date.now();
  const first = await deleteNamespace(kc, namespace);
  const gone = await watchUntil(kc, {
    apiVersion: 'v1',
    kind: 'Namespace',
    fieldSelector: `metadata.name=${namespace}`,
    until: (items) => (items.length === 0 ? Date.now() - started : undefined),
    deadline: Date.now() + 90_000,
  });
  const again = await deleteNamespace(kc, namespace);

  expect(first).toBe('deleting');
  expect(gone.met).toBe(true);
  expect(again).toBe('absent');
});
