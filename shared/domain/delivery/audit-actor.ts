import { truncate } from './truncate.ts';

/**
 * The audit trail of switchyard's actions lives in GitHub itself: every deployment status description
 * ends with who acted, `(by alice)`, or `(automatic)` when a webhook, schedule or rule did. GitHub keeps
 * those statuses, so the record needs no database and no one can edit it after the fact (statuses are
 * append-only in the REST API).
 */
export const AUTOMATIC = 'automatic';

/** An operator command (promote, rollback) run without a name: still a person's act, never "automatic". */
export const UNNAMED_OPERATOR = 'operator';

/** Options of the use cases an operator can run: who ran it (the CLI sends the operator's name). */
export interface AuditOptions {
  actor?: string;
}

/** GitHub logins: alphanumerics and single hyphens, at most 39 characters; other actor names are cleaned the same way. */
export function cleanActor(name: string | undefined | null): string | null {
  if (!name) return null;
  const cleaned = name
    .trim()
    .replace(/[^A-Za-z0-9._@[\]-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 39);
  return cleaned === '' ? null : cleaned;
}

export function actorSuffix(actor: string | undefined | null): string {
  const who = cleanActor(actor);
  return who ? `(by ${who})` : `(${AUTOMATIC})`;
}

/**
 * The description with its audit suffix, cut to `max` characters (GitHub's limit is 140): the
 * description is shortened, never the suffix, so the record always says who acted.
 */
export function withActor(description: string, actor: string | undefined | null, max = 140): string {
  const suffix = actorSuffix(actor);
  return `${truncate(description, max - suffix.length - 1)} ${suffix}`;
}

/**
 * A failure status for a release switchyard rolled back by itself (autoRollback): the previous images
 * were put back as this status was written, which is when the environment was restored.
 */
export function withAutomaticRollback(description: string, max = 140): string {
  const suffix = `(${AUTOMATIC} rollback)`;
  return `${truncate(description, max - suffix.length - 1)} ${suffix}`;
}

export function isAutomaticRollback(description: string): boolean {
  return description.trimEnd().endsWith(`(${AUTOMATIC} rollback)`);
}

/** Who acted according to a description written by `withActor`: a name, 'automatic', or null when not ours. */
export function actorOf(description: string): string | null {
  const m = /\((?:by ([A-Za-z0-9._@[\]-]{1,39})|(automatic)(?: rollback)?)\)$/.exec(description.trimEnd());
  if (!m) return null;
  return m[1] ?? AUTOMATIC;
}
