import { normalizeGitHubEvent } from '../../domain/webhook/normalize-github-event.ts';
import {
  decodeGitHubBody,
  HttpError,
  type HttpRequestLike,
  readHttpRequest,
} from '../../domain/webhook/read-http-request.ts';
import { verifyWithAny } from '../../domain/webhook/verify-signature.ts';
import { ValidationError } from '../../errors.ts';
import { type HandOffDeps, handOffIntents } from './hand-off-intents.ts';
import { type HttpResult, jsonResponse } from './http-response.ts';

export interface GitHubWebhookDeps extends HandOffDeps {
  /** GITHUB_WEBHOOK_SECRET; a second value allows rotation without dropping deliveries. */
  secrets: readonly string[];
  repos: ReadonlySet<string>;
  ignoreStatusContexts: readonly string[];
  now: () => Date;
}

/**
 * `POST /github/webhook`: checks size, content type and headers, verifies the signature over the raw
 * body before anything is parsed, normalises the event into intents and hands them to the worker.
 */
export async function receiveGitHubWebhook(deps: GitHubWebhookDeps, event: HttpRequestLike): Promise<HttpResult> {
  try {
    const req = readHttpRequest(event);
    if (req.contentType !== 'application/json' && req.contentType !== 'application/x-www-form-urlencoded') {
      throw new HttpError(415, `content type "${req.contentType || '(none)'}" is not JSON or form-encoded`);
    }
    const signature = req.headers['x-hub-signature-256'];
    if (!signature) return jsonResponse(401, { error: 'missing X-Hub-Signature-256' });
    if (!(await verifyWithAny(deps.secrets, req.rawBody, signature))) {
      deps.logger.warn('webhook signature did not verify', { deliveryId: req.headers['x-github-delivery'] });
      return jsonResponse(401, { error: 'X-Hub-Signature-256 does not match the body; check GITHUB_WEBHOOK_SECRET' });
    }
    const eventName = req.headers['x-github-event'];
    const deliveryId = req.headers['x-github-delivery'];
    if (!eventName || !deliveryId) {
      throw new HttpError(400, 'missing X-GitHub-Event or X-GitHub-Delivery header');
    }
    const payload = decodeGitHubBody(req);
    if (eventName === 'ping') return jsonResponse(200, { status: 'pong', deliveryId });
    const normalized = normalizeGitHubEvent(payload, {
      event: eventName,
      deliveryId,
      receivedAt: deps.now().toISOString(),
      repos: deps.repos,
      ignoreStatusContexts: deps.ignoreStatusContexts,
    });
    return await handOffIntents(deps, deliveryId, normalized);
  } catch (error) {
    return errorResponse(error);
  }
}

/** Maps input errors to 4xx; anything else is a bug or an outage: 500 would hide which, so say it. */
export function errorResponse(error: unknown): HttpResult {
  if (error instanceof HttpError) return jsonResponse(error.status, { error: error.message });
  if (error instanceof ValidationError) return jsonResponse(400, { error: error.message, issues: error.issues });
  return jsonResponse(500, { error: 'internal error' });
}
