/**
 * What switchyard needs from GitHub, in our own terms (never Octokit types). The GitHub adapter
 * implements it; fakes in unit tests implement it too.
 */

export type CommitState = 'pending' | 'success' | 'failure' | 'error';
export type DeploymentState = 'queued' | 'in_progress' | 'success' | 'failure' | 'error' | 'inactive';
export type CiState = 'success' | 'failure' | 'pending';
export type Permission = 'admin' | 'maintain' | 'write' | 'triage' | 'read' | 'none';

export interface CommitStatus {
  repo: string;
  sha: string;
  /** Always built by naming.statusContext(). */
  context: string;
  state: CommitState;
  /** GitHub cuts descriptions at 140 characters; the adapter truncates. */
  description: string;
  targetUrl?: string;
}

export interface PullRequestInfo {
  number: number;
  state: 'open' | 'closed';
  merged: boolean;
  draft: boolean;
  headSha: string;
  headRef: string;
  headRepo: string | null;
  baseRepo: string;
  labels: string[];
  author: string;
  updatedAt: string;
  /** The PR title (shown in the comment); never used in names or templates. */
  title?: string;
  /** Name of the base branch. */
  baseRef?: string;
}

export interface NewDeployment {
  repo: string;
  /** A SHA, never a branch: the deployment must describe exactly what runs. */
  ref: string;
  environment: string;
  description: string;
  transient: boolean;
  production: boolean;
  payload?: Record<string, unknown>;
}

export interface DeploymentStatusUpdate {
  repo: string;
  deploymentId: number;
  state: DeploymentState;
  description: string;
  environmentUrl?: string;
  logUrl?: string;
}

export interface ScmPort {
  setCommitStatus(status: CommitStatus): Promise<void>;
  getPullRequest(repo: string, pr: number): Promise<PullRequestInfo | null>;
  /** Every open PR of the repo (paginated by the adapter). */
  listOpenPullRequests(repo: string): Promise<PullRequestInfo[]>;
  /** CI verdict for a commit from statuses and check runs, ignoring the named contexts (ours). */
  getCiState(repo: string, sha: string, ignoreContextPrefixes: readonly string[]): Promise<CiState>;
  /** Creates a deployment; returns its id. Always `auto_merge: false`, `required_contexts: []`. */
  createDeployment(deployment: NewDeployment): Promise<number>;
  setDeploymentStatus(update: DeploymentStatusUpdate): Promise<void>;
  /** Creates or edits in place the one comment on the PR that contains `marker`. */
  upsertComment(repo: string, pr: number, marker: string, body: string): Promise<void>;
  /**
   * Edits comment `commentId` when given (one request, no listing); without it, or when that comment
   * is gone, does what upsertComment does. Returns the id of the comment written.
   */
  writeComment(repo: string, pr: number, marker: string, body: string, commentId: number | null): Promise<number>;
  /**
   * Posts a commit status without reading the commit's statuses first: for callers that remember what
   * they posted last (setCommitStatus asks GitHub every time).
   */
  postCommitStatus(status: CommitStatus): Promise<void>;
  /** The newest deployment of `sha` to `environment`, or null: a retried deploy reuses it rather than orphaning it. */
  findDeployment(repo: string, sha: string, environment: string): Promise<number | null>;
  getPermission(repo: string, user: string): Promise<Permission>;
  /** Login of whoever last applied the label to the PR, or null when it is not applied. */
  whoLabeled(repo: string, pr: number, label: string): Promise<string | null>;
  /** Numbers of the open PRs whose head is this commit (fork heads included: the Checks API omits them). */
  pullRequestsForCommit(repo: string, sha: string): Promise<number[]>;
  /** Link to the first failing CI status or check run of a commit (ours ignored), for failure statuses. */
  ciFailureUrl?(repo: string, sha: string, ignoreContextPrefixes: readonly string[]): Promise<string | null>;
  /** State of the latest status of one context on a commit, or null when there is none. */
  getStatusState?(repo: string, sha: string, context: string): Promise<CommitState | null>;
}
