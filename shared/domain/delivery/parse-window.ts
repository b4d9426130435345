import { ValidationError } from '../../errors.ts';

/** The longest window the metrics read: a year of deployments is already thousands of GitHub requests. */
export const MAX_WINDOW_DAYS = 366;

const UNITS: Record<string, number> = { h: 3_600_000, d: 86_400_000, w: 7 * 86_400_000 };

/**
 * `--since`: a duration back from now (`12h`, `30d`, `8w`) or a date (`2026-11-01`, ISO 8601).
 * Anything else, a future date, or more than MAX_WINDOW_DAYS, is refused with the reason.
 */
export function parseSince(text: string | undefined, now: Date, fallback = '30d'): Date {
  const value = (text ?? fallback).trim();
  const m = /^(\d{1,4})([hdw])$/.exec(value);
  let since: Date;
  if (m) {
    since = new Date(now.getTime() - Number(m[1]) * UNITS[m[2]!]!);
  } else if (/^\d{4}-\d{2}-\d{2}([T ][\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/.test(value)) {
    since = new Date(value);
  } else {
    throw new ValidationError('--since must be a duration such as 30d, 12h or 8w, or a date such as 2026-11-01', [
      `got "${value}"`,
    ]);
  }
  if (!Number.isFinite(since.getTime())) throw new ValidationError(`--since: "${value}" is not a valid date`);
  if (since.getTime() >= now.getTime()) throw new ValidationError(`--since: "${value}" is not in the past`);
  if (now.getTime() - since.getTime() > MAX_WINDOW_DAYS * 86_400_000) {
    throw new ValidationError(`--since: at most ${MAX_WINDOW_DAYS} days back, got "${value}"`);
  }
  return since;
}
