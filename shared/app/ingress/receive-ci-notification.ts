import { createHash } from 'node:crypto';
import { type CiNotificationApp, normalizeCiNotification } from '../../domain/webhook/normalize-ci-notification.ts';
import { HttpError, type HttpRequestLike, parseJson, readHttpRequest } from '../../domain/webhook/read-http-request.ts';
import { timestampedPayload, verifyWithAny } from '../../domain/webhook/verify-signature.ts';
import { type HandOffDeps, handOffIntents } from './hand-off-intents.ts';
import { type HttpResult, jsonResponse } from './http-response.ts';
import { errorResponse } from './receive-github-webhook.ts';

export interface CiNotificationDeps extends HandOffDeps {
  /** CI_WEBHOOK_SECRET (and optionally the previous one during rotation). */
  secrets: readonly string[];
  /** The configured apps: which repositories, and which image repositories each may deploy. */
  apps: readonly CiNotificationApp[];
  now: () => Date;
}

/** How far the signed timestamp may be from our clock, either way (Stripe's and Slack's default). */
export const TIMESTAMP_TOLERANCE_SECONDS = 300;

/**
 * `POST /ci/notify`: `X-Switchyard-Timestamp: <unix seconds>` and `X-Switchyard-Signature-256:
 * sha256=<hex>`, the HMAC-SHA256 of `<timestamp>.<raw body>`. A timestamp more than five minutes from
 * now is refused (401) so a captured notification cannot be replayed later; the signature is checked
 * first, so the reason given never helps a forger.
 */
export async function receiveCiNotification(deps: CiNotificationDeps, event: HttpRequestLike): Promise<HttpResult> {
  try {
    const req = readHttpRequest(event);
    if (req.contentType !== 'application/json') {
      throw new HttpError(415, `content type "${req.contentType || '(none)'}" is not application/json`);
    }
    const signature = req.headers['x-switchyard-signature-256'];
    if (!signature) return jsonResponse(401, { error: 'missing X-Switchyard-Signature-256' });
    const timestamp = req.headers['x-switchyard-timestamp'];
    if (!timestamp)
      return jsonResponse(401, { error: 'missing X-Switchyard-Timestamp (unix seconds, signed with the body)' });
    if (!/^\d{1,12}$/.test(timestamp)) {
      return jsonResponse(401, { error: 'X-Switchyard-Timestamp must be whole unix seconds' });
    }
    const signed = timestampedPayload(timestamp, req.rawBody);
    if (!(await verifyWithAny(deps.secrets, signed, signature))) {
      deps.logger.warn('CI notification signature did not verify');
      return jsonResponse(401, {
        error: 'X-Switchyard-Signature-256 does not match <timestamp>.<body>; check CI_WEBHOOK_SECRET',
      });
    }
    const skew = Math.floor(deps.now().getTime() / 1000) - Number(timestamp);
    if (Math.abs(skew) > TIMESTAMP_TOLERANCE_SECONDS) {
      deps.logger.warn('CI notification outside the time window', { skewSeconds: skew });
      return jsonResponse(401, {
        error:
          skew > 0
            ? `X-Switchyard-Timestamp is ${skew} s old (more than ${TIMESTAMP_TOLERANCE_SECONDS} s): replayed or delayed`
            : `X-Switchyard-Timestamp is ${-skew} s in the future (more than ${TIMESTAMP_TOLERANCE_SECONDS} s): check the CI clock`,
      });
    }
    // A CI notification has no delivery id: the signed text identifies a redelivery of the same news.
    const deliveryId = `ci-${createHash('sha256').update(signed).digest('hex').slice(0, 16)}`;
    const normalized = normalizeCiNotification(parseJson(req.rawBody.toString('utf8')), {
      deliveryId,
      eventTime: new Date(Number(timestamp) * 1000).toISOString(),
      apps: deps.apps,
    });
    return await handOffIntents(deps, deliveryId, normalized);
  } catch (error) {
    return errorResponse(error);
  }
}
