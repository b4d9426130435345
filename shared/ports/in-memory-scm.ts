import type { CommitChecks } from '../domain/ci/ci-verdict.ts';
import type { CompareStatus } from '../domain/ci/commit-order.ts';
import { AuthError, NotFoundError, TransientError, ValidationError } from '../errors.ts';
import { FaultQueue } from './fault-queue.ts';
import type {
  CiState,
  CommitState,
  CommitStatus,
  DeploymentState,
  DeploymentStatusUpdate,
  NewDeployment,
  Permission,
  PullRequestInfo,
  ScmPort,
} from './scm.ts';

type Method = keyof ScmPort;

/** GitHub's documented length limit for status descriptions. */
const MAX_DESCRIPTION = 140;

/** Methods that create content on GitHub (what its secondary limits count). */
const WRITES = new Set<Method>([
  'setCommitStatus',
  'postCommitStatus',
  'createDeployment',
  'setDeploymentStatus',
  'upsertComment',
  'writeComment',
]);

export interface StoredDeployment extends NewDeployment {
  id: number;
  statuses: Array<{ state: DeploymentState; description: string; environmentUrl?: string | undefined }>;
}

/**
 * The in-memory twin of ScmPort, for use-case tests. It keeps its own simple version of GitHub's
 * rules (descriptions of at most 140 characters, statuses only on deployments that exist, comment
 * edits only on comments that exist) and counts calls; faults are injected per method, e.g. a 404 on
 * a PR read as GitHub answers when the App lost access.
 */
export class InMemoryScm implements ScmPort {
  readonly pulls = new Map<string, PullRequestInfo>();
  readonly statuses: CommitStatus[] = [];
  readonly deployments: StoredDeployment[] = [];
  readonly comments: Array<{ id: number; repo: string; pr: number; body: string }> = [];
  readonly checks = new Map<string, CiState>();
  /** `repo@sha` -> its check runs and statuses, as getCommitChecks answers. */
  readonly commitChecks = new Map<string, CommitChecks>();
  /** `repo#branch` -> the branch's commits, oldest first (a linear history). */
  readonly branches = new Map<string, string[]>();
  /** `repo#branch` -> the status checks the branch requires. */
  readonly requiredChecks = new Map<string, string[]>();
  readonly calls: Method[] = [];
  private readonly faults = new FaultQueue<Method>();
  private nextId = 1000;

  /** The next `times` calls of `method` fail with `error` (default: GitHub answered 502). */
  fail(
    method: Method,
    times = 1,
    error: Error = new TransientError(`injected: GitHub answered 502 (${method})`),
  ): void {
    this.faults.add(method, times, error);
  }

  /** A PR as GitHub reports it now. */
  setPull(repo: string, pr: PullRequestInfo): void {
    this.pulls.set(`${repo.toLowerCase()}#${pr.number}`, pr);
  }

  /** The CI verdict of a commit (ours excluded). */
  setCi(repo: string, sha: string, state: CiState): void {
    this.checks.set(`${repo.toLowerCase()}@${sha}`, state);
  }

  /** Content-creating requests made so far. */
  writes(): number {
    return this.calls.filter((m) => WRITES.has(m)).length;
  }

  latestStatus(repo: string, sha: string, context: string): CommitStatus | undefined {
    return this.statuses.findLast(
      (s) => s.repo.toLowerCase() === repo.toLowerCase() && s.sha === sha && s.context === context,
    );
  }

  private enter(method: Method): void {
    this.calls.push(method);
    this.faults.take(method);
  }

  private checkDescription(text: string): void {
    if (Array.from(text).length > MAX_DESCRIPTION) {
      throw new ValidationError(`description is longer than ${MAX_DESCRIPTION} characters`);
    }
  }

  async setCommitStatus(status: CommitStatus): Promise<void> {
    this.enter('setCommitStatus');
    const latest = this.latestStatus(status.repo, status.sha, status.context);
    const same =
      latest?.state === status.state &&
      latest.description === status.description &&
      (latest.targetUrl ?? null) === (status.targetUrl ?? null);
    if (!same) this.pushStatus(status);
  }

  async postCommitStatus(status: CommitStatus): Promise<void> {
    this.enter('postCommitStatus');
    this.pushStatus(status);
  }

  private pushStatus(status: CommitStatus): void {
    this.checkDescription(status.description);
    if (!/^[0-9a-f]{40}$/.test(status.sha)) throw new ValidationError(`${status.sha} is not a commit SHA`);
    this.statuses.push({ ...status });
  }

  async getPullRequest(repo: string, pr: number): Promise<PullRequestInfo | null> {
    this.enter('getPullRequest');
    return this.pulls.get(`${repo.toLowerCase()}#${pr}`) ?? null;
  }

  async listOpenPullRequests(repo: string): Promise<PullRequestInfo[]> {
    this.enter('listOpenPullRequests');
    return [...this.pulls.entries()]
      .filter(([key, p]) => key.startsWith(`${repo.toLowerCase()}#`) && p.state === 'open')
      .map(([, p]) => p);
  }

  async compareCommits(repo: string, base: string, head: string): Promise<CompareStatus | null> {
    this.enter('compareCommits');
    const r = repo.toLowerCase();
    const resolve = (ref: string) => this.branches.get(`${r}#${ref}`)?.at(-1) ?? ref;
    const [from, to] = [resolve(base), resolve(head)];
    if (from === to) return [...this.branches.values()].some((h) => h.includes(to)) ? 'identical' : null;
    let known = false;
    for (const [key, history] of this.branches) {
      if (!key.startsWith(`${r}#`)) continue;
      const [i, j] = [history.indexOf(from), history.indexOf(to)];
      if (i >= 0 && j >= 0) return j > i ? 'ahead' : 'behind';
      if (i >= 0 || j >= 0) known = true;
    }
    // Both commits exist but no one history holds them both: they diverged.
    const exists = (sha: string) =>
      [...this.branches].some(([key, history]) => key.startsWith(`${r}#`) && history.includes(sha));
    return known && exists(from) && exists(to) ? 'diverged' : null;
  }

  async getCommitChecks(repo: string, sha: string): Promise<CommitChecks> {
    this.enter('getCommitChecks');
    const key = `${repo.toLowerCase()}@${sha}`;
    const given = this.commitChecks.get(key);
    if (given) return given;
    // A state set with setCi reads as one check run in that state, as GitHub would show a CI job.
    const state = this.checks.get(key);
    if (!state) return { checkRuns: [], statuses: [] };
    const done = state !== 'pending';
    return {
      checkRuns: [
        { name: 'ci', status: done ? 'completed' : 'in_progress', conclusion: done ? state : null, url: null },
      ],
      statuses: [],
    };
  }

  async getRequiredChecks(repo: string, branch: string): Promise<string[]> {
    this.enter('getRequiredChecks');
    return this.requiredChecks.get(`${repo.toLowerCase()}#${branch}`) ?? [];
  }

  async getCiState(repo: string, sha: string): Promise<CiState> {
    this.enter('getCiState');
    return this.checks.get(`${repo.toLowerCase()}@${sha}`) ?? 'pending';
  }

  async createDeployment(deployment: NewDeployment): Promise<number> {
    this.enter('createDeployment');
    this.checkDescription(deployment.description);
    if (!/^[0-9a-f]{40}$/.test(deployment.ref)) throw new ValidationError(`${deployment.ref} is not a commit SHA`);
    const id = ++this.nextId;
    this.deployments.push({ ...deployment, id, statuses: [] });
    return id;
  }

  async setDeploymentStatus(update: DeploymentStatusUpdate): Promise<void> {
    this.enter('setDeploymentStatus');
    this.checkDescription(update.description);
    const d = this.deployments.find((x) => x.id === update.deploymentId && x.repo === update.repo);
    if (!d) throw new NotFoundError(`no deployment ${update.deploymentId} on ${update.repo}`);
    d.statuses.push({ state: update.state, description: update.description, environmentUrl: update.environmentUrl });
  }

  async findDeployment(repo: string, sha: string, environment: string): Promise<number | null> {
    this.enter('findDeployment');
    return (
      this.deployments.findLast((d) => d.repo === repo && d.ref === sha && d.environment === environment)?.id ?? null
    );
  }

  async upsertComment(repo: string, pr: number, marker: string, body: string): Promise<void> {
    this.enter('upsertComment');
    this.upsert(repo, pr, marker, body);
  }

  async writeComment(repo: string, pr: number, marker: string, body: string, commentId: number | null) {
    this.enter('writeComment');
    const known = commentId === null ? undefined : this.comments.find((c) => c.id === commentId);
    if (known) {
      known.body = body;
      return known.id;
    }
    return this.upsert(repo, pr, marker, body);
  }

  private upsert(repo: string, pr: number, marker: string, body: string): number {
    const found = this.comments.find((c) => c.repo === repo && c.pr === pr && c.body.startsWith(marker));
    if (found) {
      found.body = body;
      return found.id;
    }
    const id = ++this.nextId;
    this.comments.push({ id, repo, pr, body });
    return id;
  }

  commentOf(repo: string, pr: number): string | undefined {
    return this.comments.find((c) => c.repo === repo && c.pr === pr)?.body;
  }

  async getPermission(): Promise<Permission> {
    this.enter('getPermission');
    return 'none';
  }

  async whoLabeled(): Promise<string | null> {
    this.enter('whoLabeled');
    return null;
  }

  async pullRequestsForCommit(repo: string, sha: string): Promise<number[]> {
    this.enter('pullRequestsForCommit');
    return (await this.listOpenPullRequests(repo)).filter((p) => p.headSha === sha).map((p) => p.number);
  }

  async getStatusState(repo: string, sha: string, context: string): Promise<CommitState | null> {
    this.enter('getStatusState');
    return this.latestStatus(repo, sha, context)?.state ?? null;
  }
}

/** GitHub's answer when the token or App lost access to the repository (it hides what it will not show). */
export const lostAccess = (what: string) => new NotFoundError(`GitHub has no such resource (${what})`);
/** GitHub's answer when our credentials are refused. */
export const refused = (what: string) => new AuthError(`GitHub refused our credentials to ${what}`);
