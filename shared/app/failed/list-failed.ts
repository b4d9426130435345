import { type FailedEvent, readFailedMessage } from '../../domain/failed/failed-event.ts';
import type { QueueDepth } from '../../ports/failed-event-queue.ts';
import { DEFAULT_MAX_MESSAGES, type FailedDeps } from './failed-deps.ts';
import { releaseAll, takeMessages } from './take-messages.ts';

export interface FailedList {
  depth: QueueDepth;
  events: FailedEvent[];
  /** Messages that are not Lambda invocation records (never redriven, never deleted). */
  unreadable: { messageId: string; problem: string }[];
}

/**
 * `switchyard failed list`: reads what the queue holds and puts every message back. Reading is a
 * receive (SQS has no peek), so each listed message's receive count goes up by one.
 */
export async function listFailed(deps: FailedDeps, options: { max?: number } = {}): Promise<FailedList> {
  const depth = await deps.queue.depth();
  const messages = await takeMessages(deps, options.max ?? DEFAULT_MAX_MESSAGES);
  await releaseAll(
    deps,
    messages.map((m) => m.receipt),
  );
  const read = messages.map(readFailedMessage);
  return {
    depth,
    events: read.flatMap((r) => (r.ok ? [r.event] : [])),
    unreadable: read.flatMap((r) => (r.ok ? [] : [{ messageId: r.messageId, problem: r.problem }])),
  };
}
