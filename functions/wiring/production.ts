import type { DeliveryDeps } from '../../shared/app/delivery/read-delivery.ts';
import type { PreviewDeps } from '../../shared/app/previews/index.ts';
import type { HealthDeps, ReleaseDeps } from '../../shared/app/releases/index.ts';
import type { TrafficDeps } from '../../shared/app/traffic/traffic-deps.ts';
import type { LoadedConfig } from '../../shared/config/load-config.ts';
import type { Container } from './container.ts';
import { delivery } from './delivery.ts';
import { health } from './health.ts';
import { previews } from './previews.ts';
import { releases } from './releases.ts';
import { trafficDeps } from './traffic.ts';

/**
 * Every use case's dependencies from one container, for the functions that reach all of them (the
 * operator commands and the status page). The other functions take only their own parts.
 */
export interface Production {
  loaded: LoadedConfig;
  /** The function's environment (which credentials it was given). */
  env: NodeJS.ProcessEnv;
  previews(): Promise<PreviewDeps>;
  releases(): Promise<ReleaseDeps>;
  traffic(): TrafficDeps;
  health(): Promise<HealthDeps>;
  delivery(): Promise<DeliveryDeps>;
}

export function production(c: Container): Production {
  let traffic: TrafficDeps | undefined;
  return {
    loaded: { config: c.config, baseDir: c.baseDir, path: c.configPath },
    env: c.env,
    previews: () => c.get(previews),
    releases: () => c.get(releases),
    traffic: () => {
      traffic ??= trafficDeps(c);
      return traffic;
    },
    health: () => c.get(health),
    delivery: () => c.get(delivery),
  };
}
