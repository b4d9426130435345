import { createHash } from 'node:crypto';
import { normalizeCiNotification } from '../../domain/webhook/normalize-ci-notification.ts';
import { HttpError, type HttpRequestLike, parseJson, readHttpRequest } from '../../domain/webhook/read-http-request.ts';
import { verifySignature } from '../../domain/webhook/verify-signature.ts';
import { type HandOffDeps, handOffIntents } from './hand-off-intents.ts';
import { type HttpResult, jsonResponse } from './http-response.ts';
import { errorResponse } from './receive-github-webhook.ts';

export interface CiNotificationDeps extends HandOffDeps {
  /** CI_WEBHOOK_SECRET (and optionally the previous one during rotation). */
  secrets: readonly string[];
  repos: ReadonlySet<string>;
  now: () => Date;
}

/** `POST /ci/notify`: HMAC-SHA256 of the raw body in `X-Switchyard-Signature-256: sha256=<hex>`. */
export async function receiveCiNotification(deps: CiNotificationDeps, event: HttpRequestLike): Promise<HttpResult> {
  try {
    const req = readHttpRequest(event);
    if (req.contentType !== 'application/json') {
      throw new HttpError(415, `content type "${req.contentType || '(none)'}" is not application/json`);
    }
    const signature = req.headers['x-switchyard-signature-256'];
    if (!signature) return jsonResponse(401, { error: 'missing X-Switchyard-Signature-256' });
    if (!deps.secrets.some((secret) => verifySignature(secret, req.rawBody, signature))) {
      deps.logger.warn('CI notification signature did not verify');
      return jsonResponse(401, {
        error: 'X-Switchyard-Signature-256 does not match the body; check CI_WEBHOOK_SECRET',
      });
    }
    // A CI notification has no delivery id: the body's hash identifies a redelivery of the same news.
    const deliveryId = `ci-${createHash('sha256').update(req.rawBody).digest('hex').slice(0, 16)}`;
    const normalized = normalizeCiNotification(parseJson(req.rawBody.toString('utf8')), {
      deliveryId,
      receivedAt: deps.now().toISOString(),
      repos: deps.repos,
    });
    return await handOffIntents(deps, deliveryId, normalized);
  } catch (error) {
    return errorResponse(error);
  }
}
