/**
 * What switchyard needs from GitHub, in our own terms (never Octokit types). The GitHub adapter
 * implements it; fakes in unit tests implement it too.
 */

import type { CommitChecks } from '../domain/ci/ci-verdict.ts';
import type { CompareStatus } from '../domain/ci/commit-order.ts';

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

/**
 * Reads of commits and their checks that release decisions rest on (never a webhook's word). Every
 * method reads GitHub fresh: another Lambda container may have seen newer news.
 */
export interface CommitReads {
  /**
   * `compare/{base}...{head}`: how head relates to base (base may be a branch name). null when GitHub
   * does not know one of the refs in this repository (404, or 422 for an unknown ref).
   */
  compareCommits(repo: string, base: string, head: string): Promise<CompareStatus | null>;
  /** Latest check runs (all pages), latest status per context (all pages), and workflow runs when asked. */
  getCommitChecks(repo: string, sha: string, options?: { workflows?: boolean }): Promise<CommitChecks>;
  /**
   * Names of the status checks a branch requires: branch protection's required status checks and the
   * `required_status_checks` rules of rulesets that apply to the branch. Empty when none (or when the
   * token may not read branch protection: rulesets are still read).
   */
  getRequiredChecks(repo: string, branch: string): Promise<string[]>;
  /**
   * Id of the newest GitHub deployment of this SHA to this environment, or null: a retried deploy
   * reuses it rather than orphaning it.
   */
  findDeployment(repo: string, sha: string, environment: string): Promise<number | null>;
}

export interface ScmPort extends CommitReads {
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
