/**
 * The stand-in's in-memory GitHub: only what switchyard reads and writes. Tests seed it through
 * `control` (or POST /_control/* from another process) and assert on it directly.
 */

export type Permission = 'admin' | 'maintain' | 'write' | 'triage' | 'read' | 'none';

export interface PullRecord {
  repo: string;
  number: number;
  title: string;
  state: 'open' | 'closed';
  merged: boolean;
  draft: boolean;
  headSha: string;
  headRef: string;
  /** Full name of the head repository; differs from `repo` for forks, null when the fork was deleted. */
  headRepo: string | null;
  baseRef: string;
  labels: string[];
  author: string;
  createdAt: string;
  updatedAt: string;
}

export interface StatusRecord {
  id: number;
  repo: string;
  sha: string;
  state: 'pending' | 'success' | 'failure' | 'error';
  context: string;
  description: string | null;
  targetUrl: string | null;
  creator: string;
  createdAt: string;
}

export interface CheckRunRecord {
  id: number;
  repo: string;
  headSha: string;
  name: string;
  status: 'queued' | 'in_progress' | 'completed';
  conclusion: string | null;
  detailsUrl: string | null;
  appSlug: string;
}

export interface DeploymentRecord {
  id: number;
  repo: string;
  sha: string;
  ref: string;
  task: string;
  environment: string;
  description: string | null;
  transient: boolean;
  production: boolean;
  payload: unknown;
  autoMerge: boolean;
  requiredContexts: string[] | null;
  creator: string;
  createdAt: string;
}

export interface DeploymentStatusRecord {
  id: number;
  repo: string;
  deploymentId: number;
  state: string;
  description: string;
  environmentUrl: string;
  logUrl: string;
  creator: string;
  createdAt: string;
}

export interface CommentRecord {
  id: number;
  repo: string;
  issue: number;
  body: string;
  author: string;
  createdAt: string;
  updatedAt: string;
}

export interface IssueEventRecord {
  id: number;
  repo: string;
  issue: number;
  event: 'labeled' | 'unlabeled';
  label: string;
  actor: string;
  createdAt: string;
}

/** A commit GitHub knows, for `GET /repos/{o}/{r}/commits/{ref}` (seeded by tests). */
export interface CommitRecord {
  repo: string;
  sha: string;
  message: string;
  author: string;
  authoredAt: string;
  committedAt: string;
}

export interface GitHubState {
  pulls: Map<string, PullRecord>;
  /** `repo@sha` (repo lowercased) -> commit. */
  commits: Map<string, CommitRecord>;
  statuses: StatusRecord[];
  checkRuns: CheckRunRecord[];
  deployments: DeploymentRecord[];
  deploymentStatuses: DeploymentStatusRecord[];
  comments: CommentRecord[];
  issueEvents: IssueEventRecord[];
  /** `repo user` -> permission; users not listed have `none`. */
  permissions: Map<string, Permission>;
  /** repo -> GitHub App installation id. */
  installations: Map<string, number>;
  /** Installation access tokens handed out (token -> installation id). */
  installationTokens: Map<string, number>;
  nextId: number;
}

export function createState(): GitHubState {
  return {
    pulls: new Map(),
    commits: new Map(),
    statuses: [],
    checkRuns: [],
    deployments: [],
    deploymentStatuses: [],
    comments: [],
    issueEvents: [],
    permissions: new Map(),
    installations: new Map(),
    installationTokens: new Map(),
    nextId: 1000,
  };
}

export function pullKey(repo: string, pr: number): string {
  return `${repo.toLowerCase()}#${pr}`;
}

export function permissionKey(repo: string, user: string): string {
  return `${repo.toLowerCase()} ${user.toLowerCase()}`;
}

/** GitHub's combined state: failure if any latest status failed, pending if none or any pending. */
export function combinedState(latest: readonly StatusRecord[]): 'success' | 'failure' | 'pending' {
  if (latest.some((s) => s.state === 'failure' || s.state === 'error')) return 'failure';
  if (latest.length === 0 || latest.some((s) => s.state === 'pending')) return 'pending';
  return 'success';
}

/** The latest status per context for a commit, newest first (as GitHub orders them). */
export function latestStatuses(state: GitHubState, repo: string, sha: string): StatusRecord[] {
  const seen = new Set<string>();
  const out: StatusRecord[] = [];
  for (const s of [...state.statuses].reverse()) {
    if (s.repo.toLowerCase() !== repo.toLowerCase() || s.sha !== sha || seen.has(s.context)) continue;
    seen.add(s.context);
    out.push(s);
  }
  return out;
}
