import type { Intent } from '../../domain/intents.ts';
import type { Normalized } from '../../domain/webhook/normalize-github-event.ts';
import type { InvokerPort } from '../../ports/invoker.ts';
import type { LoggerPort } from '../../ports/logger.ts';
import { type HttpResult, jsonResponse } from './http-response.ts';

/** What pipelineWorker receives: one delivery's intents. */
export interface WorkerPayload {
  deliveryId: string;
  intents: Intent[];
}

export interface HandOffDeps {
  invoker: InvokerPort;
  workerFunctionName: string;
  logger: LoggerPort;
}

/**
 * Hands intents to the worker asynchronously and answers at once: GitHub gives a delivery 10 seconds.
 * A failed hand-off answers 503 so the delivery shows as failed in GitHub and can be redelivered.
 */
export async function handOffIntents(
  deps: HandOffDeps,
  deliveryId: string,
  normalized: Normalized,
): Promise<HttpResult> {
  if ('ignored' in normalized) {
    deps.logger.info('delivery ignored', { deliveryId, reason: normalized.ignored });
    return jsonResponse(202, { status: 'ignored', reason: normalized.ignored, deliveryId });
  }
  const payload: WorkerPayload = { deliveryId, intents: normalized.intents };
  try {
    await deps.invoker.invokeAsync(deps.workerFunctionName, payload);
  } catch (error) {
    deps.logger.error('hand-off to the worker failed', { deliveryId, error: (error as Error).message });
    return jsonResponse(503, { error: 'could not hand the delivery to the worker; redeliver it later', deliveryId });
  }
  deps.logger.info('delivery handed off', {
    deliveryId,
    intents: normalized.intents.map((i) => `${i.kind}:${i.repo}`),
  });
  return jsonResponse(202, { status: 'accepted', intents: normalized.intents.length, deliveryId });
}
