import type { HealthProblem, ServiceHealth } from './fleet-health.ts';

/** What is kept on the Service (annotation switchyard.dev/health) between runs. */
export interface HealthState {
  status: 'failing' | 'ok';
  since: string;
  /** Fingerprints (`code:where`) of the problems last alerted. */
  problems: string[];
}

export type AlertKind = 'failing' | 'recovered' | 'changed';

export interface HealthTransition {
  alert: AlertKind | null;
  /** The state to store, or null when nothing changed (no write). */
  next: HealthState | null;
}

/**
 * Alerts on transitions only: healthy -> failing, failing -> healthy, and a failure whose set of
 * problems changed. An unchanged failure never alerts again; counts inside a problem (2/3 ready, then
 * 1/3) are not a change. A service never seen failing does not "recover".
 */
export function healthTransition(
  previous: HealthState | null,
  problems: readonly HealthProblem[],
  now: Date,
): HealthTransition {
  const prints = [...new Set(problems.map(fingerprint))].sort();
  const at = now.toISOString();
  if (prints.length === 0) {
    if (previous?.status === 'failing') return { alert: 'recovered', next: { status: 'ok', since: at, problems: [] } };
    return { alert: null, next: null };
  }
  if (previous?.status !== 'failing')
    return { alert: 'failing', next: { status: 'failing', since: at, problems: prints } };
  if (sameSet(previous.problems, prints)) return { alert: null, next: null };
  return { alert: 'changed', next: { status: 'failing', since: previous.since, problems: prints } };
}

export function parseHealthState(text: string | undefined): HealthState | null {
  if (!text) return null;
  try {
    const v = JSON.parse(text) as Partial<HealthState>;
    if ((v.status !== 'failing' && v.status !== 'ok') || typeof v.since !== 'string' || !Array.isArray(v.problems)) {
      return null;
    }
    return { status: v.status, since: v.since, problems: v.problems.filter((p) => typeof p === 'string') };
  } catch {
    return null;
  }
}

export interface AlertMessage {
  kind: AlertKind;
  title: string;
  text: string;
}

/** A summary of what is wrong and where, for Slack or any webhook. */
export function formatAlert(kind: AlertKind, health: ServiceHealth, since: string): AlertMessage {
  const where = `${health.namespace}/${health.name}`;
  if (kind === 'recovered') {
    const title = `:white_check_mark: ${where} recovered`;
    return { kind, title, text: `${title}\n${where} is healthy again (failing since ${since}).` };
  }
  const lines = health.problems.map((p) => `• ${p.where}: ${p.detail}`);
  const title = kind === 'failing' ? `:rotating_light: ${where} is failing` : `:warning: ${where}: failure changed`;
  return { kind, title, text: [title, ...lines].join('\n') };
}

function fingerprint(p: HealthProblem): string {
  return `${p.code}:${p.where}`;
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && [...a].sort().every((x, i) => x === b[i]);
}
