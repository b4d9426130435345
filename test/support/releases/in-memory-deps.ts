import type { ReleaseDeps } from '../../../shared/app/releases/index.ts';
import { type AppConfig, AppSchema } from '../../../shared/config/schema.ts';
import type { DeploymentView } from '../../../shared/domain/release/deployment-view.ts';
import { silentLogger } from '../../../shared/ports/logger.ts';
import { fakeReleaseCluster, recordingScm } from './fakes.ts';

/** Release use-case deps over the in-memory cluster and a recording GitHub, the clock fixed at `now`. */
export function inMemoryReleaseDeps(
  apps: readonly AppConfig[],
  deployments: readonly DeploymentView[],
  now = '2026-11-02T10:00:00Z',
) {
  const cluster = fakeReleaseCluster(deployments);
  const github = recordingScm();
  const deps: ReleaseDeps = {
    apps,
    cluster: async () => cluster.port,
    scm: github.scm,
    clock: { now: () => new Date(now), sleep: async () => {} },
    logger: silentLogger,
  };
  return { cluster, github, deps };
}

/** The app `shop` of acme/shop on cluster `main`, with the given release environments (config shape). */
export function shopApp(environments: unknown[]): AppConfig {
  return AppSchema.parse({
    name: 'shop',
    repo: 'acme/shop',
    image: 'registry.example.com/shop',
    cluster: 'main',
    environments,
  });
}
