import type { ReleaseDeps, ReleaseRunOptions } from './release-deps.ts';
import { type TickOutcome, tickEnvironment } from './tick-environment.ts';

export interface WatchResult {
  ticks: TickOutcome[];
  errors: { app: string; environment: string; error: string }[];
}

/**
 * rolloutWatcher's schedule: one tick per configured environment (rollout status, track promotion
 * after bake time and gate, gray steps, automatic rollback). One environment failing does not stop
 * the others.
 */
export async function watchReleases(deps: ReleaseDeps, options: ReleaseRunOptions = {}): Promise<WatchResult> {
  const result: WatchResult = { ticks: [], errors: [] };
  for (const app of deps.apps) {
    for (const env of app.environments) {
      if (options.deadline !== undefined && Date.now() >= options.deadline) {
        deps.logger.warn('out of time; the next run continues', { app: app.name, environment: env.name });
        return result;
      }
      try {
        const tick = await tickEnvironment(deps, app, env, options);
        if (tick.changes > 0 || tick.events.length > 0) result.ticks.push(tick);
      } catch (error) {
        deps.logger.error('release watch failed for an environment', {
          app: app.name,
          environment: env.name,
          error: String(error),
        });
        result.errors.push({ app: app.name, environment: env.name, error: (error as Error).message });
      }
    }
  }
  return result;
}
