import { ConflictError, NotFoundError, TransientError, ValidationError } from '../../errors.ts';

interface SdkError {
  name?: string;
  message?: string;
  messages?: string[];
  $metadata?: { httpStatusCode?: number };
  $retryable?: unknown;
}

/** Route 53 codes that mean "slow down and try again" (Route 53 API errors; the SDK's own throttling list agrees). */
export const RETRYABLE_CODES = new Set([
  'Throttling',
  'ThrottlingException',
  'PriorRequestNotComplete',
  'RequestLimitExceeded',
]);

export function errorCode(error: unknown): string {
  return (error as SdkError)?.name ?? 'Unknown';
}

export function isRetryableRoute53(error: unknown): boolean {
  const e = error as SdkError;
  if (RETRYABLE_CODES.has(errorCode(error))) return true;
  const status = e?.$metadata?.httpStatusCode;
  if (status !== undefined && status >= 500) return true;
  // Connection refused/reset before any HTTP status.
  return status === undefined && /ECONNRESET|ECONNREFUSED|socket hang up|ETIMEDOUT/.test(String(e?.message));
}

/**
 * Maps an SDK error into the project taxonomy. A failed exact DELETE or a CREATE that finds the record
 * already there means someone changed the records since we read them: a lost compare-and-set.
 */
export function wrapRoute53Error(error: unknown, what: string): Error {
  const e = error as SdkError;
  const code = errorCode(error);
  const messages = e?.messages && e.messages.length > 0 ? e.messages : [e?.message ?? String(error)];
  if (code === 'InvalidChangeBatch') {
    const race = messages.some((m) => /but it (was not found|already exists)|do not match the current values/.test(m));
    if (race)
      return new ConflictError(`${what}: Route 53 records changed meanwhile (${messages.join('; ')})`, {
        cause: error,
      });
    return new ValidationError(`${what}: Route 53 refused the change batch`, messages, { cause: error });
  }
  if (code === 'InvalidInput')
    return new ValidationError(`${what}: Route 53 refused the input`, messages, { cause: error });
  if (code.startsWith('NoSuch')) return new NotFoundError(`${what}: ${code}: ${messages.join('; ')}`, { cause: error });
  if (isRetryableRoute53(error)) {
    return new TransientError(`${what}: Route 53 is busy or unreachable (${code}: ${messages.join('; ')})`, {
      cause: error,
    });
  }
  return new TransientError(`${what}: ${code}: ${messages.join('; ')}`, { cause: error });
}
