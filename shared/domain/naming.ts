/**
 * Every name switchyard gives to something outside itself is built here, so that two places can never
 * disagree on how a preview namespace, a label or a DNS record is spelled.
 *
 * Kubernetes namespaces and most object names are RFC 1123 labels: lowercase alphanumerics and '-',
 * starting and ending alphanumeric, at most 63 characters. When a name would be longer, it is cut and a
 * stable hash of the full name is appended, so two long names never collide and the same input always
 * gives the same output.
 */

export const LABEL_PREFIX = 'switchyard.dev/';
export const MANAGED_BY_LABEL = 'app.kubernetes.io/managed-by';
export const MANAGED_BY_VALUE = 'switchyard';
export const FIELD_MANAGER = 'switchyard';
export const MAX_LABEL_LENGTH = 63;

/** Label and annotation keys, in one place. */
export const Keys = {
  app: `${LABEL_PREFIX}app`,
  kind: `${LABEL_PREFIX}kind`,
  pr: `${LABEL_PREFIX}pr`,
  repo: `${LABEL_PREFIX}repo`,
  headSha: `${LABEL_PREFIX}head-sha`,
  deployedSha: `${LABEL_PREFIX}deployed-sha`,
  eventTime: `${LABEL_PREFIX}event-time`,
  environment: `${LABEL_PREFIX}environment`,
  track: `${LABEL_PREFIX}track`,
  release: `${LABEL_PREFIX}release`,
  releaseHistory: `${LABEL_PREFIX}release-history`,
  host: `${LABEL_PREFIX}host`,
  reported: `${LABEL_PREFIX}reported`,
  lastDeployed: `${LABEL_PREFIX}last-deployed`,
  githubDeploymentId: `${LABEL_PREFIX}github-deployment-id`,
  health: `${LABEL_PREFIX}health`,
} as const;

/** FNV-1a 32-bit: small, dependency-free and stable across runtimes; only used to disambiguate cuts. */
export function stableHash(input: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < input.length; i++) {
    h ^= input.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(36).padStart(7, '0');
}

/** Lowercases and replaces everything outside [a-z0-9-] with '-', collapsing runs and trimming ends. */
export function slugify(input: string): string {
  return input
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/-+/g, '-')
    .replace(/^-+|-+$/g, '');
}

/** An RFC 1123 label from any text, cut to `max` with a stable hash suffix when too long. */
export function toDnsLabel(input: string, max = MAX_LABEL_LENGTH): string {
  const slug = slugify(input) || 'x';
  if (slug.length <= max && isDnsLabel(slug)) return slug;
  const hash = stableHash(input);
  const head = slug
    .slice(0, max - hash.length - 1)
    .replace(/-+$/g, '')
    .replace(/^-+/g, '');
  return head ? `${head}-${hash}` : hash;
}

export function isDnsLabel(value: string): boolean {
  return value.length <= MAX_LABEL_LENGTH && /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(value);
}

/** The preview namespace of a pull request: `pr-<n>-<app>`. */
export function previewNamespace(app: string, pr: number): string {
  return toDnsLabel(`pr-${pr}-${app}`);
}

/** The GitHub environment of a preview (`preview/pr-N`, per app when a repo has several apps). */
export function previewEnvironment(app: string, pr: number): string {
  return `preview/${app}/pr-${pr}`;
}

/** Branch names become label-safe slugs for templates (`feature/Login` -> `feature-login`). */
export function branchSlug(branch: string): string {
  return toDnsLabel(branch, 40);
}

/** The short form of a commit SHA used in names and messages. */
export function shortSha(sha: string): string {
  return sha.slice(0, 7);
}

/** Label values: at most 63 characters of [A-Za-z0-9-_.], alphanumeric at both ends. */
export function toLabelValue(input: string): string {
  const cleaned = input.replace(/[^A-Za-z0-9-_.]+/g, '-').replace(/^[^A-Za-z0-9]+|[^A-Za-z0-9]+$/g, '');
  if (cleaned.length <= MAX_LABEL_LENGTH) return cleaned;
  const hash = stableHash(input);
  return `${cleaned.slice(0, MAX_LABEL_LENGTH - hash.length - 1).replace(/[^A-Za-z0-9]+$/g, '')}-${hash}`;
}

/** Repository `owner/name` as a label value (`/` is not allowed in label values). */
export function repoLabel(repo: string): string {
  return toLabelValue(repo.replace('/', '.'));
}

/** The host name of a preview from the configured pattern (`{pr}`, `{app}`, `{branch}` placeholders). */
export function previewHost(pattern: string, vars: { app: string; pr: number; branch: string }): string {
  return pattern
    .replaceAll('{pr}', String(vars.pr))
    .replaceAll('{app}', toDnsLabel(vars.app))
    .replaceAll('{branch}', branchSlug(vars.branch))
    .toLowerCase();
}

/** The TXT record that holds a traffic shift's state, beside (never at) the shifted record's name. */
export function shiftStateRecordName(recordName: string): string {
  return `_switchyard.${recordName.replace(/\.$/, '')}.`;
}

/** The marker that identifies switchyard's one comment on a pull request. */
export function commentMarker(app: string): string {
  return `<!-- switchyard:preview:${app} -->`;
}

/** Commit status contexts we post: CI gating must never count these as CI. */
export const STATUS_CONTEXT_PREFIX = 'switchyard/';
export function statusContext(purpose: string): string {
  return `${STATUS_CONTEXT_PREFIX}${purpose}`;
}

/** Annotation keys only previews use (added by the preview work; Keys above stays as it is). */
export const PreviewKeys = {
  /** Image the claimed head commit runs, so a superseded worker can re-render the winner's objects. */
  image: `${LABEL_PREFIX}image`,
  /** Head branch of the claimed commit (template variable `branch`). */
  branch: `${LABEL_PREFIX}branch`,
  /** Outcome of the last rollout: progressing, complete or failed. */
  rollout: `${LABEL_PREFIX}rollout`,
  /** Human summary of the last rollout outcome (kubectl's wording). */
  rolloutMessage: `${LABEL_PREFIX}rollout-message`,
  /**
   * The objects of the preview (`apiVersion kind name`, JSON list): written before anything is applied
   * (previous ∪ new) and narrowed after, so pruning deletes exactly what we may have created.
   */
  objects: `${LABEL_PREFIX}objects`,
  /** Id of our PR comment, so it is edited without listing the PR's comments again. */
  commentId: `${LABEL_PREFIX}comment-id`,
  /** The last commit status we posted (`<sha> <state>`), so an identical one is not posted twice. */
  lastStatus: `${LABEL_PREFIX}last-status`,
  /** Until when the worker that made the claim may still be working on it (ISO 8601). */
  claimLease: `${LABEL_PREFIX}claim-lease`,
} as const;

/** The `kind` label value of a preview namespace. */
export const PREVIEW_KIND = 'preview';

/** The label selector of every preview namespace (optionally of one app). */
export function previewSelector(app?: string): string {
  const base = `${MANAGED_BY_LABEL}=${MANAGED_BY_VALUE},${Keys.kind}=${PREVIEW_KIND}`;
  return app === undefined ? base : `${base},${Keys.app}=${toLabelValue(app)}`;
}

/** The commit status context of previews. */
export const PREVIEW_STATUS_CONTEXT = statusContext('preview');

/** The commit status context of a release to an environment: `switchyard/release/<env>`. */
export function releaseStatusContext(environment: string): string {
  return statusContext(`release/${environment}`);
}

/** The GitHub environment of an app's release environment (`<app>/<env>`: one repo may hold several apps). */
export function releaseEnvironment(app: string, environment: string): string {
  return `${app}/${environment}`;
}

/** The commit status that binds a fork preview approval to the exact commit it was given for. */
export const FORK_APPROVAL_CONTEXT = statusContext('fork-approval');
