import { ciVerdict } from '../../domain/ci/ci-verdict.ts';
import { TransientError } from '../../errors.ts';
import type {
  CommitState,
  CommitStatus,
  DeploymentStatusUpdate,
  NewDeployment,
  Permission,
  PullRequestInfo,
  ScmPort,
} from '../../ports/scm.ts';
import {
  createOctokitFactory,
  type OctokitFactory,
  type OctokitOptions,
  type SwitchyardOctokit,
} from './create-octokit.ts';
import { createGitHubCommitReads } from './github-commits.ts';
import { isNotFound, mapGitHubError } from './map-github-error.ts';

/** GitHub cuts commit and deployment status descriptions at 140 characters (422 above). */
export const MAX_DESCRIPTION = 140;

export function truncateDescription(text: string): string {
  const chars = Array.from(text);
  return chars.length <= MAX_DESCRIPTION ? text : `${chars.slice(0, MAX_DESCRIPTION - 1).join('')}…`;
}

export interface GitHubScmOptions extends OctokitOptions {
  /** Our login, to tell our comment from a quote of it; looked up from GitHub when omitted. */
  botLogin?: string;
}

const FAILED_CONCLUSIONS = new Set([
  'failure',
  'timed_out',
  'cancelled',
  'action_required',
  'startup_failure',
  'stale',
]);

function split(repo: string): { owner: string; repo: string } {
  const [owner = '', name = ''] = repo.split('/');
  return { owner, repo: name };
}

type RestPull = Awaited<ReturnType<SwitchyardOctokit['pulls']['get']>>['data'];
type ListedPull = Awaited<ReturnType<SwitchyardOctokit['pulls']['list']>>['data'][number];

function toPullRequestInfo(pr: RestPull | ListedPull): PullRequestInfo {
  return {
    number: pr.number,
    state: pr.state === 'closed' ? 'closed' : 'open',
    merged: 'merged' in pr ? Boolean(pr.merged) : pr.merged_at !== null,
    draft: Boolean(pr.draft),
    headSha: pr.head.sha,
    headRef: pr.head.ref,
    headRepo: pr.head.repo?.full_name ?? null,
    baseRepo: pr.base.repo.full_name,
    labels: pr.labels.map((l) => l.name ?? '').filter((l) => l !== ''),
    author: pr.user?.login ?? 'ghost',
    updatedAt: pr.updated_at,
    title: pr.title,
    baseRef: pr.base.ref,
  };
}

/** ScmPort over the GitHub REST API (Octokit with retry and throttling). */
export function createGitHubScm(
  options: GitHubScmOptions,
  factory: OctokitFactory = createOctokitFactory(options),
): ScmPort {
  const reads = createGitHubCommitReads(factory);
  async function call<T>(repo: string, what: string, fn: (o: SwitchyardOctokit) => Promise<T>): Promise<T> {
    try {
      return await fn(await factory.forRepo(repo));
    } catch (error) {
      throw mapGitHubError(error, `${what} on ${repo}`);
    }
  }

  async function ourLogin(): Promise<string | null> {
    return options.botLogin ?? (await factory.botLogin());
  }

  const withMarker = (marker: string, body: string) => (body.includes(marker) ? body : `${marker}\n${body}`);

  async function upsertByMarker(
    o: SwitchyardOctokit,
    repo: string,
    pr: number,
    marker: string,
    body: string,
  ): Promise<number> {
    const text = withMarker(marker, body);
    const login = await ourLogin();
    const comments = await o.paginate(o.issues.listComments, { ...split(repo), issue_number: pr, per_page: 100 });
    // Only our own comment that starts with the marker: a human quoting it must never be edited.
    const mine = comments.find(
      (c) => (c.body ?? '').trimStart().startsWith(marker) && (login === null || c.user?.login === login),
    );
    if (!mine) return (await o.issues.createComment({ ...split(repo), issue_number: pr, body: text })).data.id;
    if (mine.body !== text) await o.issues.updateComment({ ...split(repo), comment_id: mine.id, body: text });
    return mine.id;
  }

  return {
    ...reads,
    async setCommitStatus(status: CommitStatus) {
      const description = truncateDescription(status.description);
      // Always asked of GitHub, never remembered: another Lambda container may have posted since.
      await call(status.repo, 'set a commit status', async (o) => {
        // Skip identical consecutive statuses (Flux does the same): each sha+context allows 1000 statuses.
        const { data } = await o.repos.listCommitStatusesForRef({
          ...split(status.repo),
          ref: status.sha,
          per_page: 100,
        });
        const latest = data.find((s) => s.context === status.context);
        const same =
          latest !== undefined &&
          latest.state === status.state &&
          (latest.description ?? '') === description &&
          (latest.target_url ?? null) === (status.targetUrl ?? null);
        if (!same) {
          await o.repos.createCommitStatus({
            ...split(status.repo),
            sha: status.sha,
            state: status.state,
            context: status.context,
            description,
            ...(status.targetUrl !== undefined ? { target_url: status.targetUrl } : {}),
          });
        }
      });
    },

    async getPullRequest(repo, pr) {
      try {
        const o = await factory.forRepo(repo);
        const { data } = await o.pulls.get({ ...split(repo), pull_number: pr });
        return toPullRequestInfo(data);
      } catch (error) {
        if (isNotFound(error)) return null;
        throw mapGitHubError(error, `read PR #${pr} on ${repo}`);
      }
    },

    listOpenPullRequests: (repo) =>
      call(repo, 'list open PRs', async (o) => {
        const pulls = await o.paginate(o.pulls.list, { ...split(repo), state: 'open', per_page: 100 });
        return pulls.map(toPullRequestInfo);
      }),

    // The one verdict rule set (shared/domain/ci), with every check of the commit required.
    getCiState: async (repo, sha, ignore) =>
      ciVerdict(await reads.getCommitChecks(repo, sha), { source: 'all' }, ignore).state,

    createDeployment: (d: NewDeployment) =>
      call(d.repo, `create a deployment of ${d.ref}`, async (o) => {
        const res = await o.repos.createDeployment({
          ...split(d.repo),
          ref: d.ref,
          environment: d.environment,
          description: truncateDescription(d.description),
          transient_environment: d.transient,
          production_environment: d.production,
          // We gate on CI ourselves; GitHub's default would merge the base branch in and re-check contexts.
          auto_merge: false,
          required_contexts: [],
          ...(d.payload !== undefined ? { payload: d.payload as { [key: string]: unknown } } : {}),
        });
        if (res.status === 202 || !('id' in res.data)) {
          throw new TransientError(`GitHub is merging into ${d.ref}; deployment not created yet`);
        }
        return res.data.id;
      }),

    setDeploymentStatus: (u: DeploymentStatusUpdate) =>
      call(u.repo, `set deployment ${u.deploymentId} ${u.state}`, async (o) => {
        await o.repos.createDeploymentStatus({
          ...split(u.repo),
          deployment_id: u.deploymentId,
          state: u.state,
          description: truncateDescription(u.description),
          ...(u.environmentUrl !== undefined ? { environment_url: u.environmentUrl } : {}),
          ...(u.logUrl !== undefined ? { log_url: u.logUrl } : {}),
        });
      }),

    upsertComment: async (repo, pr, marker, body) => {
      await call(repo, `update the comment on PR #${pr}`, (o) => upsertByMarker(o, repo, pr, marker, body));
    },

    writeComment: (repo, pr, marker, body, commentId) =>
      call(repo, `write the comment on PR #${pr}`, async (o) => {
        if (commentId === null) return upsertByMarker(o, repo, pr, marker, body);
        try {
          await o.issues.updateComment({ ...split(repo), comment_id: commentId, body: withMarker(marker, body) });
          return commentId;
        } catch (error) {
          // Someone deleted our comment: find or write it again.
          if (isNotFound(error)) return upsertByMarker(o, repo, pr, marker, body);
          throw error;
        }
      }),

    postCommitStatus: async (status) => {
      await call(status.repo, 'post a commit status', (o) =>
        o.repos.createCommitStatus({
          ...split(status.repo),
          sha: status.sha,
          state: status.state,
          context: status.context,
          description: truncateDescription(status.description),
          ...(status.targetUrl !== undefined ? { target_url: status.targetUrl } : {}),
        }),
      );
    },

    findDeployment: (repo, sha, environment) =>
      call(repo, `find the deployment of ${sha} to ${environment}`, async (o) => {
        // GitHub lists deployments newest first; one page is enough for one commit and environment.
        const { data } = await o.repos.listDeployments({ ...split(repo), sha, environment, per_page: 1 });
        return data[0]?.id ?? null;
      }),

    async getPermission(repo, user) {
      try {
        const o = await factory.forRepo(repo);
        const { data } = await o.repos.getCollaboratorPermissionLevel({ ...split(repo), username: user });
        const role = (data as { role_name?: string }).role_name;
        const known: Permission[] = ['admin', 'maintain', 'write', 'triage', 'read', 'none'];
        if (role && (known as string[]).includes(role)) return role as Permission;
        return (known as string[]).includes(data.permission) ? (data.permission as Permission) : 'none';
      } catch (error) {
        if (isNotFound(error)) return 'none';
        throw mapGitHubError(error, `read ${user}'s permission on ${repo}`);
      }
    },

    whoLabeled: (repo, pr, label) =>
      call(repo, `read label events of PR #${pr}`, async (o) => {
        const events = await o.paginate(o.issues.listEvents, { ...split(repo), issue_number: pr, per_page: 100 });
        let who: string | null = null;
        for (const e of events) {
          const name = (e as { label?: { name?: string } }).label?.name;
          if (name !== label) continue;
          if (e.event === 'labeled') who = e.actor?.login ?? null;
          if (e.event === 'unlabeled') who = null;
        }
        return who;
      }),

    ciFailureUrl: (repo, sha, ignore) =>
      call(repo, `find the failing CI of ${sha}`, async (o) => {
        const ours = (name: string) => ignore.some((prefix) => name.startsWith(prefix));
        const { data } = await o.repos.getCombinedStatusForRef({ ...split(repo), ref: sha, per_page: 100 });
        const status = data.statuses.find(
          (s) => !ours(s.context) && (s.state === 'failure' || s.state === 'error') && s.target_url,
        );
        if (status?.target_url) return status.target_url;
        const runs = await o.paginate(o.checks.listForRef, {
          ...split(repo),
          ref: sha,
          per_page: 100,
          filter: 'latest',
        });
        const run = runs.find((r) => !ours(r.name) && FAILED_CONCLUSIONS.has(r.conclusion ?? ''));
        return run ? (run.details_url ?? run.html_url ?? null) : null;
      }),

    getStatusState: (repo, sha, context) =>
      call(repo, `read status ${context} of ${sha}`, async (o) => {
        const { data } = await o.repos.getCombinedStatusForRef({ ...split(repo), ref: sha, per_page: 100 });
        const found = data.statuses.find((s) => s.context === context);
        return found ? (found.state as CommitState) : null;
      }),

    pullRequestsForCommit: (repo, sha) =>
      call(repo, `find PRs of ${sha}`, async (o) => {
        const pulls = await o.paginate(o.repos.listPullRequestsAssociatedWithCommit, {
          ...split(repo),
          commit_sha: sha,
          per_page: 100,
        });
        return pulls.filter((p) => p.state === 'open' && p.head.sha === sha).map((p) => p.number);
      }),
  };
}
