import type { KubeConfig } from '@kubernetes/client-node';
import { AppsV1Api, CoreV1Api, DiscoveryV1Api } from '@kubernetes/client-node';
import {
  HEALTH_STATE_KIND,
  healthStateName,
  Keys,
  LABEL_PREFIX,
  MANAGED_BY_LABEL,
  MANAGED_BY_VALUE,
  SWITCHYARD_NAMESPACE,
  stableHash,
} from '../../domain/naming.ts';
import type { DeploymentView } from '../../domain/release/deployment-view.ts';
import type { EndpointSliceView, ServiceView } from '../../domain/release/fleet-health.ts';
import { ConflictError, NotFoundError } from '../../errors.ts';
import type { HealthClusterPort } from '../../ports/health.ts';
import { toKubeError } from './kube-errors.ts';
import type { CallCounter } from './release-cluster.ts';
import { toDeploymentView } from './release-views.ts';

// Above this many namespaces one cluster-wide list is cheaper than one list per namespace.
const PER_NAMESPACE_LIMIT = 5;
const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';
const STATE_SELECTOR = `${MANAGED_BY_LABEL}=${MANAGED_BY_VALUE},${Keys.kind}=${HEALTH_STATE_KIND}`;
const STATE_KEY = 'state';
const SELECTOR_LABEL = `${LABEL_PREFIX}health-selector`;

/**
 * HealthClusterPort on a real cluster: Services, Deployments and EndpointSlices with a handful of list
 * calls whatever the fleet size. The alert state of each Service is a ConfigMap in switchyard's own
 * namespace (SWITCHYARD_NAMESPACE), written with a resourceVersion precondition: the reader identity
 * may write there and nowhere else (deploy/kubernetes/20-rbac.yml), so it never touches a Service.
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

  // The state ConfigMaps read by the last listServices, to tell which Services have gone since.
  // Only states written under the same selector are forgotten: two installations checking different
  // Services in one cluster (a dev and a prod stage) never delete each other's.
  let lastStates: { name: string; version: string }[] = [];
  let selectorHash = '';

  return {
    async listServices(labelSelector) {
      counter.calls += 2;
      try {
        const [list, states] = await Promise.all([
          core.listServiceForAllNamespaces({ labelSelector }),
          core.listNamespacedConfigMap({ namespace: SWITCHYARD_NAMESPACE, labelSelector: STATE_SELECTOR }),
        ]);
        const stored = new Map(states.items.map((c) => [c.metadata?.name ?? '', c]));
        selectorHash = stableHash(labelSelector);
        lastStates = states.items
          .filter((c) => c.metadata?.labels?.[SELECTOR_LABEL] === selectorHash)
          .map((c) => ({ name: c.metadata?.name ?? '', version: c.metadata?.resourceVersion ?? '' }));
        // A Service on its way out (its namespace being deleted) would only page people for pods that
        // are meant to go.
        return list.items
          .filter((s) => !s.metadata?.deletionTimestamp)
          .map((s): ServiceView => {
            const namespace = s.metadata?.namespace ?? '';
            const name = s.metadata?.name ?? '';
            const state = stored.get(healthStateName(namespace, name));
            return {
              namespace,
              name,
              resourceVersion: s.metadata?.resourceVersion ?? '',
              selector: { ...(s.spec?.selector ?? {}) },
              annotations: { ...(s.metadata?.annotations ?? {}) },
              alertState: state
                ? { value: state.data?.[STATE_KEY], version: state.metadata?.resourceVersion }
                : undefined,
            };
          });
      } catch (error) {
        throw toKubeError(error, `list Services (${labelSelector}) and their alert state in ${SWITCHYARD_NAMESPACE}`);
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
      const name = healthStateName(service.namespace, service.name);
      const version = service.alertState?.version;
      const body = {
        metadata: {
          name,
          namespace: SWITCHYARD_NAMESPACE,
          labels: {
            [MANAGED_BY_LABEL]: MANAGED_BY_VALUE,
            [Keys.kind]: HEALTH_STATE_KIND,
            ...(selectorHash ? { [SELECTOR_LABEL]: selectorHash } : {}),
          },
          ...(version ? { resourceVersion: version } : {}),
        },
        data: {
          namespace: service.namespace,
          service: service.name,
          ...(state === null ? {} : { [STATE_KEY]: JSON.stringify(state) }),
        },
      };
      const what = `write the alert state of ${service.namespace}/${service.name} (ConfigMap ${SWITCHYARD_NAMESPACE}/${name})`;
      try {
        const stored = version
          ? await core.replaceNamespacedConfigMap({ name, namespace: SWITCHYARD_NAMESPACE, body })
          : await core.createNamespacedConfigMap({ namespace: SWITCHYARD_NAMESPACE, body });
        return stored.metadata?.resourceVersion ?? '';
      } catch (error) {
        const mapped = toKubeError(error, what);
        if (!(mapped instanceof NotFoundError)) throw mapped;
        // Replacing a ConfigMap that another run deleted meanwhile: that run decided; we re-read next time.
        if (version) throw new ConflictError(`${what}: deleted meanwhile`, { cause: error });
        throw new NotFoundError(
          `${what}: namespace ${SWITCHYARD_NAMESPACE} does not exist; install deploy/kubernetes/ (kubectl apply -f deploy/kubernetes/)`,
          { cause: error },
        );
      }
    },

    async forgetHealthStates(current) {
      const keep = new Set(current.map((s) => healthStateName(s.namespace, s.name)));
      let deleted = 0;
      for (const state of lastStates.filter((c) => !keep.has(c.name))) {
        counter.calls++;
        try {
          await core.deleteNamespacedConfigMap({
            name: state.name,
            namespace: SWITCHYARD_NAMESPACE,
            body: { preconditions: { resourceVersion: state.version } },
          });
          deleted++;
        } catch (error) {
          const mapped = toKubeError(error, `delete the alert state ${SWITCHYARD_NAMESPACE}/${state.name}`);
          // Gone already, or written again meanwhile (its Service is back): nothing to forget.
          if (!(mapped instanceof NotFoundError || mapped instanceof ConflictError)) throw mapped;
        }
      }
      return deleted;
    },
  };
}
