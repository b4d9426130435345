import type { Context } from 'aws-lambda';
import { deadlineFromRemaining } from '../shared/adapters/k8s/watch-until.ts';
import { type PreviewDeps, type ReconcileResult, reconcilePreviews } from '../shared/app/previews/index.ts';
import { type ReleaseDeps, type WatchResult, watchReleases } from '../shared/app/releases/index.ts';
import type { LoggerPort } from '../shared/ports/logger.ts';
import { functionContainer } from './wiring/function-container.ts';
import { previews } from './wiring/previews.ts';
import { releases } from './wiring/releases.ts';

/** The scheduled event; `dryRun: true` reads rollouts and logs what would be reported. */
export interface RolloutWatcherEvent {
  dryRun?: boolean;
}

export interface RolloutWatcherDeps {
  previews: PreviewDeps;
  /** The release half (watchReleases); absent when no app has environments. */
  releases?: ReleaseDeps | undefined;
  logger: LoggerPort;
}

export interface RolloutWatcherResult {
  previews: ReconcileResult | { error: string };
  releases: WatchResult | { error: string } | null;
}

/**
 * `rolloutWatcher` (schedule): reconciles every preview (reconcilePreviews) and reports release
 * rollouts nobody reported yet. Previews and releases are two
 * independent halves: one failing does not keep the other from reporting.
 */
export function createHandler(deps: RolloutWatcherDeps) {
  return async (
    event: RolloutWatcherEvent | null | undefined,
    context?: Pick<Context, 'getRemainingTimeInMillis'>,
  ): Promise<RolloutWatcherResult> => {
    const opts = { dryRun: event?.dryRun === true };
    // The preview reconcile stops starting repairs 15 s before the Lambda's end; the rest waits a run.
    const deadline = context
      ? deadlineFromRemaining(context.getRemainingTimeInMillis(), Date.now(), 15_000)
      : undefined;
    const fail = (half: string) => (error: unknown) => {
      deps.logger.error(`rolloutWatcher ${half} failed`, { error: (error as Error).message });
      return { error: (error as Error).message };
    };
    const [previews, releases] = await Promise.all([
      reconcilePreviews(deps.previews, { ...opts, deadline }).catch(fail('previews')),
      deps.releases ? watchReleases(deps.releases, opts).catch(fail('releases')) : Promise.resolve(null),
    ]);
    return { previews, releases };
  };
}

async function defaultDeps(): Promise<RolloutWatcherDeps> {
  const c = functionContainer('rolloutWatcher');
  const withReleases = c.config.apps.some((a) => a.environments.length > 0);
  return {
    previews: await c.get(previews),
    releases: withReleases ? await c.get(releases) : undefined,
    logger: c.logger,
  };
}

let cold: ReturnType<typeof createHandler> | undefined;
export const handler = async (
  event: RolloutWatcherEvent | null | undefined,
  context?: Context,
): Promise<RolloutWatcherResult> => {
  cold ??= createHandler(await defaultDeps());
  return cold(event, context);
};
