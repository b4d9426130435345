import { Keys } from '../naming.ts';

/**
 * The release state lives on the Deployments themselves (we keep no database): one JSON annotation with
 * the current release, one with a bounded history for rollback, and plain annotations for people
 * reading `kubectl describe` (sha, event time, time deployed).
 */
export type ReleaseState =
  /** Image applied, rollout under way. */
  | 'rolling'
  /** Rolled out; staying healthy for the bake time (or a gray step's pause). */
  | 'baking'
  /** Baked; waiting for `switchyard release promote`. */
  | 'waiting'
  /** Handed on to the next track (or, for a gray canary, to stable). */
  | 'promoted'
  /** Finished everywhere it was meant to go. */
  | 'released'
  /** Failed and left as it is (autoRollback off). */
  | 'failed'
  /** Failed and put back on its previous images. */
  | 'rolled-back';

export const TERMINAL_STATES: readonly ReleaseState[] = ['promoted', 'released', 'failed', 'rolled-back'];

export interface ReleaseRecord {
  /** Commit released ('' when unknown: images that were there before switchyard). */
  sha: string;
  /** The release image (`<repo>:<sha>` or what CI named). */
  image: string;
  /** Container -> image this release applied. */
  images: Record<string, string>;
  /** Container -> image before this release (what a rollback restores). */
  previousImages: Record<string, string>;
  /** When it was applied here (ISO 8601). */
  at: string;
  /** Source time of the newest CI event seen for this Deployment: older events change nothing. */
  eventTime: string;
  state: ReleaseState;
  /** When `state` was entered. */
  since: string;
  /** Pod restarts when baking began: a higher count later means restarts are climbing. */
  restartsBaseline?: number;
  /** Manual gate passed (`switchyard release promote`). */
  gate?: boolean;
  /** Gray: index of the current step and the replicas split between canary and stable. */
  step?: number;
  total?: number;
  githubDeploymentId?: number;
  /** Set on a release that is itself a rollback: the sha it replaced. Never rolled back automatically. */
  rollbackOf?: string;
  reason?: string;
  /** Audit: who started this release when a person did (`switchyard rollback`); absent means automatic. */
  by?: string;
  /** Audit: who passed the manual gate (`switchyard release promote`). */
  gateBy?: string;
}

export interface HistoryEntry {
  sha: string;
  image: string;
  images: Record<string, string>;
  at: string;
  /** This release was rolled back: never picked as a rollback target unless named. */
  rolledBack?: boolean;
  /** Audit: who started it when a person did; absent means automatic. */
  by?: string;
}

export interface ReleaseAnnotations {
  record: ReleaseRecord | null;
  history: HistoryEntry[];
}

export function readRelease(annotations: Readonly<Record<string, string>>): ReleaseAnnotations {
  return {
    record: parseRecord(annotations[Keys.release]),
    history: parseHistory(annotations[Keys.releaseHistory]),
  };
}

/** Every annotation we own on a released Deployment; server-side apply drops owned keys left out. */
export function releaseAnnotations(record: ReleaseRecord, history: readonly HistoryEntry[]): Record<string, string> {
  return {
    [Keys.release]: JSON.stringify(record),
    [Keys.releaseHistory]: JSON.stringify(history),
    [Keys.deployedSha]: record.sha,
    [Keys.eventTime]: record.eventTime,
    [Keys.lastDeployed]: record.at,
  };
}

/** Newest first, one entry per sha, at most `limit` entries. */
export function pushHistory(history: readonly HistoryEntry[], entry: HistoryEntry, limit: number): HistoryEntry[] {
  return [entry, ...history.filter((h) => h.sha !== entry.sha || entry.sha === '')].slice(0, Math.max(1, limit));
}

export function markRolledBack(history: readonly HistoryEntry[], sha: string): HistoryEntry[] {
  return history.map((h) => (h.sha === sha && sha !== '' ? { ...h, rolledBack: true } : h));
}

function parseRecord(text: string | undefined): ReleaseRecord | null {
  if (!text) return null;
  try {
    const value = JSON.parse(text) as Partial<ReleaseRecord>;
    if (typeof value !== 'object' || value === null) return null;
    if (typeof value.sha !== 'string' || typeof value.state !== 'string' || typeof value.eventTime !== 'string') {
      return null;
    }
    return {
      ...value,
      image: typeof value.image === 'string' ? value.image : '',
      images: isStringMap(value.images) ? value.images : {},
      previousImages: isStringMap(value.previousImages) ? value.previousImages : {},
      at: typeof value.at === 'string' ? value.at : value.eventTime,
      since: typeof value.since === 'string' ? value.since : value.eventTime,
    } as ReleaseRecord;
  } catch {
    // Someone edited the annotation by hand: treat the Deployment as never released rather than fail.
    return null;
  }
}

function parseHistory(text: string | undefined): HistoryEntry[] {
  if (!text) return [];
  try {
    const value = JSON.parse(text) as unknown;
    if (!Array.isArray(value)) return [];
    return value.filter(
      (h): h is HistoryEntry =>
        typeof h === 'object' && h !== null && typeof h.sha === 'string' && isStringMap(h.images),
    );
  } catch {
    return [];
  }
}

function isStringMap(value: unknown): value is Record<string, string> {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    Object.values(value).every((v) => typeof v === 'string')
  );
}
