import { createHmac } from 'node:crypto';
import { verify } from '@octokit/webhooks-methods';

/**
 * Checks an `X-Hub-Signature-256`-style header (`sha256=<hex>`) against the HMAC-SHA256 of the signed
 * text, with @octokit/webhooks-methods (constant-time comparison; GitHub's own recipe:
 * https://docs.github.com/webhooks/using-webhooks/validating-webhook-deliveries). The library takes a
 * string: the raw body is decoded as UTF-8, which is what GitHub sends; a body that is not valid UTF-8
 * does not survive the round trip and so never verifies. Anything malformed is simply "not valid".
 */
export async function verifySignature(
  secret: string,
  signed: Buffer | string,
  header: string | undefined,
): Promise<boolean> {
  if (!header || !secret || signed.length === 0) return false;
  const text = typeof signed === 'string' ? signed : signed.toString('utf8');
  if (typeof signed !== 'string' && !Buffer.from(text, 'utf8').equals(signed)) return false;
  try {
    return await verify(secret, text, header.trim().toLowerCase());
  } catch {
    return false;
  }
}

/** Whether any of the secrets (the current one and, during rotation, the previous) signed the text. */
export async function verifyWithAny(
  secrets: readonly string[],
  signed: Buffer | string,
  header: string | undefined,
): Promise<boolean> {
  for (const secret of secrets) if (await verifySignature(secret, signed, header)) return true;
  return false;
}

/** `sha256=<hex>` for a body: what CI (and our tests and events/) send. */
export function signBody(secret: string, rawBody: Buffer | string): string {
  return `sha256=${createHmac('sha256', secret).update(rawBody).digest('hex')}`;
}

/**
 * The CI notification's signed text: `<timestamp>.<body>`, the scheme Stripe and Slack use, so a
 * captured notification cannot be replayed outside the time window
 * (https://docs.stripe.com/webhooks#verify-manually, https://api.slack.com/authentication/verifying-requests-from-slack).
 */
export function timestampedPayload(timestamp: string, rawBody: Buffer | string): string {
  return `${timestamp}.${typeof rawBody === 'string' ? rawBody : rawBody.toString('utf8')}`;
}
