import type { KubeConfig } from '@kubernetes/client-node';
import { AppsV1Api, CoreV1Api, DiscoveryV1Api } from '@kubernetes/client-node';
import { Keys } from '../../domain/naming.ts';
import type { DeploymentView } from '../../domain/release/deployment-view.ts';
import type { EndpointSliceView, ServiceView } from '../../domain/release/fleet-health.ts';
import type { HealthClusterPort } from '../../ports/health.ts';
import { writeAnnotationsIfUnchanged } from './apply-objects.ts';
import { toKubeError } from './kube-errors.ts';
import type { CallCounter } from './release-cluster.ts';
import { toDeploymentView } from './release-views.ts';

// Above this many namespaces one cluster-wide list is cheaper than one list per namespace.
const PER_NAMESPACE_LIMIT = 5;
const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';

/**
 * HealthClusterPort on a real cluster: Services, Deployments and EndpointSlices with a handful of list
 * calls whatever the fleet size; the alert state is an annotation on each Service, written with a
 * resourceVersion precondition.
 */
export function createHealthCluster(kc: KubeConfig, counter: CallCounter = { calls: 0 }): HealthClusterPort {
  const core = kc.makeApiClient(CoreV1Api);
  const apps = kc.makeApiClient(AppsV1Api);
  const discovery = kc.makeApiClient(DiscoveryV1Api);

  async function perNamespace<T>(
    namespaces: readonly string[],
    what: string,
    all: () => Promise<{ items: T[] }>,
    one: (namespace: string) => Promise<{ items: T[] }>,
  ): Promise<T[]> {
    const wanted = new Set(namespaces);
    try {
      if (wanted.size > PER_NAMESPACE_LIMIT) {
        counter.calls++;
        return (await all()).items;
      }
      const lists = await Promise.all(
        [...wanted].map((ns) => {
          counter.calls++;
          return one(ns);
        }),
      );
      return lists.flatMap((l) => l.items);
    } catch (error) {
      throw toKubeError(error, `list ${what}`);
    }
  }

  return {
    async listServices(labelSelector) {
      counter.calls++;
      try {
        const list = await core.listServiceForAllNamespaces({ labelSelector });
        // A Service on its way out (its namespace being deleted) would only page people for pods that
        // are meant to go.
        return list.items
          .filter((s) => !s.metadata?.deletionTimestamp)
          .map(
            (s): ServiceView => ({
              namespace: s.metadata?.namespace ?? '',
              name: s.metadata?.name ?? '',
              resourceVersion: s.metadata?.resourceVersion ?? '',
              selector: { ...(s.spec?.selector ?? {}) },
              annotations: { ...(s.metadata?.annotations ?? {}) },
            }),
          );
      } catch (error) {
        throw toKubeError(error, `list Services (${labelSelector})`);
      }
    },

    async listDeployments(namespaces) {
      const items = await perNamespace(
        namespaces,
        'Deployments',
        () => apps.listDeploymentForAllNamespaces({}),
        (namespace) => apps.listNamespacedDeployment({ namespace }),
      );
      const wanted = new Set(namespaces);
      return items.map((d) => toDeploymentView(d)).filter((d: DeploymentView) => wanted.has(d.namespace));
    },

    async listEndpointSlices(namespaces) {
      const items = await perNamespace(
        namespaces,
        'EndpointSlices',
        () => discovery.listEndpointSliceForAllNamespaces({ labelSelector: SERVICE_NAME_LABEL }),
        (namespace) => discovery.listNamespacedEndpointSlice({ namespace, labelSelector: SERVICE_NAME_LABEL }),
      );
      const wanted = new Set(namespaces);
      return items
        .filter((s) => wanted.has(s.metadata?.namespace ?? ''))
        .map(
          (s): EndpointSliceView => ({
            namespace: s.metadata?.namespace ?? '',
            serviceName: s.metadata?.labels?.[SERVICE_NAME_LABEL] ?? '',
            endpoints: (s.endpoints ?? []).map((e) => ({
              // EndpointSlice: a nil ready condition means ready (discovery.k8s.io/v1 EndpointConditions).
              ready: e.conditions?.ready !== false,
              ...(e.targetRef?.kind === 'Pod' && e.targetRef.name ? { podName: e.targetRef.name } : {}),
            })),
          }),
        );
    },

    async writeHealthState(service, state) {
      counter.calls++;
      const stored = await writeAnnotationsIfUnchanged(
        kc,
        { apiVersion: 'v1', kind: 'Service', name: service.name, namespace: service.namespace },
        service.resourceVersion,
        { [Keys.health]: state === null ? null : JSON.stringify(state) },
      );
      return stored.metadata?.resourceVersion ?? '';
    },
  };
}
