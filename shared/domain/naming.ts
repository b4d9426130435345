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

/**
 * Whether two `owner/name` spellings name one repository: GitHub matches owner and repository names
 * case-insensitively (`Acme/Web` and `acme/web` are the same repository).
 */
export function sameRepo(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

/** Whether `repo` is one of `repos`, matched as GitHub matches names (case-insensitively). */
export function hasRepo(repos: Iterable<string>, repo: string): boolean {
  for (const r of repos) if (sameRepo(r, repo)) return true;
  return false;
}

/** Repository `owner/name` as a label value (`/` is not allowed in label values). */
export function repoLabel(repo: string): string {
  return toLabelValue(repo.replace('/', '.'));
}

/** Placeholders of `preview.host`; `{pr}` is required (previewHostIssues). */
export const PREVIEW_HOST_PLACEHOLDERS = ['pr', 'app', 'branch'] as const;
/** A DNS name is at most 253 characters in text form (RFC 1035 section 2.3.4, without the final dot). */
export const MAX_HOST_LENGTH = 253;
/** The longest a pull request number gets in a host (GitHub numbers are 32-bit integers). */
const MAX_PR_DIGITS = 10;

/**
 * The host name of a preview from the configured pattern (`{pr}`, `{app}`, `{branch}` placeholders).
 * Each dot-separated label longer than 63 characters is cut with the stable hash of its full text (as
 * namespaces are), so every branch gives a valid host and two branches never share one by cutting.
 */
export function previewHost(pattern: string, vars: { app: string; pr: number; branch: string }): string {
  return pattern
    .replaceAll('{pr}', String(vars.pr))
    .replaceAll('{app}', toDnsLabel(vars.app))
    .replaceAll('{branch}', branchSlug(vars.branch))
    .toLowerCase()
    .split('.')
    .map((label) => (label.length > MAX_LABEL_LENGTH ? toDnsLabel(label) : label))
    .join('.');
}

/**
 * What is wrong with a `preview.host` pattern, for the config error: it must name `{pr}` (so that two
 * pull requests never share a host, whatever their branches are called), use only known placeholders,
 * be a host name once filled in, and fit 253 characters for every possible app, branch and number.
 */
export function previewHostIssues(pattern: string): string[] {
  const issues: string[] = [];
  if (!pattern.includes('{pr}')) {
    issues.push(
      'must contain {pr}: without it two pull requests (or a branch named like another host, such as "www") could share or take over a DNS record',
    );
  }
  const unknown = [...pattern.matchAll(/\{([^}]*)\}/g)]
    .map((m) => m[1] ?? '')
    .filter((name) => !(PREVIEW_HOST_PLACEHOLDERS as readonly string[]).includes(name));
  if (unknown.length > 0) {
    issues.push(`unknown placeholder(s) ${unknown.map((n) => `{${n}}`).join(', ')}; known: {pr}, {app}, {branch}`);
  }
  const sample = pattern.replaceAll('{pr}', '1').replaceAll('{app}', 'a').replaceAll('{branch}', 'b').toLowerCase();
  if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)+$/.test(sample)) {
    issues.push('must be a host name once filled in: labels of a-z, 0-9 and -, separated by dots, at least two labels');
  }
  const longest = pattern
    .split('.')
    .map((label) =>
      Math.min(
        MAX_LABEL_LENGTH,
        label
          .replaceAll('{pr}', '9'.repeat(MAX_PR_DIGITS))
          .replaceAll('{app}', 'a'.repeat(MAX_LABEL_LENGTH))
          .replaceAll('{branch}', 'b'.repeat(40)).length,
      ),
    )
    .reduce((sum, n, i) => sum + n + (i > 0 ? 1 : 0), 0);
  if (longest > MAX_HOST_LENGTH) {
    issues.push(
      `can reach ${longest} characters with a long app or branch name; a host name has at most ${MAX_HOST_LENGTH}`,
    );
  }
  return issues;
}

/**
 * The ownership TXT record of a preview host: beside it (a CNAME may share its name with no other
 * record), at `_switchyard-owner.<host>`, under the same zone suffix as the host so one IAM condition
 * on the preview suffix covers both (docs/security.md).
 */
export function previewOwnerRecordName(host: string): string {
  return `_switchyard-owner.${host.replace(/\.$/, '')}.`;
}

/** Who owns a preview host: one preview of one app of one repository (`<owner>/<repo>#<pr>/<app>`). */
export function previewOwner(repo: string, app: string, pr: number): string {
  return `${repo.toLowerCase()}#${pr}/${app}`;
}

/** The TXT record that holds a traffic shift's state, beside (never at) the shifted record's name. */
export function shiftStateRecordName(recordName: string): string {
  return `_switchyard.${recordName.replace(/\.$/, '')}.`;
}

/**
 * switchyard's own namespace in each cluster (deploy/kubernetes/00-namespace.yml): it holds only
 * switchyard's state, such as the health check's alert state.
 */
export const SWITCHYARD_NAMESPACE = 'switchyard-system';

/**
 * The label a cluster admin puts on an environment namespace to let releases change its Deployments
 * (`switchyard.dev/environment-opt-in=true`). The admission policies of deploy/kubernetes refuse it
 * from switchyard itself, so switchyard can never opt a namespace in.
 */
export const ENVIRONMENT_OPT_IN_LABEL = `${LABEL_PREFIX}environment-opt-in`;

/** The Pod Security Admission label that sets a namespace's enforced level. */
export const POD_SECURITY_ENFORCE_LABEL = 'pod-security.kubernetes.io/enforce';

/** The ConfigMap (in SWITCHYARD_NAMESPACE) that keeps the health check's alert state of one Service. */
export function healthStateName(namespace: string, service: string): string {
  // Namespace and Service names are DNS labels without dots, so `<namespace>.<service>` is unique and a
  // valid ConfigMap name (a DNS subdomain of at most 127 characters).
  return `${namespace}.${service}`;
}

/** The `kind` label value of a health state ConfigMap. */
export const HEALTH_STATE_KIND = 'health-state';

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
