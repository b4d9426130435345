import { createGitHubDeliveries } from '../../shared/adapters/github/github-deliveries.ts';
import { createReleaseCluster } from '../../shared/adapters/k8s/release-cluster.ts';
import type { DeliveryDeps } from '../../shared/app/delivery/read-delivery.ts';
import { rolledBackOnCluster } from '../../shared/app/delivery/rolled-back-on-cluster.ts';
import { part } from './container.ts';
import { githubOptions } from './github-options.ts';
import { kubeConfigs } from './kube.ts';

/**
 * The delivery metrics' ports: GitHub's deployments (read-only calls on the same credentials as the
 * rest of switchyard) and the release records on each cluster (from the one KubeConfig cache).
 */
export const delivery = part<DeliveryDeps>('delivery', async (c) => {
  const kubeConfig = await c.get(kubeConfigs);
  return {
    apps: c.config.apps,
    record: createGitHubDeliveries(await githubOptions(c.env, c.logger)),
    rolledBackOnCluster: rolledBackOnCluster(async (name) => createReleaseCluster(await kubeConfig(name))),
    clock: c.clock,
    logger: c.logger,
  };
});
