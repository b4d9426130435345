import { type DispatchOutcome, dispatchIntents, type IntentHandlers } from '../shared/app/dispatch-intents.ts';
import { TransientError } from '../shared/errors.ts';
import type { LoggerPort } from '../shared/ports/logger.ts';
import { functionContainer } from './wiring/function-container.ts';
import { buildIntentHandlers } from './wiring/intent-handlers.ts';

export interface PipelineWorkerDeps {
  handlers: IntentHandlers;
  logger: LoggerPort;
}

/**
 * Invoked asynchronously by the ingress with one delivery's intents. Throws only for retryable
 * failures, so Lambda's async retries run the work again; everything else is logged and finished.
 */
export function createHandler(deps: PipelineWorkerDeps) {
  return async (payload: unknown): Promise<DispatchOutcome> => {
    const outcome = await dispatchIntents(deps, payload);
    deps.logger.info('delivery processed', {
      deliveryId: outcome.deliveryId,
      handled: outcome.handled.length,
      unhandled: outcome.unhandled.length,
      failed: outcome.failed.length,
    });
    const retry = outcome.failed.filter((f) => f.retryable);
    if (retry.length > 0) {
      throw new TransientError(`retryable failures: ${retry.map((f) => `${f.handler}: ${f.error}`).join('; ')}`);
    }
    return outcome;
  };
}

let cold: ReturnType<typeof createHandler> | undefined;
let remaining = () => 60_000;
export const handler = async (
  payload: unknown,
  context?: { getRemainingTimeInMillis?: () => number },
): Promise<DispatchOutcome> => {
  // Waits for rollouts stop well before the Lambda's own timeout, leaving time to report.
  if (context?.getRemainingTimeInMillis) remaining = context.getRemainingTimeInMillis.bind(context);
  if (!cold) {
    const container = functionContainer('pipelineWorker');
    const handlers = buildIntentHandlers(container, { deadline: () => Date.now() + remaining() - 15_000 });
    cold = createHandler({ handlers, logger: container.logger });
  }
  return cold(payload);
};
