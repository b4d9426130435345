import { createGitHubDeliveries } from '../../shared/adapters/github/github-deliveries.ts';
import type { DeliveryDeps } from '../../shared/app/delivery/read-delivery.ts';
import { rolledBackOnCluster } from '../../shared/app/delivery/rolled-back-on-cluster.ts';
import type { AppConfig } from '../../shared/config/schema.ts';
import { systemClock } from '../../shared/ports/clock.ts';
import type { LoggerPort } from '../../shared/ports/logger.ts';
import type { ReleaseClusterPort } from '../../shared/ports/release.ts';
import { githubOptions } from './github-options.ts';

const built = new WeakMap<readonly AppConfig[], Promise<DeliveryDeps>>();

/** DeliveryDeps with the GitHub adapter, built once per container for a given config. */
export function buildDeliveryDeps(
  env: NodeJS.ProcessEnv,
  logger: LoggerPort,
  apps: readonly AppConfig[],
  cluster?: (name: string) => Promise<ReleaseClusterPort>,
): Promise<DeliveryDeps> {
  let deps = built.get(apps);
  if (!deps) {
    deps = githubOptions(env, logger).then((options) => ({
      apps,
      record: createGitHubDeliveries(options),
      ...(cluster ? { rolledBackOnCluster: rolledBackOnCluster(cluster) } : {}),
      clock: systemClock,
      logger,
    }));
    // A failed build (SSM unreachable) must not be kept: the next request tries again.
    deps.catch(() => built.delete(apps));
    built.set(apps, deps);
  }
  return deps;
}
