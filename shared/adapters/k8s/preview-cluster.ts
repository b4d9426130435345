import type { KubeConfig, KubernetesObject } from '@kubernetes/client-node';
import type { PreviewObject } from '../../domain/preview/preview-object.ts';
import { DEPENDENCY_KINDS } from '../../domain/preview/render-templates.ts';
import {
  type DeploymentRollout,
  type RolloutSummary,
  summarizeRollouts,
} from '../../domain/preview/rollout-summary.ts';
import { rolloutStatus } from '../../domain/rollout-status.ts';
import { AuthError } from '../../errors.ts';
import type { MetadataChange, PreviewClusterPort, PreviewNamespace } from '../../ports/preview-cluster.ts';
import {
  applyObjects,
  deleteNamespace,
  type KindRef,
  type KubeObject,
  objectApi,
  pruneObjects,
  readObject,
  writeMetadataIfUnchanged,
} from './apply-objects.ts';
import { toKubeError } from './kube-errors.ts';
import { watchUntil } from './watch-until.ts';

/**
 * Kinds pruned in every preview besides those its templates render now: an object whose kind left the
 * templates altogether must still be found and deleted.
 */
const PRUNE_KINDS: readonly KindRef[] = [
  { apiVersion: 'v1', kind: 'ConfigMap' },
  { apiVersion: 'v1', kind: 'Secret' },
  { apiVersion: 'v1', kind: 'Service' },
  { apiVersion: 'v1', kind: 'ServiceAccount' },
  { apiVersion: 'v1', kind: 'PersistentVolumeClaim' },
  { apiVersion: 'apps/v1', kind: 'Deployment' },
  { apiVersion: 'apps/v1', kind: 'StatefulSet' },
  { apiVersion: 'batch/v1', kind: 'Job' },
  { apiVersion: 'batch/v1', kind: 'CronJob' },
  { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress' },
];

function toPreviewNamespace(o: KubernetesObject): PreviewNamespace {
  const created = o.metadata?.creationTimestamp as unknown;
  return {
    name: o.metadata?.name ?? '',
    labels: { ...(o.metadata?.labels ?? {}) },
    annotations: { ...(o.metadata?.annotations ?? {}) },
    resourceVersion: o.metadata?.resourceVersion ?? '',
    createdAt: created instanceof Date ? created.toISOString() : typeof created === 'string' ? created : null,
    deleting: Boolean(o.metadata?.deletionTimestamp),
  };
}

const ns = (name: string) => ({ apiVersion: 'v1', kind: 'Namespace', name });

/** PreviewClusterPort over a real API server (server-side apply under FIELD_MANAGER). */
export function createPreviewCluster(kc: KubeConfig): PreviewClusterPort {
  async function listDeployments(namespace: string): Promise<KubernetesObject[]> {
    try {
      return (await objectApi(kc).list('apps/v1', 'Deployment', namespace)).items;
    } catch (error) {
      throw toKubeError(error, `list Deployments in ${namespace}`);
    }
  }

  function summarize(items: readonly KubernetesObject[]): RolloutSummary {
    return summarizeRollouts(
      items.map(
        (d): DeploymentRollout => ({
          name: d.metadata?.name ?? '',
          ...rolloutStatus(d as Parameters<typeof rolloutStatus>[0]),
        }),
      ),
    );
  }

  return {
    async getNamespace(name) {
      const o = await readObject(kc, ns(name));
      return o ? toPreviewNamespace(o) : null;
    },

    async listNamespaces(labelSelector) {
      try {
        const list = await objectApi(kc).list(
          'v1',
          'Namespace',
          undefined,
          undefined,
          undefined,
          undefined,
          undefined,
          labelSelector,
        );
        return list.items.map(toPreviewNamespace);
      } catch (error) {
        throw toKubeError(error, `list namespaces (${labelSelector})`);
      }
    },

    async createNamespace(name, change) {
      try {
        const created = await objectApi(kc).create({
          apiVersion: 'v1',
          kind: 'Namespace',
          metadata: {
            name,
            labels: change.labels as Record<string, string>,
            annotations: change.annotations as Record<string, string>,
          },
        });
        return toPreviewNamespace(created);
      } catch (error) {
        throw toKubeError(error, `create namespace ${name}`);
      }
    },

    async updateNamespace(name, resourceVersion, change: MetadataChange) {
      const stored = await writeMetadataIfUnchanged(kc, ns(name), {
        resourceVersion,
        annotations: change.annotations,
        labels: change.labels,
      });
      return toPreviewNamespace(stored);
    },

    async applyObjects(namespace, objects: readonly PreviewObject[], pruneSelector) {
      // force: the preview namespace is ours; a hand edit must not block the next deploy. Objects that
      // others depend on (quota and limits before pods, config before workloads) go first; each tier is
      // applied in parallel.
      const first = objects.filter((o) => DEPENDENCY_KINDS.has(o.kind));
      const rest = objects.filter((o) => !DEPENDENCY_KINDS.has(o.kind));
      for (const tier of [first, rest]) {
        await Promise.all(tier.map((o) => applyObjects(kc, [o as unknown as KubeObject], { force: true })));
      }
      const kinds = new Map<string, KindRef>();
      for (const k of [...PRUNE_KINDS, ...objects.map((o) => ({ apiVersion: o.apiVersion, kind: o.kind }))]) {
        kinds.set(`${k.apiVersion}|${k.kind}`, k);
      }
      // One list per kind, independent of each other: run them side by side rather than one after another.
      const pruned = (
        await Promise.all(
          [...kinds.values()].map((kind) =>
            pruneObjects(kc, {
              namespace,
              labelSelector: pruneSelector,
              kinds: [kind],
              keep: objects as unknown as KubeObject[],
            }).catch((error: unknown) => {
              // A kind our RBAC does not let us list: either not granted at all (deploy/kubernetes keeps
              // Jobs, PVCs... opt-in), so never created, or write-only (opt-in Secrets: switchyard may
              // not read Secrets anywhere). Nothing of it can be pruned; it leaves with the namespace.
              if (error instanceof AuthError) return [];
              throw error;
            }),
          ),
        )
      ).flat();
      return { applied: objects.length, pruned: pruned.map((r) => `${r.kind}/${r.name}`) };
    },

    deleteNamespace: (name) => deleteNamespace(kc, name),

    async readRollouts(namespace) {
      return summarize(await listDeployments(namespace));
    },

    async waitForRollouts(namespace, timeoutMs) {
      const result = await watchUntil(kc, {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        namespace,
        deadline: Date.now() + timeoutMs,
        until: (items) => {
          const summary = summarize(items);
          return summary.phase === 'complete' || summary.phase === 'failed' ? summary : undefined;
        },
      });
      return result.met ? result.value : summarize(result.items);
    },
  };
}
