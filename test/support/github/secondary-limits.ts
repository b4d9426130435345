/**
 * GitHub's documented secondary rate limits, as the stand-in enforces them
 * (https://docs.github.com/en/rest/using-the-rest-api/rate-limits-for-the-rest-api#about-secondary-rate-limits):
 * - no more than 100 concurrent requests;
 * - no more than 80 content-generating requests per minute;
 * - no more than 500 content-generating requests per hour.
 * A request over a limit is answered 403 with a `retry-after` header and GitHub's message, and does
 * not count as content created. Every refusal is kept in `refusals`, so a test or benchmark can show
 * that none happened. Content-generating means POST, PATCH, PUT and DELETE here.
 */

export interface SecondaryLimitOptions {
  concurrent?: number;
  perMinute?: number;
  perHour?: number;
  /** Milliseconds since the epoch (tests may pass a fake clock). */
  now?: () => number;
}

export interface Refusal {
  at: number;
  method: string;
  path: string;
  limit: 'concurrent' | 'per-minute' | 'per-hour';
  retryAfterSeconds: number;
}

export interface SecondaryLimits {
  /** Admits a request (call `release` when answered) or refuses it with the answer to send. */
  enter(method: string, path: string): { release: () => void } | { refusal: Refusal; answer: LimitAnswer };
  readonly refusals: Refusal[];
  /** Times content-generating requests were admitted (for burst figures). */
  readonly writes: number[];
  /** Highest number of requests in flight at once. */
  peakConcurrent(): number;
}

export interface LimitAnswer {
  status: 403;
  headers: Record<string, string>;
  body: { message: string; documentation_url: string; status: '403' };
}

const WRITE_METHODS = new Set(['POST', 'PATCH', 'PUT', 'DELETE']);
const MINUTE = 60_000;
const HOUR = 3_600_000;
const DOCS = 'https://docs.github.com/rest/using-the-rest-api/rate-limits-for-the-rest-api#about-secondary-rate-limits';

export function createSecondaryLimits(options: SecondaryLimitOptions = {}): SecondaryLimits {
  const concurrent = options.concurrent ?? 100;
  const perMinute = options.perMinute ?? 80;
  const perHour = options.perHour ?? 500;
  const now = options.now ?? Date.now;
  const refusals: Refusal[] = [];
  const writes: number[] = [];
  let inFlight = 0;
  let peak = 0;

  /** Seconds until the window holds fewer than `limit` writes again. */
  function waitFor(windowMs: number, limit: number, t: number): number | null {
    const recent = writes.filter((w) => w > t - windowMs);
    if (recent.length < limit) return null;
    const oldest = recent[recent.length - limit] ?? t;
    return Math.max(1, Math.ceil((oldest + windowMs - t) / 1000));
  }

  function refuse(method: string, path: string, limit: Refusal['limit'], retryAfterSeconds: number) {
    const refusal: Refusal = { at: now(), method, path, limit, retryAfterSeconds };
    refusals.push(refusal);
    const answer: LimitAnswer = {
      status: 403,
      headers: { 'retry-after': String(retryAfterSeconds) },
      body: {
        message:
          'You have exceeded a secondary rate limit. Please wait a few minutes before you try again. If you reach out to GitHub Support for help, please include the request ID.',
        documentation_url: DOCS,
        status: '403',
      },
    };
    return { refusal, answer };
  }

  return {
    refusals,
    writes,
    peakConcurrent: () => peak,
    enter(method, path) {
      const t = now();
      // GitHub does not say how long to wait after too many concurrent requests: a minute is its advice.
      if (inFlight >= concurrent) return refuse(method, path, 'concurrent', 60);
      if (WRITE_METHODS.has(method)) {
        const minute = waitFor(MINUTE, perMinute, t);
        if (minute !== null) return refuse(method, path, 'per-minute', minute);
        const hour = waitFor(HOUR, perHour, t);
        if (hour !== null) return refuse(method, path, 'per-hour', hour);
        writes.push(t);
      }
      inFlight++;
      peak = Math.max(peak, inFlight);
      let released = false;
      return {
        release: () => {
          if (released) return;
          released = true;
          inFlight--;
        },
      };
    },
  };
}
