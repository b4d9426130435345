import { randomBytes } from 'node:crypto';
import { CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { inject } from 'vitest';
import { deleteNamespace } from '../../../shared/adapters/k8s/apply-objects.ts';
import { watchUntil } from '../../../shared/adapters/k8s/watch-until.ts';
import { toDnsLabel } from '../../../shared/domain/naming.ts';

/** Marks namespaces made by tests, so a leftover one is recognisable. */
export const TEST_NAMESPACE_LABEL = 'switchyard.dev/test';

/** A KubeConfig for the run's control plane (test/setup/cluster.ts). */
export function testKubeConfig(): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromFile(inject('kubeconfig'));
  return kc;
}

/**
 * Creates a uniquely named namespace (`<prefix>-<random>`) and waits for its default ServiceAccount:
 * until the serviceaccount controller made it, the API server refuses pods there.
 */
export async function createTestNamespace(
  kc: KubeConfig,
  prefix: string,
  labels: Record<string, string> = {},
): Promise<string> {
  const name = toDnsLabel(`${prefix.slice(0, 40)}-${randomBytes(3).toString('hex')}`);
  const core = kc.makeApiClient(CoreV1Api);
  await core.createNamespace({
    body: { metadata: { name, labels: { [TEST_NAMESPACE_LABEL]: toDnsLabel(prefix), ...labels } } },
  });
  const ready = await watchUntil(kc, {
    apiVersion: 'v1',
    kind: 'ServiceAccount',
    namespace: name,
    fieldSelector: 'metadata.name=default',
    until: (items) => (items.length > 0 ? true : undefined),
    deadline: Date.now() + 30_000,
  });
  if (!ready.met) throw new Error(`namespace ${name}: default ServiceAccount not created within 30 s`);
  return name;
}

/** Deletes a namespace; with `wait`, until the namespace controller has finished emptying it. */
export async function deleteTestNamespace(kc: KubeConfig, name: string, wait = false): Promise<void> {
  await deleteNamespace(kc, name);
  if (!wait) return;
  const gone = await watchUntil(kc, {
    apiVersion: 'v1',
    kind: 'Namespace',
    fieldSelector: `metadata.name=${name}`,
    until: (items) => (items.length === 0 ? true : undefined),
    deadline: Date.now() + 60_000,
  });
  if (!gone.met) throw new Error(`namespace ${name} still exists 60 s after deletion`);
}

/**
 * Namespaces for one test file: `create()` in tests or hooks, `cleanup()` in afterAll (deletes them
 * all without waiting; the run's cluster is torn down afterwards anyway).
 */
export function testNamespaces(kc: KubeConfig) {
  const created: string[] = [];
  return {
    async create(prefix: string, labels: Record<string, string> = {}): Promise<string> {
      const name = await createTestNamespace(kc, prefix, labels);
      created.push(name);
      return name;
    },
    async cleanup(): Promise<void> {
      await Promise.all(created.splice(0).map((n) => deleteTestNamespace(kc, n)));
    },
  };
}
