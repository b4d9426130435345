import { ApiException } from '@kubernetes/client-node';
import { AppError, AuthError, ConflictError, NotFoundError, TransientError, ValidationError } from '../../errors.ts';

/** A Kubernetes `Status` body, the part we read. */
export interface KubeStatus {
  code?: number;
  reason?: string;
  message?: string;
  details?: { causes?: { type?: string; message?: string; field?: string }[] };
}

/**
 * Server-side apply found fields owned by another field manager (HTTP 409 with causes
 * `conflict with "<manager>"`). Re-applying with force takes them over.
 */
export class FieldConflictError extends ConflictError {
  readonly managers: readonly string[];
  readonly fields: readonly string[];
  constructor(message: string, managers: readonly string[], fields: readonly string[], options?: ErrorOptions) {
    super(message, options);
    this.name = 'FieldConflictError';
    this.managers = managers;
    this.fields = fields;
  }
}

/** HTTP status of a client-node failure: ApiException.code, or statusCode on watch errors. */
export function kubeStatusCode(error: unknown): number | undefined {
  if (error instanceof ApiException) return error.code;
  // Only statusCode: other errors carry unrelated numeric codes (DOMException TimeoutError has code 23).
  const e = error as { statusCode?: unknown } | null;
  return typeof e?.statusCode === 'number' ? e.statusCode : undefined;
}

/** The Status body of a failed request, parsed whether client-node handed it over as text or object. */
export function kubeStatusBody(error: unknown): KubeStatus | undefined {
  if (!(error instanceof ApiException)) return undefined;
  const body: unknown = error.body;
  if (typeof body === 'string') {
    try {
      return JSON.parse(body) as KubeStatus;
    } catch {
      return { message: body };
    }
  }
  return body && typeof body === 'object' ? (body as KubeStatus) : undefined;
}

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
  'ENOTFOUND',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
]);

/** True for failures below HTTP: refused or reset connections, DNS, timeouts and aborts by timeout. */
export function isNetworkError(error: unknown): boolean {
  const seen = new Set<unknown>();
  let current: unknown = error;
  while (current && typeof current === 'object' && !seen.has(current)) {
    seen.add(current);
    const e = current as { name?: unknown; code?: unknown; cause?: unknown; errors?: unknown };
    if (e.name === 'TimeoutError') return true;
    if (typeof e.code === 'string' && NETWORK_CODES.has(e.code)) return true;
    // undici reports several failed connection attempts as an AggregateError.
    if (Array.isArray(e.errors) && e.errors.some((inner) => isNetworkError(inner))) return true;
    current = e.cause;
  }
  return false;
}

/**
 * Maps a client-node failure to our taxonomy: 409 → ConflictError (FieldConflictError naming the other
 * field manager for apply conflicts), 404 → NotFoundError, 422/400 → ValidationError, 401/403 →
 * AuthError, 410/429/5xx and network failures → TransientError. `what` says what we were doing.
 */
export function toKubeError(error: unknown, what: string): AppError {
  if (error instanceof AppError) return error;
  const code = kubeStatusCode(error);
  const status = kubeStatusBody(error);
  const detail = status?.message ?? (error as Error | undefined)?.message ?? String(error);
  const options = { cause: error };
  if (code === undefined || isNetworkError(error)) {
    if (isNetworkError(error)) return new TransientError(`${what}: Kubernetes API unreachable (${detail})`, options);
    return new TransientError(`${what}: ${detail}`, options);
  }
  if (code === 409) {
    const causes = status?.details?.causes ?? [];
    const managers = unique(
      causes.flatMap((c) => [...(c.message ?? '').matchAll(/conflict with "([^"]+)"/g)].map((m) => m[1] ?? '')),
    ).filter((m) => m.length > 0);
    if (managers.length > 0 || status?.message?.startsWith('Apply failed')) {
      const fields = unique(causes.map((c) => c.field ?? '').filter((f) => f.length > 0));
      const who = managers.length > 0 ? managers.map((m) => `"${m}"`).join(', ') : 'another field manager';
      return new FieldConflictError(
        `${what}: fields ${fields.join(', ') || '(unknown)'} are owned by ${who}; apply with force to take them over`,
        managers,
        fields,
        options,
      );
    }
    return new ConflictError(`${what}: ${detail}`, options);
  }
  if (code === 404) return new NotFoundError(`${what}: ${detail}`, options);
  if (code === 400 || code === 422) {
    const issues = (status?.details?.causes ?? []).map((c) => `${c.field ?? ''} ${c.message ?? ''}`.trim());
    return new ValidationError(`${what}: ${detail}`, issues, options);
  }
  if (code === 401 || code === 403) return new AuthError(`${what}: ${detail}`, options);
  if (code === 410 || code === 429 || code >= 500) {
    return new TransientError(`${what}: HTTP ${code} ${detail}`, options);
  }
  return new ValidationError(`${what}: HTTP ${code} ${detail}`, [], options);
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}
