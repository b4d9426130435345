import { AppsV1Api, type KubeConfig } from '@kubernetes/client-node';
import type { DeploymentAvailabilityPort } from '../../ports/traffic-gates.ts';
import { kubeStatusCode, toKubeError } from './kube-errors.ts';

/**
 * The traffic shift's Kubernetes gate: a Deployment counts as available when its `Available`
 * condition is True. A missing Deployment is "not available" (the gate fails closed); an unreachable
 * API server is an error, which the shift treats as an unknown gate and holds.
 */
export function createDeploymentAvailability(
  kubeConfig: (cluster?: string) => Promise<KubeConfig>,
): DeploymentAvailabilityPort {
  return {
    async isAvailable(namespace, name, cluster) {
      const api = (await kubeConfig(cluster)).makeApiClient(AppsV1Api);
      try {
        const d = await api.readNamespacedDeployment({ name, namespace });
        return (d.status?.conditions ?? []).some((c) => c.type === 'Available' && c.status === 'True');
      } catch (error) {
        if (kubeStatusCode(error) === 404) return false;
        throw toKubeError(error, `reading deployment ${namespace}/${name}`);
      }
    },
  };
}
