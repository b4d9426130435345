import { userShape } from './shapes.ts';
import type { CommitRecord, DeploymentRecord, DeploymentStatusRecord, GitHubState } from './state.ts';

/**
 * The delivery record part of the GitHub stand-in: commits (`GET /repos/{o}/{r}/commits/{ref}`, 422
 * "No commit found for SHA" for one GitHub does not know, as GitHub answers) and seeding deployments
 * with statuses at past times, which the public API cannot do. Deployment listings themselves are the
 * server's, with GitHub's pagination (Link headers, per_page at most 100, newest first).
 * https://docs.github.com/en/rest/commits/commits#get-a-commit
 */

export interface SeedCommit {
  repo: string;
  sha: string;
  committedAt: string;
  authoredAt?: string;
  message?: string;
  author?: string;
}

export interface SeedDeployment {
  repo: string;
  sha: string;
  environment: string;
  createdAt: string;
  production?: boolean;
  payload?: Record<string, unknown>;
  description?: string;
  creator?: string;
  /** In the order they happened. */
  statuses?: Array<{ state: string; at: string; description?: string }>;
}

export interface DeliveryControl {
  seedCommit(seed: SeedCommit): CommitRecord;
  /** Adds a deployment and its statuses as if made at the given times; returns its id. */
  seedDeployment(seed: SeedDeployment): number;
}

interface Routed {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

type Route = [string, RegExp, (p: { repo: string; a: string }) => Routed];

const R = '/repos/([^/]+/[^/]+)';
const DEPLOYMENT_STATES = ['error', 'failure', 'inactive', 'in_progress', 'queued', 'pending', 'success'];

export function commitKey(repo: string, sha: string): string {
  return `${repo.toLowerCase()}@${sha}`;
}

export function deliveryControl(state: GitHubState, bot: string): DeliveryControl {
  return {
    seedCommit(seed) {
      const record: CommitRecord = {
        repo: seed.repo,
        sha: seed.sha,
        message: seed.message ?? `Commit ${seed.sha.slice(0, 7)}`,
        author: seed.author ?? 'octocat',
        authoredAt: seed.authoredAt ?? seed.committedAt,
        committedAt: seed.committedAt,
      };
      state.commits.set(commitKey(seed.repo, seed.sha), record);
      return record;
    },
    seedDeployment(seed) {
      if (!/^[0-9a-f]{40}$/.test(seed.sha)) throw new Error(`seedDeployment: ${seed.sha} is not a full SHA`);
      const d: DeploymentRecord = {
        id: state.nextId++,
        repo: seed.repo,
        sha: seed.sha,
        ref: seed.sha,
        task: 'deploy',
        environment: seed.environment,
        description: seed.description ?? null,
        transient: false,
        production: seed.production ?? false,
        payload: seed.payload ?? {},
        autoMerge: false,
        requiredContexts: [],
        creator: seed.creator ?? bot,
        createdAt: seed.createdAt,
      };
      state.deployments.push(d);
      for (const s of seed.statuses ?? []) {
        if (!DEPLOYMENT_STATES.includes(s.state)) throw new Error(`seedDeployment: unknown state ${s.state}`);
        const status: DeploymentStatusRecord = {
          id: state.nextId++,
          repo: seed.repo,
          deploymentId: d.id,
          state: s.state,
          description: s.description ?? '',
          environmentUrl: '',
          logUrl: '',
          creator: seed.creator ?? bot,
          createdAt: s.at,
        };
        state.deploymentStatuses.push(status);
      }
      return d.id;
    },
  };
}

/** Routes the server tries before its own. */
export function deliveryRoutes(state: GitHubState, api: () => string): Route[] {
  return [
    [
      'GET',
      new RegExp(`^${R}/commits/([^/]+)$`),
      ({ repo, a }) => {
        const ref = decodeURIComponent(a);
        const commit = findCommit(state, repo, ref);
        if (!commit) {
          return {
            status: 422,
            body: {
              message: `No commit found for SHA: ${ref}`,
              documentation_url: 'https://docs.github.com/rest/commits/commits#get-a-commit',
              status: '422',
            },
          };
        }
        return { status: 200, body: commitShape(api(), commit) };
      },
    ],
  ];
}

/** A commit is known when seeded, or when it is the head of a seeded pull request (committed when last updated). */
function findCommit(state: GitHubState, repo: string, ref: string): CommitRecord | undefined {
  const seeded = state.commits.get(commitKey(repo, ref));
  if (seeded) return seeded;
  const pull = [...state.pulls.values()].find(
    (p) => p.repo.toLowerCase() === repo.toLowerCase() && (p.headSha === ref || p.headRef === ref),
  );
  if (!pull) return undefined;
  return {
    repo,
    sha: pull.headSha,
    message: pull.title,
    author: pull.author,
    authoredAt: pull.updatedAt,
    committedAt: pull.updatedAt,
  };
}

function commitShape(api: string, c: CommitRecord): Record<string, unknown> {
  const person = (date: string) => ({ name: c.author, email: `${c.author}@users.noreply.github.com`, date });
  const web = `https://github.com/${c.repo}`;
  return {
    sha: c.sha,
    node_id: `C_${Buffer.from(c.sha).toString('base64url').slice(0, 20)}`,
    commit: {
      author: person(c.authoredAt),
      committer: person(c.committedAt),
      message: c.message,
      tree: { sha: '4b825dc642cb6eb9a060e54bf8d69288fbee4904', url: `${api}/repos/${c.repo}/git/trees/4b825dc` },
      url: `${api}/repos/${c.repo}/git/commits/${c.sha}`,
      comment_count: 0,
      verification: { verified: false, reason: 'unsigned', signature: null, payload: null, verified_at: null },
    },
    url: `${api}/repos/${c.repo}/commits/${c.sha}`,
    html_url: `${web}/commit/${c.sha}`,
    comments_url: `${api}/repos/${c.repo}/commits/${c.sha}/comments`,
    author: userShape(api, c.author),
    committer: userShape(api, c.author),
    parents: [],
    stats: { total: 0, additions: 0, deletions: 0 },
    files: [],
  };
}
