import { CoreV1Api } from '@kubernetes/client-node';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { applyObjects } from '../../../shared/adapters/k8s/apply-objects.ts';
import { watchUntil } from '../../../shared/adapters/k8s/watch-until.ts';
import { NotFoundError } from '../../../shared/errors.ts';
import { compactEtcd } from '../../support/cluster/etcd.ts';
import { testKubeConfig, testNamespaces } from '../../support/cluster/test-namespace.ts';

const kc = testKubeConfig();
const namespaces = testNamespaces(kc);
afterAll(() => namespaces.cleanup());
const core = kc.makeApiClient(CoreV1Api);

const labelOf = (items: readonly { metadata?: { labels?: Record<string, string> } }[], key: string) =>
  items[0]?.metadata?.labels?.[key];

describe('watchUntil', () => {
  it('relists when its resourceVersion is older than the watch cache keeps (410 Expired) and still sees the change', async () => {
    const namespace = await namespaces.create('watch-cache-410');
    await core.createNamespacedConfigMap({ namespace, body: { metadata: { name: 'cm', labels: { step: '1' } } } });
    const reasons: string[] = [];

    // up.sh starts the API server's watch caches above revision 1: resourceVersion 1 is always too old.
    const result = await watchUntil(kc, {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      namespace,
      labelSelector: 'step',
      resourceVersion: '1',
      onRelist: (reason) => reasons.push(reason),
      until: (items) => (labelOf(items, 'step') === '1' ? true : undefined),
      deadline: Date.now() + 30_000,
    });

    expect(result.met).toBe(true);
    expect(result.relists).toBe(1);
    expect(reasons[0]).toMatch(/too old resource version/);
  });

  it('relists when etcd compacted the history it was watching from (410 in-stream) and sees later updates', async () => {
    const namespace = await namespaces.create('watch-etcd-410');
    const template = (step: string) => ({
      apiVersion: 'v1',
      kind: 'PodTemplate',
      metadata: { name: 'pt', namespace, labels: { step } },
      template: { spec: { containers: [{ name: 'c', image: 'x' }] } },
    });
    // PodTemplates bypass the watch cache in the test cluster (up.sh): their watches are served by etcd.
    const [created] = await applyObjects(kc, [template('1')]);
    const oldRv = created?.metadata?.resourceVersion ?? '';
    await applyObjects(kc, [template('2')]);
    await applyObjects(kc, [template('3')]);
    await compactEtcd(inject('kubeconfig'));
    const reasons: string[] = [];

    const resumed = watchUntil(kc, {
      apiVersion: 'v1',
      kind: 'PodTemplate',
      namespace,
      resourceVersion: oldRv,
      onRelist: (reason) => reasons.push(reason),
      until: (items) => (labelOf(items, 'step') === '4' ? true : undefined),
      deadline: Date.now() + 30_000,
    });
    setTimeout(() => void applyObjects(kc, [template('4')]), 1_000);
    const result = await resumed;

    expect(result.met).toBe(true);
    expect(result.relists).toBe(1);
    expect(reasons[0]).toMatch(/too old/);
  });

  it('reconnects when client-node aborts an idle watch after 30 s and sees a change after that', async () => {
    const namespace = await namespaces.create('watch-idle');
    const started = Date.now();
    setTimeout(() => void core.createNamespacedConfigMap({ namespace, body: { metadata: { name: 'late' } } }), 35_000);

    const result = await watchUntil(kc, {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      namespace,
      fieldSelector: 'metadata.name=late',
      until: (items) => (items.length > 0 ? Date.now() - started : undefined),
      deadline: Date.now() + 90_000,
    });

    expect(result.met).toBe(true);
    expect(result.reconnects).toBeGreaterThanOrEqual(1);
    expect(result.met && result.value).toBeGreaterThanOrEqual(35_000);
  }, 120_000);

  it('returns met=false with the last state when the deadline passes first', async () => {
    const namespace = await namespaces.create('watch-deadline');
    const started = Date.now();

    const result = await watchUntil(kc, {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      namespace,
      until: (items) => (items.length > 5 ? true : undefined),
      deadline: Date.now() + 1_500,
    });

    expect(result.met).toBe(false);
    expect(result.items.map((i) => i.metadata?.name)).toEqual(['kube-root-ca.crt']);
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('rejects a kind the API server does not serve as NotFoundError', async () => {
    await expect(
      watchUntil(kc, { apiVersion: 'example.dev/v1', kind: 'Nope', until: () => true, deadline: Date.now() + 5_000 }),
    ).rejects.toBeInstanceOf(NotFoundError);
  });
});
