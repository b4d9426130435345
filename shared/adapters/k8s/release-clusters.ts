import type { KubeConfig } from '@kubernetes/client-node';
import type { HealthClusterPort } from '../../ports/health.ts';
import type { ReleaseClusterPort } from '../../ports/release.ts';
import { createHealthCluster } from './health-cluster.ts';
import { type ClusterRef, type KubeClientOptions, loadKubeConfig } from './kube-client.ts';
import { type CallCounter, createReleaseCluster } from './release-cluster.ts';

/**
 * Release and health ports for the configured clusters, each KubeConfig built once per cold start
 * (EKS tokens refresh inside it).
 */
export function releaseClusters(
  clusters: readonly ClusterRef[],
  options: KubeClientOptions = {},
  counter?: CallCounter,
) {
  const configs = new Map<string, Promise<KubeConfig>>();
  const kubeConfig = (name: string): Promise<KubeConfig> => {
    let kc = configs.get(name);
    if (!kc) {
      const cluster = clusters.find((c) => c.name === name);
      if (!cluster) return Promise.reject(new Error(`no cluster named "${name}" in the config`));
      kc = loadKubeConfig(cluster, options);
      configs.set(name, kc);
    }
    return kc;
  };
  return {
    release: async (name: string): Promise<ReleaseClusterPort> => createReleaseCluster(await kubeConfig(name), counter),
    health: async (name: string): Promise<HealthClusterPort> => createHealthCluster(await kubeConfig(name), counter),
  };
}
