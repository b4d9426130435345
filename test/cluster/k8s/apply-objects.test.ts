import { CoreV1Api } from '@kubernetes/client-node';
import { afterAll, describe, expect, it } from 'vitest';
import {
  applyObjects,
  FieldConflictError,
  type KubeObject,
  pruneObjects,
  readObject,
  writeAnnotationsIfUnchanged,
} from '../../../shared/adapters/k8s/apply-objects.ts';
import { watchUntil } from '../../../shared/adapters/k8s/watch-until.ts';
import { FIELD_MANAGER, Keys, MANAGED_BY_LABEL, MANAGED_BY_VALUE } from '../../../shared/domain/naming.ts';
import { rolloutStatus } from '../../../shared/domain/rollout-status.ts';
import { ConflictError, ValidationError } from '../../../shared/errors.ts';
import { testKubeConfig, testNamespaces } from '../../support/cluster/test-namespace.ts';

const kc = testKubeConfig();
const namespaces = testNamespaces(kc);
afterAll(() => namespaces.cleanup());

function deployment(namespace: string, name: string, replicas: number, image = 'registry.example/web:1'): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace, labels: { [MANAGED_BY_LABEL]: MANAGED_BY_VALUE, [Keys.app]: name } },
    spec: {
      replicas,
      selector: { matchLabels: { [Keys.app]: name } },
      template: {
        metadata: { labels: { [Keys.app]: name } },
        spec: { containers: [{ name: 'app', image }] },
      },
    },
  };
}

function configMap(namespace: string, name: string, labels: Record<string, string>): KubeObject {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace, labels }, data: { k: name } };
}

describe('applyObjects (server-side apply)', () => {
  it('creates a Deployment that rolls out: kwok makes its scheduled pods Ready', async () => {
    const namespace = await namespaces.create('apply-rollout');

    const [applied] = await applyObjects(kc, [deployment(namespace, 'web', 3)]);
    const rolled = await watchUntil(kc, {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      namespace,
      fieldSelector: 'metadata.name=web',
      until: ([d]) => (d && rolloutStatus(d).done ? d : undefined),
      deadline: Date.now() + 90_000,
    });

    expect(applied?.metadata?.managedFields?.map((f) => f.manager)).toEqual([FIELD_MANAGER]);
    expect(rolled.met).toBe(true);
    if (!rolled.met) return;
    const status = rolled.value['status'] as { conditions: { type: string; status: string }[]; readyReplicas: number };
    expect(status.conditions).toContainEqual(expect.objectContaining({ type: 'Available', status: 'True' }));
    expect(status.readyReplicas).toBe(3);
    const pods = await kc.makeApiClient(CoreV1Api).listNamespacedPod({ namespace });
    expect(pods.items).toHaveLength(3);
    for (const pod of pods.items) {
      expect(pod.spec?.nodeName).toMatch(/^kwok-node-/);
      expect(pod.status?.phase).toBe('Running');
      expect(pod.status?.conditions).toContainEqual(expect.objectContaining({ type: 'Ready', status: 'True' }));
    }
  });

  it('is idempotent: applying the same object again does not change its spec generation', async () => {
    const namespace = await namespaces.create('apply-idempotent');
    await applyObjects(kc, [deployment(namespace, 'web', 1)]);
    const [same] = await applyObjects(kc, [deployment(namespace, 'web', 1)]);
    const [changed] = await applyObjects(kc, [deployment(namespace, 'web', 1, 'registry.example/web:2')]);

    // The resourceVersion may move (the controllers write status); the generation only moves on spec changes.
    expect(same?.metadata?.generation).toBe(1);
    expect(changed?.metadata?.generation).toBe(2);
  });

  it('reports fields owned by another field manager as a conflict naming it; force takes them over', async () => {
    const namespace = await namespaces.create('apply-conflict');
    await applyObjects(kc, [deployment(namespace, 'web', 2)]);
    // Someone else (an operator with kubectl, an autoscaler) takes ownership of .spec.replicas.
    await applyObjects(kc, [deployment(namespace, 'web', 5)], { fieldManager: 'kubectl-edit', force: true });

    const conflict = await applyObjects(kc, [deployment(namespace, 'web', 3)]).catch((e: unknown) => e);
    const [forced] = await applyObjects(kc, [deployment(namespace, 'web', 3)], { force: true });

    expect(conflict).toBeInstanceOf(FieldConflictError);
    expect(conflict).toBeInstanceOf(ConflictError);
    expect((conflict as FieldConflictError).managers).toEqual(['kubectl-edit']);
    expect((conflict as FieldConflictError).fields).toContain('.spec.replicas');
    expect((conflict as Error).message).toContain(`Deployment ${namespace}/web`);
    expect((forced as { spec?: { replicas?: number } }).spec?.replicas).toBe(3);
  });

  it('maps an invalid object to ValidationError and stores nothing on a dry run', async () => {
    const namespace = await namespaces.create('apply-invalid');
    const invalid = configMap(namespace, 'Not_A_Valid_Name', {});

    const error = await applyObjects(kc, [invalid]).catch((e: unknown) => e);
    await applyObjects(kc, [configMap(namespace, 'dry', {})], { dryRun: true });

    expect(error).toBeInstanceOf(ValidationError);
    expect((error as Error).message).toContain('Not_A_Valid_Name');
    expect(await readObject(kc, { apiVersion: 'v1', kind: 'ConfigMap', namespace, name: 'dry' })).toBeUndefined();
  });
});

describe('pruneObjects', () => {
  it('deletes objects with our labels that are no longer desired, and nothing else', async () => {
    const namespace = await namespaces.create('prune');
    const ours = { [MANAGED_BY_LABEL]: MANAGED_BY_VALUE, [Keys.app]: 'web' };
    await applyObjects(kc, [
      configMap(namespace, 'keep', ours),
      configMap(namespace, 'stale-1', ours),
      configMap(namespace, 'stale-2', ours),
      configMap(namespace, 'foreign', { [Keys.app]: 'web' }),
    ]);

    const pruned = await pruneObjects(kc, {
      namespace,
      labelSelector: `${MANAGED_BY_LABEL}=${MANAGED_BY_VALUE},${Keys.app}=web`,
      kinds: [{ apiVersion: 'v1', kind: 'ConfigMap' }],
      keep: [configMap(namespace, 'keep', ours)],
    });

    expect(pruned.map((r) => r.name).sort()).toEqual(['stale-1', 'stale-2']);
    const left = await kc.makeApiClient(CoreV1Api).listNamespacedConfigMap({ namespace });
    expect(left.items.map((c) => c.metadata?.name).sort()).toEqual(['foreign', 'keep', 'kube-root-ca.crt']);
  });
});

describe('writeAnnotationsIfUnchanged', () => {
  it('writes at the current resourceVersion and rejects a stale one, keeping the newer value', async () => {
    const namespace = await namespaces.create('conditional');
    const ref = { apiVersion: 'v1', kind: 'Namespace', name: namespace };
    const read = await readObject(kc, ref);
    const rv = read?.metadata?.resourceVersion ?? '';

    const newer = await writeAnnotationsIfUnchanged(kc, ref, rv, { [Keys.headSha]: 'bbbbbbb' });
    // A duplicate or older event that read the object before the write above.
    const stale = await writeAnnotationsIfUnchanged(kc, ref, rv, { [Keys.headSha]: 'aaaaaaa' }).catch(
      (e: unknown) => e,
    );
    const after = await readObject(kc, ref);

    expect(newer.metadata?.resourceVersion).not.toBe(rv);
    expect(stale).toBeInstanceOf(ConflictError);
    expect(stale).not.toBeInstanceOf(FieldConflictError);
    expect((stale as Error).message).toContain('the object has been modified');
    expect(after?.metadata?.annotations?.[Keys.headSha]).toBe('bbbbbbb');
  });

  it('removes an annotation given as null', async () => {
    const namespace = await namespaces.create('conditional-null');
    const ref = { apiVersion: 'v1', kind: 'Namespace', name: namespace };
    const read = await readObject(kc, ref);
    const set = await writeAnnotationsIfUnchanged(kc, ref, read?.metadata?.resourceVersion ?? '', {
      [Keys.headSha]: 'ccccccc',
      [Keys.eventTime]: '2026-11-23T00:00:00Z',
    });

    const cleared = await writeAnnotationsIfUnchanged(kc, ref, set.metadata?.resourceVersion ?? '', {
      [Keys.headSha]: null,
    });

    expect(cleared.metadata?.annotations?.[Keys.headSha]).toBeUndefined();
    expect(cleared.metadata?.annotations?.[Keys.eventTime]).toBe('2026-11-23T00:00:00Z');
  });
});
