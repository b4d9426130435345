import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Checks an `X-Hub-Signature-256`-style header (`sha256=<hex>`) against the HMAC-SHA256 of the raw
 * body. Constant time over the digest; any malformed header is simply "not valid".
 * https://docs.github.com/webhooks/using-webhooks/validating-webhook-deliveries
 */
export function verifySignature(secret: string, rawBody: Buffer, header: string | undefined): boolean {
  if (!header || !secret) return false;
  const match = /^sha256=([0-9a-fA-F]{64})$/.exec(header.trim());
  if (!match) return false;
  const expected = createHmac('sha256', secret).update(rawBody).digest();
  const given = Buffer.from(match[1]!, 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** `sha256=<hex>` for a body: what CI (and our tests and events/) send. */
export function signBody(secret: string, rawBody: Buffer | string): string {
  return `sha256=${createHmac('sha256', secret).update(rawBody).digest('hex')}`;
}
