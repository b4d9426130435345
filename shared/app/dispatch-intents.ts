import { type Intent, IntentSchema } from '../domain/intents.ts';
import { isRetryable, ValidationError } from '../errors.ts';
import type { LoggerPort } from '../ports/logger.ts';

type HandlerOf<K extends Intent['kind']> = (intent: Extract<Intent, { kind: K }>) => Promise<unknown>;

/** Use cases per intent kind. Several may care about one intent (a CI result feeds previews and releases). */
export type IntentHandlers = { [K in Intent['kind']]?: Array<{ name: string; run: HandlerOf<K> }> };

export interface DispatchOutcome {
  deliveryId: string;
  handled: Array<{ kind: string; handler: string; result: unknown }>;
  /** Intents no use case exists for yet: logged and counted, never silently dropped. */
  unhandled: Array<{ kind: string; repo: string }>;
  failed: Array<{ kind: string; handler: string; error: string; retryable: boolean }>;
}

/**
 * Validates the worker's payload and runs every use case registered for each intent. One failing use
 * case does not stop the others; if any failure is retryable the caller rethrows so Lambda's async
 * retry (or the next scheduled reconcile) runs the work again.
 */
export async function dispatchIntents(
  deps: { handlers: IntentHandlers; logger: LoggerPort },
  payload: unknown,
): Promise<DispatchOutcome> {
  const parsed = parsePayload(payload);
  const outcome: DispatchOutcome = { deliveryId: parsed.deliveryId, handled: [], unhandled: [], failed: [] };
  for (const intent of parsed.intents) {
    const keys = logKeys(intent);
    deps.logger.info('intent received', keys);
    const handlers = (deps.handlers[intent.kind] ?? []) as Array<{
      name: string;
      run: (i: Intent) => Promise<unknown>;
    }>;
    if (handlers.length === 0) {
      outcome.unhandled.push({ kind: intent.kind, repo: intent.repo });
      deps.logger.warn('no use case handles this intent', keys);
      continue;
    }
    for (const handler of handlers) {
      try {
        const result = await handler.run(intent);
        outcome.handled.push({ kind: intent.kind, handler: handler.name, result });
      } catch (error) {
        const retryable = isRetryable(error);
        outcome.failed.push({ kind: intent.kind, handler: handler.name, error: (error as Error).message, retryable });
        deps.logger.error('use case failed', {
          ...keys,
          handler: handler.name,
          error: (error as Error).message,
          retryable,
        });
      }
    }
  }
  return outcome;
}

/** The keys every log line about an intent carries: delivery, repository, PR and commit. */
function logKeys(intent: Intent): Record<string, unknown> {
  const base = { deliveryId: intent.deliveryId, kind: intent.kind, repo: intent.repo };
  switch (intent.kind) {
    case 'pull_request':
      return { ...base, pr: intent.pr, sha: intent.headSha, action: intent.action };
    case 'ci_result':
      return { ...base, sha: intent.sha, pr: intent.prs[0], result: intent.result, source: intent.source };
    case 'push':
      return { ...base, sha: intent.after, branch: intent.branch };
  }
}

function parsePayload(payload: unknown): { deliveryId: string; intents: Intent[] } {
  const p = payload as { deliveryId?: unknown; intents?: unknown } | null;
  if (!p || typeof p.deliveryId !== 'string' || !Array.isArray(p.intents)) {
    throw new ValidationError('the worker payload must be {deliveryId, intents[]}');
  }
  const intents: Intent[] = [];
  const issues: string[] = [];
  p.intents.forEach((raw, i) => {
    const r = IntentSchema.safeParse(raw);
    if (r.success) intents.push(r.data);
    else issues.push(...r.error.issues.map((x) => `intents[${i}].${x.path.join('.')}: ${x.message}`));
  });
  if (issues.length > 0) throw new ValidationError('the worker payload has invalid intents', issues);
  return { deliveryId: p.deliveryId, intents };
}
