import { timingSafeEqual } from 'node:crypto';
import { renderStatusPage } from '../../domain/status/render-status-page.ts';
import { type HttpResult, jsonResponse } from '../ingress/http-response.ts';
import { readStatus, type StatusSources } from './read-status.ts';

export interface StatusPageDeps {
  sources: StatusSources;
  /** When set, the page requires it as `?token=` or `Authorization: Bearer`. */
  token: string | undefined;
  now: () => Date;
  refreshSeconds?: number;
}

export interface StatusRequest {
  rawPath?: string;
  headers?: Record<string, string | undefined> | null;
  queryStringParameters?: Record<string, string | undefined> | null;
}

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** `GET /status` (HTML) and `GET /status.json`. */
export async function serveStatus(deps: StatusPageDeps, req: StatusRequest): Promise<HttpResult> {
  if (deps.token) {
    const auth = Object.entries(req.headers ?? {}).find(([k]) => k.toLowerCase() === 'authorization')?.[1] ?? '';
    const given = auth.startsWith('Bearer ') ? auth.slice(7) : (req.queryStringParameters?.['token'] ?? '');
    if (!sameSecret(given, deps.token))
      return jsonResponse(401, { error: 'this status page needs its token (?token=...)' });
  }
  const model = await readStatus(deps.sources, deps.now());
  if ((req.rawPath ?? '').endsWith('.json')) return jsonResponse(200, model);
  const opts =
    deps.refreshSeconds === undefined ? { now: deps.now() } : { now: deps.now(), refreshSeconds: deps.refreshSeconds };
  return {
    statusCode: 200,
    headers: {
      'content-type': 'text/html; charset=utf-8',
      'cache-control': 'no-store',
      // Nothing external and no scripts: inline styles and SVG only.
      'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; img-src data:",
    },
    body: renderStatusPage(model, opts),
  };
}
