import { signBody } from '../../shared/domain/webhook/verify-signature.ts';

/** The documented test secrets (events/README.md): never used outside tests and the sandbox. */
export const TEST_GITHUB_SECRET = 'switchyard-test-github-secret';
export const TEST_CI_SECRET = 'switchyard-test-ci-secret';

export interface ApiGatewayHttpEvent {
  version: '2.0';
  routeKey: string;
  rawPath: string;
  rawQueryString: string;
  headers: Record<string, string>;
  requestContext: Record<string, unknown>;
  body: string;
  isBase64Encoded: boolean;
}

/** An API Gateway HTTP API (payload 2.0) event, as API Gateway would hand it to the function. */
export function apiGatewayEvent(
  path: string,
  body: string,
  headers: Record<string, string>,
  opts: { base64?: boolean } = {},
): ApiGatewayHttpEvent {
  return {
    version: '2.0',
    routeKey: `POST ${path}`,
    rawPath: path,
    rawQueryString: '',
    headers: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v])),
    requestContext: {
      http: { method: 'POST', path, protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'GitHub-Hookshot/test' },
      requestId: 'test-request',
      routeKey: `POST ${path}`,
      stage: '$default',
    },
    body: opts.base64 ? Buffer.from(body).toString('base64') : body,
    isBase64Encoded: opts.base64 ?? false,
  };
}

/** A signed GitHub delivery of `payload` as event `event`. */
export function githubDelivery(
  event: string,
  payload: unknown,
  opts: { secret?: string; deliveryId?: string; base64?: boolean; form?: boolean } = {},
): ApiGatewayHttpEvent {
  const json = JSON.stringify(payload);
  const body = opts.form ? `payload=${encodeURIComponent(json)}` : json;
  return apiGatewayEvent(
    '/github/webhook',
    body,
    {
      'content-type': opts.form ? 'application/x-www-form-urlencoded' : 'application/json',
      'x-github-event': event,
      'x-github-delivery': opts.deliveryId ?? '72d3162e-cc78-11e3-81ab-4c9367dc0958',
      'x-hub-signature-256': signBody(opts.secret ?? TEST_GITHUB_SECRET, body),
      'user-agent': 'GitHub-Hookshot/044aadd',
    },
    opts.base64 === undefined ? {} : { base64: opts.base64 },
  );
}

/** A signed CI notification: `X-Switchyard-Timestamp` (unix seconds) signed with the body. */
export function ciNotification(
  body: unknown,
  opts: { secret?: string; timestamp?: number | string; now?: Date } = {},
): ApiGatewayHttpEvent {
  const text = JSON.stringify(body);
  const timestamp = String(opts.timestamp ?? Math.floor((opts.now ?? new Date()).getTime() / 1000));
  return apiGatewayEvent('/ci/notify', text, {
    'content-type': 'application/json',
    'x-switchyard-timestamp': timestamp,
    'x-switchyard-signature-256': signBody(opts.secret ?? TEST_CI_SECRET, `${timestamp}.${text}`),
  });
}
