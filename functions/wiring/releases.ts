import { createReleaseCluster } from '../../shared/adapters/k8s/release-cluster.ts';
import type { ReleaseDeps } from '../../shared/app/releases/index.ts';
import { lazyPort, part } from './container.ts';
import { github } from './github.ts';
import { kubeConfigs } from './kube.ts';

/** The release use cases' ports: a release port per cluster (from the one KubeConfig cache) and GitHub. */
export const releases = part<ReleaseDeps>('releases', async (c) => {
  const kubeConfig = await c.get(kubeConfigs);
  return {
    apps: c.config.apps,
    cluster: async (name) => createReleaseCluster(await kubeConfig(name)),
    scm: lazyPort(c, github),
    clock: c.clock,
    logger: c.logger,
  };
});
