import { ValidationError } from '../../errors.ts';

/**
 * The largest body that can reach the function: a synchronous Lambda invocation carries at most 6 MB
 * (https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html), below the HTTP API's
 * 10 MB and GitHub's 25 MB caps. A larger body (only possible off Lambda, e.g. serverless-offline) is
 * refused with 413, the answer AWS gives for it.
 */
export const MAX_BODY_BYTES = 6 * 1024 * 1024;
const LIMIT_TEXT = '6 MB (the Lambda request payload limit)';

export interface HttpRequestLike {
  headers?: Record<string, string | undefined> | null;
  body?: string | null;
  isBase64Encoded?: boolean;
}

export interface RawRequest {
  /** Header names lowercased (API Gateway HTTP APIs lowercase them; REST APIs keep the sender's case). */
  headers: Record<string, string>;
  /** The bytes the sender signed. */
  rawBody: Buffer;
  /** Media type without parameters, lowercased ('' when absent). */
  contentType: string;
}

export class HttpError extends ValidationError {
  readonly status: number;
  constructor(status: number, message: string) {
    super(message);
    this.name = 'HttpError';
    this.status = status;
  }
}

/** Normalises headers and decodes the body exactly as sent, so the signature can be checked over it. */
export function readHttpRequest(event: HttpRequestLike): RawRequest {
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(event.headers ?? {})) if (v !== undefined) headers[k.toLowerCase()] = v;
  const body = event.body ?? '';
  // Measure before decoding: base64 is 4/3 of the bytes, so a cheap upper bound first.
  if (body.length > (event.isBase64Encoded ? Math.ceil((MAX_BODY_BYTES * 4) / 3) + 4 : MAX_BODY_BYTES)) {
    throw new HttpError(413, `the body is larger than ${LIMIT_TEXT}`);
  }
  const rawBody = event.isBase64Encoded ? Buffer.from(body, 'base64') : Buffer.from(body, 'utf8');
  if (rawBody.length > MAX_BODY_BYTES) throw new HttpError(413, `the body is larger than ${LIMIT_TEXT}`);
  const contentType = (headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  return { headers, rawBody, contentType };
}

/**
 * The JSON document of a GitHub delivery: GitHub sends `application/json`, or
 * `application/x-www-form-urlencoded` with the JSON in a `payload` field, depending on the hook setting.
 */
export function decodeGitHubBody(req: RawRequest): unknown {
  let text: string;
  if (req.contentType === 'application/json') {
    text = req.rawBody.toString('utf8');
  } else if (req.contentType === 'application/x-www-form-urlencoded') {
    const payload = new URLSearchParams(req.rawBody.toString('utf8')).get('payload');
    if (payload === null) throw new HttpError(400, 'form-encoded delivery has no payload field');
    text = payload;
  } else {
    throw new HttpError(415, `content type "${req.contentType || '(none)'}" is not JSON or form-encoded`);
  }
  return parseJson(text);
}

export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new HttpError(400, `the body is not valid JSON: ${(error as Error).message}`);
  }
}
