import * as z from 'zod/mini';
import { formatIssues } from '../../config/parse-config.ts';
import type { QueuedMessage } from '../../ports/failed-event-queue.ts';

/**
 * The record Lambda sends to an asynchronous invocation's on-failure destination (AWS Lambda developer
 * guide, "Capturing records of Lambda asynchronous invocations": version, timestamp, requestContext,
 * requestPayload, responseContext, responsePayload). `requestPayload` is what the worker was invoked
 * with; an event that expired in Lambda's queue (EventAgeExceeded) carries no response.
 */
export const InvocationRecordSchema = z.object({
  version: z.optional(z.string()),
  timestamp: z.string(),
  requestContext: z.object({
    requestId: z.string(),
    functionArn: z.string(),
    condition: z.string(),
    approximateInvokeCount: z.number(),
  }),
  requestPayload: z.unknown(),
  responseContext: z.optional(
    z.object({
      statusCode: z.optional(z.number()),
      executedVersion: z.optional(z.string()),
      functionError: z.optional(z.string()),
    }),
  ),
  responsePayload: z.optional(z.unknown()),
});
export type InvocationRecord = z.infer<typeof InvocationRecordSchema>;

export interface FailedEvent {
  messageId: string;
  receipt: string;
  /** When the last attempt failed (the record's timestamp). */
  failedAt: string;
  /** `RetriesExhausted` or `EventAgeExceeded`. */
  condition: string;
  attempts: number;
  requestId: string;
  /** The worker's error, `Type: message`, when it reported one. */
  error: string | null;
  /** What the event was: the delivery and its intents, when the payload is the worker's. */
  summary: string;
  /** How many times this message has been received from the queue (listing included). */
  receiveCount: number;
  payload: unknown;
}

export type ReadMessage =
  | { ok: true; event: FailedEvent }
  | { ok: false; messageId: string; receipt: string; problem: string };

function errorOf(response: unknown): string | null {
  if (response === null || typeof response !== 'object') return typeof response === 'string' ? response : null;
  const r = response as { errorType?: unknown; errorMessage?: unknown };
  if (typeof r.errorMessage !== 'string') return null;
  return typeof r.errorType === 'string' ? `${r.errorType}: ${r.errorMessage}` : r.errorMessage;
}

function summarize(payload: unknown): string {
  const p = payload as { deliveryId?: unknown; intents?: unknown } | null;
  if (p && typeof p === 'object' && Array.isArray(p.intents)) {
    const kinds = p.intents.map((i) => {
      const intent = i as { kind?: unknown; repo?: unknown; pr?: unknown };
      return [intent.kind, intent.repo, intent.pr].filter((x) => x !== undefined).join(' ');
    });
    return `delivery ${String(p.deliveryId ?? '?')}: ${kinds.join(', ') || 'no intents'}`;
  }
  return JSON.stringify(payload).slice(0, 120);
}

/** One queue message as a failed event, or why it is not one (it is then never redriven nor deleted). */
export function readFailedMessage(message: QueuedMessage): ReadMessage {
  const unreadable = (problem: string): ReadMessage => ({
    ok: false,
    messageId: message.id,
    receipt: message.receipt,
    problem,
  });
  let raw: unknown;
  try {
    raw = JSON.parse(message.body);
  } catch {
    return unreadable('the body is not JSON');
  }
  const parsed = InvocationRecordSchema.safeParse(raw);
  if (!parsed.success) {
    return unreadable(`not a Lambda invocation record: ${formatIssues(parsed.error.issues).join('; ')}`);
  }
  const record = parsed.data;
  if (record.requestPayload === undefined) return unreadable('the record has no requestPayload');
  return {
    ok: true,
    event: {
      messageId: message.id,
      receipt: message.receipt,
      failedAt: record.timestamp,
      condition: record.requestContext.condition,
      attempts: record.requestContext.approximateInvokeCount,
      requestId: record.requestContext.requestId,
      error: errorOf(record.responsePayload),
      summary: summarize(record.requestPayload),
      receiveCount: message.receiveCount,
      payload: record.requestPayload,
    },
  };
}
