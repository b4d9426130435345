import {
  Keys,
  MANAGED_BY_LABEL,
  MANAGED_BY_VALUE,
  POD_SECURITY_ENFORCE_LABEL,
  PREVIEW_KIND,
  PreviewKeys,
  repoLabel,
  toLabelValue,
} from '../naming.ts';

/**
 * A preview's state as it lives on its namespace (we keep no database): labels say what it is,
 * annotations say which commit was asked for, which one runs, and what was reported.
 */
export interface PreviewRecord {
  app: string;
  pr: number;
  repo: string;
  namespace: string;
  /** The commit most recently claimed for deployment (set before applying). */
  headSha: string | null;
  /** The commit whose objects were applied completely. */
  deployedSha: string | null;
  /** Source time of the event that made the last claim: orders out-of-order deliveries. */
  eventTime: string | null;
  lastDeployed: string | null;
  /** The deployed commit whose rollout outcome was reported to GitHub. */
  reportedSha: string | null;
  rollout: 'progressing' | 'complete' | 'failed' | null;
  rolloutMessage: string | null;
  deploymentId: number | null;
  host: string | null;
  image: string | null;
  branch: string | null;
  createdAt: string | null;
  resourceVersion: string;
  deleting: boolean;
  /** Objects that may exist in the namespace (`apiVersion kind name`); null on previews older than the key. */
  objects: string[] | null;
  /** Id of our PR comment, once known. */
  commentId: number | null;
  /** The last commit status we posted, `<sha> <state>`. */
  lastStatus: string | null;
  /** Until when the claiming worker may still be at work (ISO 8601); null when not recorded. */
  claimLease: string | null;
}

export interface NamespaceMetadata {
  name: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  resourceVersion: string;
  createdAt: string | null;
  deleting: boolean;
}

/** Pod Security Standards level a preview namespace enforces (Pod Security Admission). */
export type PodSecurityLevel = 'restricted' | 'baseline';

/**
 * The labels that make a namespace a preview (and select its objects for pruning), with the Pod
 * Security level it enforces: the admission policies of deploy/kubernetes let switchyard create a
 * namespace only with these labels, and never change the level afterwards.
 */
export function previewLabels(
  app: string,
  pr: number,
  repo: string,
  podSecurity: PodSecurityLevel = 'restricted',
): Record<string, string> {
  return {
    [MANAGED_BY_LABEL]: MANAGED_BY_VALUE,
    [POD_SECURITY_ENFORCE_LABEL]: podSecurity,
    [Keys.kind]: PREVIEW_KIND,
    [Keys.app]: toLabelValue(app),
    [Keys.pr]: String(pr),
    [Keys.repo]: repoLabel(repo),
  };
}

/** Reads a preview from its namespace; null when the namespace is not a preview of ours. */
export function previewFromNamespace(ns: NamespaceMetadata): PreviewRecord | null {
  const l = ns.labels;
  const a = ns.annotations;
  if (l[MANAGED_BY_LABEL] !== MANAGED_BY_VALUE || l[Keys.kind] !== PREVIEW_KIND) return null;
  const pr = Number(l[Keys.pr]);
  const app = a[Keys.app] ?? l[Keys.app];
  if (!Number.isInteger(pr) || pr <= 0 || !app) return null;
  const deploymentId = positiveInt(a[Keys.githubDeploymentId]);
  const rollout = a[PreviewKeys.rollout];
  return {
    app,
    pr,
    repo: a[Keys.repo] ?? '',
    namespace: ns.name,
    headSha: a[Keys.headSha] ?? null,
    deployedSha: a[Keys.deployedSha] ?? null,
    eventTime: a[Keys.eventTime] ?? null,
    lastDeployed: a[Keys.lastDeployed] ?? null,
    reportedSha: a[Keys.reported] ?? null,
    rollout: rollout === 'progressing' || rollout === 'complete' || rollout === 'failed' ? rollout : null,
    rolloutMessage: a[PreviewKeys.rolloutMessage] ?? null,
    deploymentId,
    host: a[Keys.host] ?? null,
    image: a[PreviewKeys.image] ?? null,
    branch: a[PreviewKeys.branch] ?? null,
    createdAt: ns.createdAt,
    resourceVersion: ns.resourceVersion,
    deleting: ns.deleting,
    objects: parseObjects(a[PreviewKeys.objects]),
    commentId: positiveInt(a[PreviewKeys.commentId]),
    lastStatus: a[PreviewKeys.lastStatus] ?? null,
    claimLease: a[PreviewKeys.claimLease] ?? null,
  };
}

function positiveInt(text: string | undefined): number | null {
  const n = Number(text);
  return Number.isInteger(n) && n > 0 ? n : null;
}

function parseObjects(text: string | undefined): string[] | null {
  if (text === undefined) return null;
  try {
    const list: unknown = JSON.parse(text);
    return Array.isArray(list) ? list.filter((x): x is string => typeof x === 'string') : null;
  } catch {
    // Unreadable: treated as unknown, so pruning falls back to listing every kind it may have created.
    return null;
  }
}

/** The key an object is recorded under in the `objects` annotation. */
export function objectRecordKey(o: { apiVersion: string; kind: string; metadata: { name: string } }): string {
  return `${o.apiVersion} ${o.kind} ${o.metadata.name}`;
}

export function parseObjectRecordKey(key: string): { apiVersion: string; kind: string; name: string } | null {
  const [apiVersion, kind, name, ...rest] = key.split(' ');
  return apiVersion && kind && name && rest.length === 0 ? { apiVersion, kind, name } : null;
}

export interface Claim {
  sha: string;
  eventTime: string;
  image: string;
  branch: string;
  host: string;
}

/**
 * Annotations written when a commit is claimed for deployment (before anything is applied). `objects`
 * is every object the namespace may hold once the apply ran (what was there before plus what is
 * applied now); `lease` is when the claiming worker's run ends, after which the schedule takes over.
 */
export function claimAnnotations(
  app: string,
  repo: string,
  claim: Claim,
  extra: { objects?: readonly string[]; lease?: Date } = {},
): Record<string, string> {
  return {
    ...(extra.objects ? { [PreviewKeys.objects]: JSON.stringify([...new Set(extra.objects)].sort()) } : {}),
    ...(extra.lease ? { [PreviewKeys.claimLease]: extra.lease.toISOString() } : {}),
    [Keys.app]: app,
    [Keys.repo]: repo,
    [Keys.headSha]: claim.sha,
    [Keys.eventTime]: claim.eventTime,
    [Keys.host]: claim.host,
    [PreviewKeys.image]: claim.image,
    [PreviewKeys.branch]: claim.branch,
  };
}

/** Annotations written once the claimed commit's objects are all applied. */
export function deployedAnnotations(sha: string, now: Date, objects: readonly string[]): Record<string, string | null> {
  return {
    ...objectsAnnotation(objects),
    [Keys.deployedSha]: sha,
    [Keys.lastDeployed]: now.toISOString(),
    [PreviewKeys.claimLease]: null,
    [Keys.reported]: null,
    [PreviewKeys.rollout]: 'progressing',
    [PreviewKeys.rolloutMessage]: null,
  };
}

/** The objects now applied: pruning next time starts from exactly these. */
export function objectsAnnotation(objects: readonly string[]): Record<string, string> {
  return { [PreviewKeys.objects]: JSON.stringify([...new Set(objects)].sort()) };
}

/** What GitHub was told about a rollout, written once all of it was told. */
export interface Report {
  sha: string;
  outcome: 'complete' | 'failed';
  message: string;
  deploymentId: number | null;
  commentId: number | null;
  status: string;
}

/** Annotations written when a rollout outcome was reported to GitHub. */
export function reportedAnnotations(report: Report): Record<string, string | null> {
  return {
    [Keys.reported]: report.sha,
    [PreviewKeys.rollout]: report.outcome,
    [PreviewKeys.rolloutMessage]: report.message.slice(0, 500),
    [Keys.githubDeploymentId]: report.deploymentId === null ? null : String(report.deploymentId),
    [PreviewKeys.commentId]: report.commentId === null ? null : String(report.commentId),
    [PreviewKeys.lastStatus]: report.status,
  };
}

/** `<sha> <state>`: the form `lastStatus` is kept in. */
export function statusKey(sha: string, state: string): string {
  return `${sha} ${state}`;
}

/**
 * Whether the worker that claimed the preview may still be applying it: the schedule leaves such a
 * claim alone and repairs it once the lease ran out (the worker died or gave up). A claim without a
 * lease (written by an older version) is judged by its event time plus `fallbackMs`.
 */
export function claimInFlight(record: PreviewRecord, now: Date, fallbackMs: number): boolean {
  if (record.headSha === null || record.headSha === record.deployedSha) return false;
  const lease = Date.parse(record.claimLease ?? '');
  if (!Number.isNaN(lease)) return now.getTime() < lease;
  const claimed = Date.parse(record.eventTime ?? '');
  return !Number.isNaN(claimed) && now.getTime() < claimed + fallbackMs;
}

/**
 * Whether an event for `sha` at `eventTime` is older than what the preview already claimed. Same sha is
 * never "older" (a redelivery or a retry after a failed apply); ISO-8601 UTC strings compare as text.
 */
export function isStaleClaim(record: PreviewRecord | null, sha: string, eventTime: string): boolean {
  if (!record || record.headSha === null || record.headSha === sha || record.eventTime === null) return false;
  return eventTime < record.eventTime;
}
