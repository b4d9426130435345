import { readFailedMessage } from '../../domain/failed/failed-event.ts';
import { DEFAULT_MAX_MESSAGES, type FailedDeps } from './failed-deps.ts';
import { releaseAll, takeMessages } from './take-messages.ts';

export type RedriveOutcome = 'redriven' | 'would-redrive' | 'invoke-failed' | 'redriven-not-deleted' | 'skipped';

export interface RedriveItem {
  messageId: string;
  outcome: RedriveOutcome;
  summary: string;
  detail?: string;
}

export interface RedriveReport {
  dryRun: boolean;
  redriven: number;
  left: number;
  items: RedriveItem[];
}

/**
 * `switchyard failed redrive`: invokes the worker again, asynchronously, with each failed event's
 * original payload, and deletes the message only after the invoke was accepted. A message whose invoke
 * fails, or that is not a Lambda invocation record, stays in the queue. A delete that fails after a
 * successful invoke leaves the message to be redriven again: the worker handles repeated deliveries.
 */
export async function redriveFailed(
  deps: FailedDeps,
  options: { dryRun?: boolean; max?: number } = {},
): Promise<RedriveReport> {
  const dryRun = options.dryRun ?? false;
  const messages = await takeMessages(deps, options.max ?? DEFAULT_MAX_MESSAGES);
  const keep: string[] = [];
  const items: RedriveItem[] = [];
  for (const message of messages) {
    const read = readFailedMessage(message);
    if (!read.ok) {
      keep.push(message.receipt);
      items.push({ messageId: message.id, outcome: 'skipped', summary: '(unreadable)', detail: read.problem });
      continue;
    }
    const { event } = read;
    if (dryRun) {
      keep.push(message.receipt);
      items.push({ messageId: message.id, outcome: 'would-redrive', summary: event.summary });
      continue;
    }
    try {
      await deps.invoker.invokeAsync(deps.workerFunctionName, event.payload);
    } catch (error) {
      keep.push(message.receipt);
      items.push({
        messageId: message.id,
        outcome: 'invoke-failed',
        summary: event.summary,
        detail: (error as Error).message,
      });
      continue;
    }
    try {
      await deps.queue.delete(message.receipt);
      items.push({ messageId: message.id, outcome: 'redriven', summary: event.summary });
    } catch (error) {
      items.push({
        messageId: message.id,
        outcome: 'redriven-not-deleted',
        summary: event.summary,
        detail: (error as Error).message,
      });
    }
    deps.logger.info('failed event redriven', { messageId: message.id, requestId: event.requestId });
  }
  await releaseAll(deps, keep);
  const redriven = items.filter((i) => i.outcome === 'redriven' || i.outcome === 'redriven-not-deleted').length;
  return { dryRun, redriven, left: messages.length - items.filter((i) => i.outcome === 'redriven').length, items };
}
