import { AuthError, TransientError, ValidationError } from '../../errors.ts';
import type { Notification, NotifierPort } from '../../ports/notifier.ts';

export interface WebhookTarget {
  /** Config name of the target: the only thing that names it in errors and logs. */
  name: string;
  type: 'slack' | 'webhook';
  /** Carries a secret token: never logged, never put in an error message. */
  url: string;
}

export interface WebhookNotifierOptions {
  fetch?: typeof fetch;
  timeoutMs?: number;
}

/**
 * Posts to Slack incoming webhooks (`{text}`, with mrkdwn) or to any webhook (`{title, text, severity}`),
 * all targets in turn. 429 and 5xx and network failures are TransientError (a later run retries);
 * other refusals say which configured target and what to fix, never its URL.
 */
export function createWebhookNotifier(
  targets: readonly WebhookTarget[],
  options: WebhookNotifierOptions = {},
): NotifierPort {
  const doFetch = options.fetch ?? fetch;
  const timeoutMs = options.timeoutMs ?? 5_000;
  return {
    async notify(message: Notification) {
      const failures: Error[] = [];
      for (const target of targets) {
        try {
          await post(doFetch, target, message, timeoutMs);
        } catch (error) {
          failures.push(error as Error);
        }
      }
      if (failures.length === 1) throw failures[0];
      if (failures.length > 1) {
        const retryable = failures.some((f) => f instanceof TransientError);
        const text = `notifications failed: ${failures.map((f) => f.message).join('; ')}`;
        throw retryable
          ? new TransientError(text, { cause: failures })
          : new ValidationError(text, [], { cause: failures });
      }
    },
  };
}

async function post(doFetch: typeof fetch, target: WebhookTarget, message: Notification, timeoutMs: number) {
  const body =
    target.type === 'slack'
      ? { text: message.text, mrkdwn: true }
      : { title: message.title, text: message.text, severity: message.severity };
  let response: Response;
  try {
    response = await doFetch(target.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (error) {
    // undici's errors can quote the URL: keep only the kind of failure.
    const code = (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).name;
    throw new TransientError(`notification target "${target.name}" unreachable (${code})`);
  }
  // Slack answers with a short plain-text reason (invalid_token, no_service, channel_not_found...).
  const reason = (await response.text().catch(() => '')).slice(0, 100).replace(/\s+/g, ' ');
  if (response.ok) return;
  const what = `notification target "${target.name}" answered HTTP ${response.status}${reason ? ` (${reason})` : ''}`;
  if (response.status === 429 || response.status >= 500) throw new TransientError(what);
  if (response.status === 401 || response.status === 403) throw new AuthError(`${what}; check the webhook URL's token`);
  throw new ValidationError(`${what}; check the webhook URL kept for it`);
}
