import type {
  CheckRunRecord,
  CommentRecord,
  DeploymentRecord,
  DeploymentStatusRecord,
  IssueEventRecord,
  PullRecord,
  StatusRecord,
} from './state.ts';
import { template } from './templates.ts';

/** Turns stand-in records into GitHub's JSON, starting from GitHub's own payloads. */

type Json = Record<string, unknown>;

let userIds = 5000;
const knownUsers = new Map<string, number>();
function userId(login: string): number {
  let id = knownUsers.get(login);
  if (id === undefined) {
    id = userIds++;
    knownUsers.set(login, id);
  }
  return id;
}

export function userShape(api: string, login: string): Json {
  const u = template('user');
  const web = 'https://github.com';
  Object.assign(u, {
    login,
    id: userId(login),
    url: `${api}/users/${login}`,
    html_url: `${web}/${login}`,
    type: login.endsWith('[bot]') ? 'Bot' : 'User',
  });
  return u;
}

export function repoShape(api: string, fullName: string): Json {
  const r = template('repository');
  const [owner = '', name = ''] = fullName.split('/');
  Object.assign(r, {
    name,
    full_name: fullName,
    owner: userShape(api, owner),
    url: `${api}/repos/${fullName}`,
    html_url: `https://github.com/${fullName}`,
    fork: false,
  });
  return r;
}

export function pullShape(api: string, p: PullRecord): Json {
  const pr = template('pullRequest');
  const base = `${api}/repos/${p.repo}`;
  const headRepo = p.headRepo === null ? null : repoShape(api, p.headRepo);
  if (headRepo && p.headRepo?.toLowerCase() !== p.repo.toLowerCase()) headRepo.fork = true;
  const head = pr.head as Json;
  const baseRef = pr.base as Json;
  Object.assign(head, {
    label: `${(p.headRepo ?? 'unknown/unknown').split('/')[0]}:${p.headRef}`,
    ref: p.headRef,
    sha: p.headSha,
    repo: headRepo,
    user: userShape(api, (p.headRepo ?? p.author).split('/')[0] ?? p.author),
  });
  Object.assign(baseRef, {
    label: `${p.repo.split('/')[0]}:${p.baseRef}`,
    ref: p.baseRef,
    repo: repoShape(api, p.repo),
  });
  Object.assign(pr, {
    url: `${base}/pulls/${p.number}`,
    id: 100000 + p.number,
    html_url: `https://github.com/${p.repo}/pull/${p.number}`,
    issue_url: `${base}/issues/${p.number}`,
    comments_url: `${base}/issues/${p.number}/comments`,
    statuses_url: `${base}/statuses/${p.headSha}`,
    number: p.number,
    state: p.state,
    title: p.title,
    user: userShape(api, p.author),
    labels: p.labels.map((name, i) => ({ ...template('label'), id: 9000 + i, name })),
    draft: p.draft,
    merged: p.merged,
    merged_at: p.merged ? p.updatedAt : null,
    closed_at: p.state === 'closed' ? p.updatedAt : null,
    created_at: p.createdAt,
    updated_at: p.updatedAt,
    head,
    base: baseRef,
  });
  return pr;
}

export function statusShape(api: string, s: StatusRecord): Json {
  const st = template('status');
  Object.assign(st, {
    url: `${api}/repos/${s.repo}/statuses/${s.sha}`,
    id: s.id,
    state: s.state,
    description: s.description,
    target_url: s.targetUrl,
    context: s.context,
    created_at: s.createdAt,
    updated_at: s.createdAt,
    creator: userShape(api, s.creator),
  });
  return st;
}

export function combinedStatusShape(api: string, repo: string, sha: string, state: string, statuses: Json[]): Json {
  const c = template('combinedStatus');
  Object.assign(c, {
    state,
    statuses: statuses.map((s) => {
      const { creator: _creator, ...rest } = s;
      return rest;
    }),
    sha,
    total_count: statuses.length,
    repository: repoShape(api, repo),
    commit_url: `${api}/repos/${repo}/commits/${sha}`,
    url: `${api}/repos/${repo}/commits/${sha}/status`,
  });
  return c;
}

export function checkRunShape(api: string, c: CheckRunRecord): Json {
  const cr = template('checkRun');
  const app = (cr.app as Json | undefined) ?? {};
  Object.assign(cr, {
    id: c.id,
    head_sha: c.headSha,
    name: c.name,
    status: c.status,
    conclusion: c.conclusion,
    details_url: c.detailsUrl,
    url: `${api}/repos/${c.repo}/check-runs/${c.id}`,
    html_url: `https://github.com/${c.repo}/runs/${c.id}`,
    app: { ...app, slug: c.appSlug, name: c.appSlug },
    pull_requests: [],
    deployment: undefined,
  });
  return cr;
}

export function deploymentShape(api: string, d: DeploymentRecord): Json {
  const dep = template('deployment');
  Object.assign(dep, {
    url: `${api}/repos/${d.repo}/deployments/${d.id}`,
    id: d.id,
    sha: d.sha,
    ref: d.ref,
    task: d.task,
    payload: d.payload,
    original_environment: d.environment,
    environment: d.environment,
    description: d.description,
    creator: userShape(api, d.creator),
    created_at: d.createdAt,
    updated_at: d.createdAt,
    statuses_url: `${api}/repos/${d.repo}/deployments/${d.id}/statuses`,
    repository_url: `${api}/repos/${d.repo}`,
    transient_environment: d.transient,
    production_environment: d.production,
  });
  return dep;
}

export function deploymentStatusShape(api: string, s: DeploymentStatusRecord): Json {
  const ds = template('deploymentStatus');
  Object.assign(ds, {
    url: `${api}/repos/${s.repo}/deployments/${s.deploymentId}/statuses/${s.id}`,
    id: s.id,
    state: s.state,
    creator: userShape(api, s.creator),
    description: s.description,
    environment_url: s.environmentUrl,
    log_url: s.logUrl,
    target_url: s.logUrl,
    created_at: s.createdAt,
    updated_at: s.createdAt,
    deployment_url: `${api}/repos/${s.repo}/deployments/${s.deploymentId}`,
    repository_url: `${api}/repos/${s.repo}`,
  });
  return ds;
}

export function commentShape(api: string, c: CommentRecord): Json {
  const cm = template('comment');
  Object.assign(cm, {
    url: `${api}/repos/${c.repo}/issues/comments/${c.id}`,
    html_url: `https://github.com/${c.repo}/pull/${c.issue}#issuecomment-${c.id}`,
    issue_url: `${api}/repos/${c.repo}/issues/${c.issue}`,
    id: c.id,
    user: userShape(api, c.author),
    created_at: c.createdAt,
    updated_at: c.updatedAt,
    body: c.body,
  });
  return cm;
}

export function issueEventShape(api: string, e: IssueEventRecord): Json {
  return {
    id: e.id,
    node_id: `LE_${e.id}`,
    url: `${api}/repos/${e.repo}/issues/events/${e.id}`,
    actor: userShape(api, e.actor),
    event: e.event,
    commit_id: null,
    commit_url: null,
    created_at: e.createdAt,
    label: { name: e.label, color: 'ededed' },
    performed_via_github_app: null,
  };
}
