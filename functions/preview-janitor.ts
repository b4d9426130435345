import { createLogger } from '../shared/adapters/log/powertools-logger.ts';
import { type PreviewDeps, type SweepResult, sweepPreviews } from '../shared/app/previews/index.ts';
import { buildPreviewDeps } from './wiring/preview-deps.ts';

/** The scheduled event; `dryRun: true` plans and logs the sweep without deleting anything. */
export interface PreviewJanitorEvent {
  dryRun?: boolean;
}

/** `previewJanitor` (schedule): open PRs versus preview namespaces, TTL and caps. */
export function createHandler(deps: PreviewDeps) {
  return (event: PreviewJanitorEvent | null | undefined): Promise<SweepResult> =>
    sweepPreviews(deps, { dryRun: event?.dryRun === true });
}

let cold: ReturnType<typeof createHandler> | undefined;
export const handler = async (event: PreviewJanitorEvent | null | undefined): Promise<SweepResult> => {
  cold ??= createHandler(await buildPreviewDeps(process.env, createLogger('previewJanitor')));
  return cold(event);
};
