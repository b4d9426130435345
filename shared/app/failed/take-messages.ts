import type { QueuedMessage } from '../../ports/failed-event-queue.ts';
import { type FailedDeps, HOLD_SECONDS } from './failed-deps.ts';

/** SQS returns at most 10 messages per receive. */
const RECEIVE_MAX = 10;

/**
 * Receives up to `max` messages, 10 at a time, each hidden for HOLD_SECONDS, until the queue returns
 * none. A receive may return fewer than are waiting (SQS samples its servers), so only an empty answer
 * ends the walk.
 */
export async function takeMessages(deps: Pick<FailedDeps, 'queue'>, max: number): Promise<QueuedMessage[]> {
  const taken: QueuedMessage[] = [];
  while (taken.length < max) {
    const batch = await deps.queue.receive(Math.min(RECEIVE_MAX, max - taken.length), HOLD_SECONDS);
    if (batch.length === 0) break;
    taken.push(...batch);
  }
  return taken;
}

/** Makes messages visible again; a failure only delays them until their hold ends. */
export async function releaseAll(deps: Pick<FailedDeps, 'queue' | 'logger'>, receipts: readonly string[]) {
  await Promise.all(
    receipts.map((receipt) =>
      deps.queue.release(receipt).catch((error: unknown) => {
        deps.logger.warn('could not release a failed event; it reappears when its hold ends', {
          error: (error as Error).message,
        });
      }),
    ),
  );
}
