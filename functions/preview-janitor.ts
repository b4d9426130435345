import type { Context } from 'aws-lambda';
import { deadlineFromRemaining } from '../shared/adapters/k8s/watch-until.ts';
import { type PreviewDeps, type SweepResult, sweepPreviews } from '../shared/app/previews/index.ts';
import { functionContainer } from './wiring/function-container.ts';
import { previews } from './wiring/previews.ts';

/**
 * The scheduled event; `dryRun: true` plans and logs the sweep without deleting anything,
 * `maxDeletions` overrides the per-run removal budget (default 100).
 */
export interface PreviewJanitorEvent {
  dryRun?: boolean;
  maxDeletions?: number;
}

/** `previewJanitor` (schedule): open PRs versus preview namespaces, TTL and caps. */
export function createHandler(deps: PreviewDeps) {
  return (event: PreviewJanitorEvent | null | undefined, context?: Pick<Context, 'getRemainingTimeInMillis'>) =>
    sweepPreviews(deps, {
      dryRun: event?.dryRun === true,
      maxDeletions: event?.maxDeletions,
      // Stop removing 15 s before the Lambda's end; what is left waits for the next run.
      deadline: context ? deadlineFromRemaining(context.getRemainingTimeInMillis(), Date.now(), 15_000) : undefined,
    });
}

let cold: ReturnType<typeof createHandler> | undefined;
export const handler = async (
  event: PreviewJanitorEvent | null | undefined,
  context?: Context,
): Promise<SweepResult> => {
  cold ??= createHandler(await functionContainer('previewJanitor').get(previews));
  return cold(event, context);
};
