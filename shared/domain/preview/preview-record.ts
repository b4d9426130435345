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
  const deploymentId = Number(a[Keys.githubDeploymentId]);
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
    deploymentId: Number.isInteger(deploymentId) && deploymentId > 0 ? deploymentId : null,
    host: a[Keys.host] ?? null,
    image: a[PreviewKeys.image] ?? null,
    branch: a[PreviewKeys.branch] ?? null,
    createdAt: ns.createdAt,
    resourceVersion: ns.resourceVersion,
    deleting: ns.deleting,
  };
}

export interface Claim {
  sha: string;
  eventTime: string;
  image: string;
  branch: string;
  host: string;
}

/** Annotations written when a commit is claimed for deployment (before anything is applied). */
export function claimAnnotations(app: string, repo: string, claim: Claim): Record<string, string> {
  return {
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
export function deployedAnnotations(
  sha: string,
  now: Date,
  deploymentId: number | null,
): Record<string, string | null> {
  return {
    [Keys.deployedSha]: sha,
    [Keys.lastDeployed]: now.toISOString(),
    [Keys.githubDeploymentId]: deploymentId === null ? null : String(deploymentId),
    [Keys.reported]: null,
    [PreviewKeys.rollout]: 'progressing',
    [PreviewKeys.rolloutMessage]: null,
  };
}

/** Annotations written when a rollout outcome was reported to GitHub. */
export function reportedAnnotations(
  sha: string,
  outcome: 'complete' | 'failed',
  message: string,
): Record<string, string | null> {
  return {
    [Keys.reported]: sha,
    [PreviewKeys.rollout]: outcome,
    [PreviewKeys.rolloutMessage]: message.slice(0, 500),
  };
}

/**
 * Whether an event for `sha` at `eventTime` is older than what the preview already claimed. Same sha is
 * never "older" (a redelivery or a retry after a failed apply); ISO-8601 UTC strings compare as text.
 */
export function isStaleClaim(record: PreviewRecord | null, sha: string, eventTime: string): boolean {
  if (!record || record.headSha === null || record.headSha === sha || record.eventTime === null) return false;
  return eventTime < record.eventTime;
}
