import type { FailedEventQueuePort } from '../../ports/failed-event-queue.ts';
import type { InvokerPort } from '../../ports/invoker.ts';
import type { LoggerPort } from '../../ports/logger.ts';

export interface FailedDeps {
  queue: FailedEventQueuePort;
  invoker: InvokerPort;
  /** The function whose failures the queue keeps, and which a redrive invokes again. */
  workerFunctionName: string;
  logger: LoggerPort;
}

/** Messages read per run at most: one ops invocation stays well inside its timeout. */
export const DEFAULT_MAX_MESSAGES = 100;
/**
 * How long a message stays hidden while a run holds it; longer than one run, so a run never receives
 * the same message twice. Whatever the run does not delete it releases at its end.
 */
export const HOLD_SECONDS = 120;
