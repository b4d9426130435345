import type { KubeConfig, KubernetesObject } from '@kubernetes/client-node';
import { AppsV1Api, CoreV1Api, PatchStrategy } from '@kubernetes/client-node';
import { FIELD_MANAGER } from '../../domain/naming.ts';
import type { DeploymentView } from '../../domain/release/deployment-view.ts';
import type { DeploymentChange } from '../../domain/release/release-plan.ts';
import { ValidationError } from '../../errors.ts';
import type { ReleaseClusterPort } from '../../ports/release.ts';
import { applyObjects, objectApi } from './apply-objects.ts';
import { toKubeError } from './kube-errors.ts';
import { selectorString, toDeploymentView } from './release-views.ts';
import { watchUntil } from './watch-until.ts';

/** Counts API calls, for the benchmark and for tests that check we stay within a few calls. */
export interface CallCounter {
  calls: number;
}

/**
 * ReleaseClusterPort on a real cluster.
 * - Images and our annotations go through server-side apply under FIELD_MANAGER with only those fields
 *   in the body, so every other field keeps its owner and value. metadata.resourceVersion in the body
 *   makes the apply conditional (409 -> ConflictError). force takes the image fields over from whoever
 *   created the Deployment; they are ours from then on.
 * - Replicas go through a merge patch (an Update, not our Apply), so a later apply that leaves
 *   spec.replicas out never removes it.
 */
export function createReleaseCluster(kc: KubeConfig, counter: CallCounter = { calls: 0 }): ReleaseClusterPort {
  const apps = kc.makeApiClient(AppsV1Api);
  const core = kc.makeApiClient(CoreV1Api);
  return {
    async getDeployments(namespace, names) {
      counter.calls++;
      const wanted = new Set(names);
      let items: unknown[];
      try {
        items = (await apps.listNamespacedDeployment({ namespace })).items;
      } catch (error) {
        throw toKubeError(error, `list Deployments in ${namespace}`);
      }
      const out = new Map<string, DeploymentView | null>(names.map((n) => [n, null]));
      for (const item of items) {
        const view = toDeploymentView(item);
        if (wanted.has(view.name)) out.set(view.name, view);
      }
      return out;
    },

    async applyChange(change, options = {}) {
      let stored: DeploymentView | undefined;
      const resourceVersion = change.resourceVersion;
      if (change.apply) {
        const containers = Object.entries(change.apply.images).map(([name, image]) => ({ name, image }));
        const body = {
          apiVersion: 'apps/v1',
          kind: 'Deployment',
          metadata: {
            name: change.name,
            namespace: change.namespace,
            resourceVersion,
            annotations: change.apply.annotations,
          },
          ...(containers.length > 0 ? { spec: { template: { spec: { containers } } } } : {}),
        };
        counter.calls++;
        const [applied] = await applyObjects(kc, [body], { force: true, dryRun: options.dryRun });
        stored = toDeploymentView(applied);
      }
      if (change.replicas !== undefined) {
        counter.calls++;
        stored = await scale(kc, change, options.dryRun ?? false);
      }
      if (!stored) throw new ValidationError(`empty change for Deployment ${change.namespace}/${change.name}`);
      return stored;
    },

    async podRestarts(namespace, selector) {
      counter.calls++;
      try {
        const pods = await core.listNamespacedPod({ namespace, labelSelector: selectorString(selector) });
        let restarts = 0;
        for (const pod of pods.items) {
          for (const s of pod.status?.containerStatuses ?? []) restarts += s.restartCount ?? 0;
        }
        return restarts;
      } catch (error) {
        throw toKubeError(error, `list pods ${selectorString(selector)} in ${namespace}`);
      }
    },

    async waitForDeployments(namespace, names, until, deadline) {
      const pick = (items: readonly unknown[]) => {
        const map = new Map<string, DeploymentView>();
        for (const item of items) {
          const view = toDeploymentView(item);
          if (names.includes(view.name)) map.set(view.name, view);
        }
        return map;
      };
      counter.calls++;
      const result = await watchUntil(kc, {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        namespace,
        deadline,
        until: (items) => {
          const map = pick(items);
          return until(map) ? map : undefined;
        },
      });
      return result.met ? { met: true, deployments: result.value } : { met: false, deployments: pick(result.items) };
    },
  };
}

// Replicas are written without a resourceVersion precondition: the count is absolute (the plan's
// split), the release record beside it is what the conditional apply serializes, and the Deployment
// controller's status writes would otherwise make the precondition fail on nearly every try.
async function scale(kc: KubeConfig, change: DeploymentChange, dryRun: boolean) {
  const patch = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: change.name, namespace: change.namespace },
    spec: { replicas: change.replicas },
  } as unknown as KubernetesObject;
  try {
    const stored = await objectApi(kc).patch(
      patch,
      undefined,
      dryRun ? 'All' : undefined,
      FIELD_MANAGER,
      undefined,
      PatchStrategy.MergePatch,
    );
    return toDeploymentView(stored);
  } catch (error) {
    throw toKubeError(error, `scale Deployment ${change.namespace}/${change.name} to ${change.replicas}`);
  }
}
