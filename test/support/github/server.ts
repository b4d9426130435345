import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type CommitsControl, createCommitsStandIn } from './commits.ts';
import {
  type DeliveryControl,
  deliveryControl,
  deliveryRoutes,
  type SeedCommit,
  type SeedDeployment,
} from './deliveries.ts';
import { createSecondaryLimits, type SecondaryLimitOptions, type SecondaryLimits } from './secondary-limits.ts';
import {
  checkRunShape,
  combinedStatusShape,
  commentShape,
  deploymentShape,
  deploymentStatusShape,
  issueEventShape,
  pullShape,
  statusShape,
} from './shapes.ts';
import {
  type CheckRunRecord,
  combinedState,
  createState,
  type GitHubState,
  latestStatuses,
  type Permission,
  type PullRecord,
  permissionKey,
  pullKey,
  type StatusRecord,
} from './state.ts';

/**
 * A local stand-in for the parts of the GitHub REST API switchyard uses, driven through real Octokit
 * with `baseUrl`. It listens on 127.0.0.1 only, records every call, answers with GitHub's shapes and
 * rules (140-character descriptions, 1000 statuses per sha and context, `auto_merge`/`required_contexts`
 * checks on deployments, Link pagination) and can be told to answer with rate limits or 5xx.
 */

export interface RecordedCall {
  method: string;
  /** Path without the query string, e.g. `/repos/o/r/statuses/<sha>`. */
  path: string;
  query: Record<string, string>;
  body: unknown;
  status: number;
  authorization: string | undefined;
  at: number;
}

export interface FaultSpec {
  method?: string;
  /** Matches the path (without query); a string must be contained, a RegExp must match. */
  path?: string | RegExp;
  /** How many matching requests get the fault (default 1). */
  times?: number;
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
}

export interface SeedPullRequest {
  repo: string;
  number: number;
  headSha: string;
  headRef?: string;
  /** Defaults to `repo`; another full name makes it a fork PR; null means the fork was deleted. */
  headRepo?: string | null;
  baseRef?: string;
  state?: 'open' | 'closed';
  merged?: boolean;
  draft?: boolean;
  labels?: string[];
  author?: string;
  title?: string;
  createdAt?: string;
  updatedAt?: string;
}

export interface GitHubServerOptions {
  /** Port to listen on (0 = any free port). */
  port?: number;
  /** Login the stand-in credits writes to (comments, statuses); GitHub Apps write as `<slug>[bot]`. */
  botLogin?: string;
  /** When set, only these tokens (plus App JWTs and installation tokens) are accepted. */
  tokens?: readonly string[];
  /** Clock for created_at/updated_at (tests pass a fixed one for exact assertions). */
  now?: () => Date;
  pulls?: readonly SeedPullRequest[];
  /** GitHub's secondary limits (secondary-limits.ts); on by default, `false` turns them off. */
  secondaryLimits?: SecondaryLimitOptions | false;
}

export interface GitHubServerControl extends DeliveryControl {
  seedPullRequest(seed: SeedPullRequest): PullRecord;
  updatePullRequest(repo: string, pr: number, patch: Partial<Omit<PullRecord, 'repo' | 'number'>>): PullRecord;
  /** A status posted by someone else (a CI), counted in combined status. */
  addStatus(
    repo: string,
    sha: string,
    context: string,
    state: StatusRecord['state'],
    targetUrl?: string,
    creator?: string,
  ): void;
  addCheckRun(
    repo: string,
    sha: string,
    name: string,
    conclusion: string | null,
    options?: { status?: CheckRunRecord['status']; appSlug?: string; detailsUrl?: string },
  ): void;
  setPermission(repo: string, user: string, permission: Permission): void;
  /** Applies (or removes) a label on the PR and records who did it in the issue events. */
  label(repo: string, pr: number, label: string, actor: string, action?: 'labeled' | 'unlabeled'): void;
  setInstallation(repo: string, installationId: number): void;
  /** The next matching requests get this answer instead of the real one. */
  fault(spec: FaultSpec): void;
  /** GitHub's secondary limit: 403 (or 429) with retry-after. */
  secondaryRateLimit(options?: {
    times?: number;
    retryAfterSeconds?: number;
    status?: 403 | 429;
    method?: string;
    path?: string | RegExp;
  }): void;
  /** GitHub's primary limit: 403 with x-ratelimit-remaining: 0 and a reset time. */
  primaryRateLimit(options?: {
    times?: number;
    resetInSeconds?: number;
    method?: string;
    path?: string | RegExp;
  }): void;
  serverError(options?: { times?: number; status?: number; method?: string; path?: string | RegExp }): void;
  /** Commits, branches, branch protection, rulesets and workflow runs (commits.ts). */
  git: CommitsControl;
  clearCalls(): void;
  reset(): void;
}

export interface GitHubServer {
  url: string;
  state: GitHubState;
  calls: RecordedCall[];
  control: GitHubServerControl;
  /** The secondary limits enforced, with what they refused; null when turned off. */
  limits: SecondaryLimits | null;
  close(): Promise<void>;
}

class HttpError extends Error {
  readonly status: number;
  readonly extra: Record<string, unknown>;
  constructor(status: number, message: string, extra: Record<string, unknown> = {}) {
    super(message);
    this.status = status;
    this.extra = extra;
  }
}

const DOCS = 'https://docs.github.com/rest';

export async function startGitHubServer(options: GitHubServerOptions = {}): Promise<GitHubServer> {
  const state = createState();
  const calls: RecordedCall[] = [];
  const faults: Array<FaultSpec & { remaining: number }> = [];
  const now = options.now ?? (() => new Date());
  const iso = () =>
    now()
      .toISOString()
      .replace(/\.\d{3}Z$/, 'Z');
  const bot = options.botLogin ?? 'switchyard[bot]';
  let api = '';
  const commits = createCommitsStandIn(
    () => api,
    (query, list) => pageOf(query, list),
    () => state.nextId++,
  );

  const control: GitHubServerControl = {
    ...deliveryControl(state, bot),
    seedPullRequest(seed) {
      const at = seed.createdAt ?? iso();
      const record: PullRecord = {
        repo: seed.repo,
        number: seed.number,
        title: seed.title ?? `PR ${seed.number}`,
        state: seed.state ?? 'open',
        merged: seed.merged ?? false,
        draft: seed.draft ?? false,
        headSha: seed.headSha,
        headRef: seed.headRef ?? `branch-${seed.number}`,
        headRepo: seed.headRepo === undefined ? seed.repo : seed.headRepo,
        baseRef: seed.baseRef ?? 'main',
        labels: [...(seed.labels ?? [])],
        author: seed.author ?? 'octocat',
        createdAt: at,
        updatedAt: seed.updatedAt ?? at,
      };
      state.pulls.set(pullKey(seed.repo, seed.number), record);
      return record;
    },
    updatePullRequest(repo, pr, patch) {
      const record = state.pulls.get(pullKey(repo, pr));
      if (!record) throw new Error(`no PR ${repo}#${pr} seeded`);
      Object.assign(record, patch, { updatedAt: patch.updatedAt ?? iso() });
      return record;
    },
    addStatus(repo, sha, context, st, targetUrl, creator = 'ci-bot') {
      state.statuses.push({
        id: state.nextId++,
        repo,
        sha,
        state: st,
        context,
        description: `${context} ${st}`,
        targetUrl: targetUrl ?? null,
        creator,
        createdAt: iso(),
      });
    },
    addCheckRun(repo, sha, name, conclusion, opts = {}) {
      state.checkRuns.push({
        id: state.nextId++,
        repo,
        headSha: sha,
        name,
        status: opts.status ?? (conclusion === null ? 'in_progress' : 'completed'),
        conclusion,
        detailsUrl: opts.detailsUrl ?? null,
        appSlug: opts.appSlug ?? 'github-actions',
      });
    },
    setPermission(repo, user, permission) {
      state.permissions.set(permissionKey(repo, user), permission);
    },
    label(repo, pr, label, actor, action = 'labeled') {
      const record = state.pulls.get(pullKey(repo, pr));
      if (record) {
        record.labels = record.labels.filter((l) => l !== label);
        if (action === 'labeled') record.labels.push(label);
      }
      state.issueEvents.push({ id: state.nextId++, repo, issue: pr, event: action, label, actor, createdAt: iso() });
    },
    setInstallation(repo, installationId) {
      state.installations.set(repo.toLowerCase(), installationId);
    },
    fault(spec) {
      faults.push({ ...spec, remaining: spec.times ?? 1 });
    },
    secondaryRateLimit(o = {}) {
      control.fault({
        ...pick(o),
        status: o.status ?? 403,
        headers: { 'retry-after': String(o.retryAfterSeconds ?? 1) },
        body: {
          message:
            'You have exceeded a secondary rate limit. Please wait a few minutes before you try again. If you reach out to GitHub Support for help, please include the request ID.',
          documentation_url: `${DOCS}/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits`,
          status: String(o.status ?? 403),
        },
      });
    },
    primaryRateLimit(o = {}) {
      const reset = Math.ceil(Date.now() / 1000) + (o.resetInSeconds ?? 1);
      control.fault({
        ...pick(o),
        status: 403,
        headers: {
          'x-ratelimit-limit': '5000',
          'x-ratelimit-remaining': '0',
          'x-ratelimit-used': '5000',
          'x-ratelimit-reset': String(reset),
          'x-ratelimit-resource': 'core',
        },
        body: {
          message: 'API rate limit exceeded for installation ID 1.',
          documentation_url: `${DOCS}/overview/rate-limits-for-the-rest-api`,
          status: '403',
        },
      });
    },
    serverError(o = {}) {
      control.fault({ ...pick(o), status: o.status ?? 502, body: { message: 'Server Error' } });
    },
    git: commits.control,
    clearCalls() {
      calls.length = 0;
    },
    reset() {
      commits.reset();
      Object.assign(state, createState());
      calls.length = 0;
      faults.length = 0;
    },
  };

  for (const seed of options.pulls ?? []) control.seedPullRequest(seed);

  const tokens = options.tokens ? new Set(options.tokens) : undefined;
  const limits = options.secondaryLimits === false ? null : createSecondaryLimits(options.secondaryLimits || {});

  function authorize(req: IncomingMessage, path: string): string | undefined {
    const header = req.headers.authorization;
    if (!header) throw new HttpError(401, 'Requires authentication');
    const [scheme = '', credential = ''] = header.split(' ');
    const isJwt = scheme.toLowerCase() === 'bearer' && credential.split('.').length === 3;
    // App JWTs only open the app endpoints, as on GitHub.
    if (isJwt) {
      if (!path.startsWith('/app/') && !/^\/repos\/[^/]+\/[^/]+\/installation$/.test(path)) {
        throw new HttpError(401, 'A JSON web token could not be decoded');
      }
      return undefined;
    }
    if (state.installationTokens.has(credential)) return state.installationTokens.get(credential)?.toString();
    if (tokens && !tokens.has(credential)) throw new HttpError(401, 'Bad credentials');
    return undefined;
  }

  type Handler = (p: { repo: string; a: string; path: string; query: Record<string, string>; body: Json }) => Routed;
  const R = '/repos/([^/]+/[^/]+)';
  const routes: Array<[string, RegExp, Handler]> = [
    ...deliveryRoutes(state, () => api),
    ['GET', /^\/$/, () => ok({ current_user_url: `${api}/user` })],
    ['GET', /^\/user$/, () => ok({ login: bot, id: 1, type: 'Bot' })],
    ['GET', /^\/app$/, () => ok({ id: 1, slug: bot.replace(/\[bot\]$/, ''), name: bot })],
    [
      'GET',
      new RegExp(`^${R}/installation$`),
      ({ repo }) => {
        const id = state.installations.get(repo.toLowerCase());
        if (id === undefined) throw new HttpError(404, 'Not Found');
        return ok({ id, app_id: 1, target_type: 'Organization', account: { login: repo.split('/')[0] } });
      },
    ],
    [
      'POST',
      /^\/app\/installations\/(\d+)\/access_tokens$/,
      ({ repo }) => {
        const id = Number(repo);
        const token = `ghs_standin${id}x${state.nextId++}`;
        state.installationTokens.set(token, id);
        const expires = new Date(Date.now() + 3600_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
        return { status: 201, body: { token, expires_at: expires, permissions: {}, repository_selection: 'all' } };
      },
    ],
    [
      'GET',
      new RegExp(`^${R}/pulls$`),
      ({ repo, path, query }) => {
        const wanted = query.state ?? 'open';
        const list = [...state.pulls.values()]
          .filter((p) => sameRepo(p.repo, repo) && (wanted === 'all' || p.state === wanted))
          .sort((a, b) => b.number - a.number);
        return paginate(path, query, list, (p) => pullShape(api, p));
      },
    ],
    [
      'GET',
      new RegExp(`^${R}/pulls/(\\d+)$`),
      ({ repo, a }) => {
        const p = state.pulls.get(pullKey(repo, Number(a)));
        if (!p) throw new HttpError(404, 'Not Found');
        return ok(pullShape(api, p));
      },
    ],
    [
      'GET',
      new RegExp(`^${R}/commits/([^/]+)/pulls$`),
      ({ repo, a, path, query }) => {
        const list = [...state.pulls.values()].filter((p) => sameRepo(p.repo, repo) && p.headSha === a);
        return paginate(path, query, list, (p) => pullShape(api, p));
      },
    ],
    ['POST', new RegExp(`^${R}/statuses/([0-9a-f]{40})$`), ({ repo, a, body }) => createStatus(repo, a, body)],
    [
      'GET',
      new RegExp(`^${R}/commits/([^/]+)/status$`),
      ({ repo, a, path, query }) => {
        const latest = latestStatuses(state, repo, a);
        const page = pageOf(
          query,
          latest.map((s) => statusShape(api, s)),
        );
        return {
          status: 200,
          body: combinedStatusShape(api, repo, a, combinedState(latest), page.items),
          headers: page.link(path),
        };
      },
    ],
    [
      'GET',
      new RegExp(`^${R}/commits/([^/]+)/statuses$`),
      ({ repo, a, path, query }) => {
        const list = state.statuses.filter((s) => sameRepo(s.repo, repo) && s.sha === a).reverse();
        return paginate(path, query, list, (s) => statusShape(api, s));
      },
    ],
    [
      'GET',
      new RegExp(`^${R}/commits/([^/]+)/check-runs$`),
      ({ repo, a, path, query }) => {
        const list = latestCheckRuns(
          state.checkRuns.filter(
            (c) =>
              sameRepo(c.repo, repo) &&
              c.headSha === a &&
              (query.check_name === undefined || c.name === query.check_name) &&
              (query.status === undefined || c.status === query.status),
          ),
          query.filter === 'all',
        );
        const page = pageOf(
          query,
          list.map((c) => checkRunShape(api, c)),
        );
        return { status: 200, body: { total_count: list.length, check_runs: page.items }, headers: page.link(path) };
      },
    ],
    [
      'GET',
      new RegExp(`^${R}/deployments$`),
      ({ repo, path, query }) => {
        const list = state.deployments
          .filter(
            (d) =>
              sameRepo(d.repo, repo) &&
              (query.environment === undefined || d.environment === query.environment) &&
              (query.sha === undefined || d.sha === query.sha) &&
              (query.ref === undefined || d.ref === query.ref) &&
              (query.task === undefined || d.task === query.task),
          )
          .reverse();
        return paginate(path, query, list, (d) => deploymentShape(api, d));
      },
    ],
    ['POST', new RegExp(`^${R}/deployments$`), ({ repo, body }) => createDeployment(repo, body)],
    [
      'GET',
      new RegExp(`^${R}/deployments/(\\d+)/statuses$`),
      ({ repo, a, path, query }) => {
        const deployment = findDeployment(repo, Number(a));
        const list = state.deploymentStatuses.filter((s) => s.deploymentId === deployment.id).reverse();
        return paginate(path, query, list, (s) => deploymentStatusShape(api, s));
      },
    ],
    [
      'POST',
      new RegExp(`^${R}/deployments/(\\d+)/statuses$`),
      ({ repo, a, body }) => createDeploymentStatus(repo, findDeployment(repo, Number(a)).id, body),
    ],
    [
      'GET',
      new RegExp(`^${R}/issues/(\\d+)/comments$`),
      ({ repo, a, path, query }) => {
        const issue = findIssue(repo, Number(a));
        const list = state.comments.filter((c) => sameRepo(c.repo, repo) && c.issue === issue);
        return paginate(path, query, list, (c) => commentShape(api, c));
      },
    ],
    [
      'POST',
      new RegExp(`^${R}/issues/(\\d+)/comments$`),
      ({ repo, a, body }) => {
        const issue = findIssue(repo, Number(a));
        if (typeof body.body !== 'string') throw validation('body', 'missing_field');
        const at = iso();
        const record = { id: state.nextId++, repo, issue, body: body.body, author: bot, createdAt: at, updatedAt: at };
        state.comments.push(record);
        return { status: 201, body: commentShape(api, record) };
      },
    ],
    [
      'PATCH',
      new RegExp(`^${R}/issues/comments/(\\d+)$`),
      ({ repo, a, body }) => {
        const comment = state.comments.find((c) => c.id === Number(a) && sameRepo(c.repo, repo));
        if (!comment) throw new HttpError(404, 'Not Found');
        if (comment.author !== bot) throw new HttpError(403, 'Resource not accessible by integration');
        if (typeof body.body !== 'string') throw validation('body', 'missing_field');
        comment.body = body.body;
        comment.updatedAt = iso();
        return ok(commentShape(api, comment));
      },
    ],
    [
      'GET',
      new RegExp(`^${R}/issues/(\\d+)/events$`),
      ({ repo, a, path, query }) => {
        const list = state.issueEvents.filter((e) => sameRepo(e.repo, repo) && e.issue === Number(a));
        return paginate(path, query, list, (e) => issueEventShape(api, e));
      },
    ],
    [
      'GET',
      new RegExp(`^${R}/collaborators/([^/]+)/permission$`),
      ({ repo, a }) => {
        const user = decodeURIComponent(a);
        const permission = state.permissions.get(permissionKey(repo, user)) ?? 'none';
        // The REST answer folds maintain into write and triage into read; role_name keeps the detail.
        const legacy = permission === 'maintain' ? 'write' : permission === 'triage' ? 'read' : permission;
        return ok({ permission: legacy, role_name: permission, user: { login: user, id: 1, type: 'User' } });
      },
    ],
    ...commits.routes,
  ];

  function route(method: string, path: string, query: Record<string, string>, body: Json): Routed {
    for (const [verb, pattern, handler] of routes) {
      if (verb !== method) continue;
      const match = pattern.exec(path);
      if (match) return handler({ repo: match[1] ?? '', a: match[2] ?? '', path, query, body });
    }
    throw new HttpError(404, 'Not Found');
  }

  function findIssue(repo: string, issue: number): number {
    if (!state.pulls.has(pullKey(repo, issue))) throw new HttpError(404, 'Not Found');
    return issue;
  }

  function findDeployment(repo: string, id: number) {
    const deployment = state.deployments.find((d) => d.id === id && sameRepo(d.repo, repo));
    if (!deployment) throw new HttpError(404, 'Not Found');
    return deployment;
  }

  function createStatus(repo: string, sha: string, body: Json): Routed {
    const st = String(body.state ?? '');
    if (!['pending', 'success', 'failure', 'error'].includes(st)) throw validation('state', 'invalid');
    const description = body.description === undefined ? null : String(body.description);
    if (description !== null && description.length > 140) throw validation('description', 'too long');
    const context = body.context === undefined ? 'default' : String(body.context);
    const count = state.statuses.filter((s) => sameRepo(s.repo, repo) && s.sha === sha && s.context === context);
    if (count.length >= 1000) {
      throw new HttpError(422, 'Validation Failed', {
        errors: [
          {
            resource: 'Status',
            code: 'custom',
            message: 'This SHA and context has reached the maximum number of statuses.',
          },
        ],
      });
    }
    const record: StatusRecord = {
      id: state.nextId++,
      repo,
      sha,
      state: st as StatusRecord['state'],
      context,
      description,
      targetUrl: body.target_url === undefined ? null : String(body.target_url),
      creator: bot,
      createdAt: iso(),
    };
    state.statuses.push(record);
    return { status: 201, body: statusShape(api, record) };
  }

  function createDeployment(repo: string, body: Json): Routed {
    if (typeof body.ref !== 'string' || body.ref === '') throw validation('ref', 'missing_field');
    const ref = body.ref;
    const pullWithRef = [...state.pulls.values()].find(
      (p) => sameRepo(p.repo, repo) && (p.headSha === ref || p.headRef === ref),
    );
    const sha = /^[0-9a-f]{40}$/.test(ref) ? ref : (pullWithRef?.headSha ?? ref);
    const required = Array.isArray(body.required_contexts) ? (body.required_contexts as string[]) : null;
    // GitHub verifies every unique context unless required_contexts is [] (409 when one is not green).
    const latest = latestStatuses(state, repo, sha);
    const mustPass = required ?? latest.map((s) => s.context);
    const failing = latest.filter((s) => mustPass.includes(s.context) && s.state !== 'success');
    if (failing.length > 0) {
      throw new HttpError(409, `Conflict: Commit status checks failed for ${ref}.`, {
        errors: failing.map((s) => ({
          contexts: [{ context: s.context, state: s.state }],
          resource: 'Deployment',
          field: 'required_contexts',
          code: 'invalid',
        })),
      });
    }
    const environment = body.environment === undefined ? 'production' : String(body.environment);
    const record = {
      id: state.nextId++,
      repo,
      sha,
      ref,
      task: body.task === undefined ? 'deploy' : String(body.task),
      environment,
      description: body.description === undefined ? null : String(body.description),
      transient: Boolean(body.transient_environment ?? false),
      production:
        body.production_environment === undefined ? environment === 'production' : Boolean(body.production_environment),
      payload: body.payload ?? {},
      autoMerge: body.auto_merge === undefined ? true : Boolean(body.auto_merge),
      requiredContexts: required,
      creator: bot,
      createdAt: iso(),
    };
    state.deployments.push(record);
    return { status: 201, body: deploymentShape(api, record) };
  }

  function createDeploymentStatus(repo: string, deploymentId: number, body: Json): Routed {
    const st = String(body.state ?? '');
    if (!['error', 'failure', 'inactive', 'in_progress', 'queued', 'pending', 'success'].includes(st)) {
      throw validation('state', 'invalid');
    }
    const description = body.description === undefined ? '' : String(body.description);
    if (description.length > 140) throw validation('description', 'too long');
    const record = {
      id: state.nextId++,
      repo,
      deploymentId,
      state: st,
      description,
      environmentUrl: body.environment_url === undefined ? '' : String(body.environment_url),
      logUrl: body.log_url === undefined ? String(body.target_url ?? '') : String(body.log_url),
      creator: bot,
      createdAt: iso(),
    };
    state.deploymentStatuses.push(record);
    return { status: 201, body: deploymentStatusShape(api, record) };
  }
  function paginate<T>(path: string, query: Record<string, string>, list: T[], shape: (t: T) => Json): Routed {
    const page = pageOf(query, list);
    return { status: 200, body: page.items.map(shape), headers: page.link(path) };
  }

  function pageOf<T>(query: Record<string, string>, list: T[]) {
    const perPage = Math.min(100, Math.max(1, Number(query.per_page ?? 30) || 30));
    const page = Math.max(1, Number(query.page ?? 1) || 1);
    const last = Math.max(1, Math.ceil(list.length / perPage));
    const items = list.slice((page - 1) * perPage, page * perPage);
    const link = (path: string): Record<string, string> => {
      const href = (p: number) => {
        const q = new URLSearchParams({ ...query, per_page: String(perPage), page: String(p) });
        return `<${api}${path}?${q.toString()}>`;
      };
      const rels: string[] = [];
      if (page > 1) rels.push(`${href(page - 1)}; rel="prev"`);
      if (page < last) rels.push(`${href(page + 1)}; rel="next"`, `${href(last)}; rel="last"`);
      if (page > 1) rels.push(`${href(1)}; rel="first"`);
      return rels.length > 0 ? { link: rels.join(', ') } : {};
    };
    return { items, link };
  }

  function takeFault(method: string, path: string): FaultSpec | undefined {
    const index = faults.findIndex(
      (f) =>
        f.remaining > 0 &&
        (f.method === undefined || f.method.toUpperCase() === method) &&
        (f.path === undefined || (typeof f.path === 'string' ? path.includes(f.path) : f.path.test(path))),
    );
    const fault = faults[index];
    if (!fault) return undefined;
    fault.remaining--;
    if (fault.remaining === 0) faults.splice(index, 1);
    return fault;
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', api);
    const method = (req.method ?? 'GET').toUpperCase();
    const path = decodeURI(url.pathname).replace(/\/+$/, '') || '/';
    const gate = limits && !path.startsWith('/_control/') ? limits.enter(method, path) : null;
    if (gate && 'release' in gate) res.once('close', gate.release);
    const query = Object.fromEntries(url.searchParams.entries());
    const raw = await readBody(req);
    let body: Json = {};
    let status = 500;
    let payload: unknown;
    let headers: Record<string, string> = {};
    try {
      if (raw.length > 0) {
        try {
          body = JSON.parse(raw) as Json;
        } catch {
          throw new HttpError(400, 'Problems parsing JSON');
        }
      }
      if (path.startsWith('/_control/')) {
        ({ status, body: payload } = controlRoute(method, path, body));
      } else if (gate && 'refusal' in gate) {
        ({ status, body: payload, headers } = gate.answer);
      } else {
        const fault = takeFault(method, path);
        if (fault) {
          status = fault.status;
          payload = fault.body ?? { message: 'Injected fault' };
          headers = fault.headers ?? {};
        } else {
          authorize(req, path);
          const routed = route(method, path, query, body);
          status = routed.status;
          payload = routed.body;
          headers = routed.headers ?? {};
        }
      }
    } catch (error) {
      if (error instanceof HttpError) {
        status = error.status;
        payload = { message: error.message, documentation_url: DOCS, status: String(error.status), ...error.extra };
      } else {
        status = 500;
        payload = { message: (error as Error).message };
      }
    }
    if (!path.startsWith('/_control/')) {
      calls.push({
        method,
        path,
        query,
        body: raw.length > 0 ? body : undefined,
        status,
        authorization: req.headers.authorization,
        at: Date.now(),
      });
    }
    const text = payload === undefined ? '' : JSON.stringify(payload);
    res.writeHead(status, {
      'content-type': 'application/json; charset=utf-8',
      'x-github-media-type': 'github.v3; format=json',
      'x-github-request-id': `STANDIN:${calls.length}`,
      'x-ratelimit-limit': '5000',
      'x-ratelimit-remaining': '4999',
      'x-ratelimit-reset': String(Math.ceil(Date.now() / 1000) + 3600),
      ...headers,
    });
    res.end(text);
  }

  /** Lets another process (the sandbox) seed and inspect the stand-in over HTTP. */
  function controlRoute(method: string, path: string, body: Json): { status: number; body: unknown } {
    if (method === 'POST' && path === '/_control/pulls') {
      return { status: 201, body: control.seedPullRequest(body as unknown as SeedPullRequest) };
    }
    const m = path.match(/^\/_control\/pulls\/(.+)\/(\d+)$/);
    if (method === 'PATCH' && m) {
      return { status: 200, body: control.updatePullRequest(m[1] ?? '', Number(m[2]), body as Partial<PullRecord>) };
    }
    if (method === 'POST' && path === '/_control/statuses') {
      const b = body as {
        repo: string;
        sha: string;
        context: string;
        state: StatusRecord['state'];
        targetUrl?: string;
      };
      control.addStatus(b.repo, b.sha, b.context, b.state, b.targetUrl);
      return { status: 201, body: {} };
    }
    if (method === 'POST' && path === '/_control/permissions') {
      const b = body as { repo: string; user: string; permission: Permission };
      control.setPermission(b.repo, b.user, b.permission);
      return { status: 201, body: {} };
    }
    if (method === 'POST' && path === '/_control/commits') {
      return { status: 201, body: control.seedCommit(body as unknown as SeedCommit) };
    }
    if (method === 'POST' && path === '/_control/deployments') {
      return { status: 201, body: { id: control.seedDeployment(body as unknown as SeedDeployment) } };
    }
    if (method === 'POST' && path === '/_control/faults') {
      control.fault(body as unknown as FaultSpec);
      return { status: 201, body: {} };
    }
    if (method === 'GET' && path === '/_control/state') {
      return {
        status: 200,
        body: {
          ...state,
          pulls: [...state.pulls.values()],
          permissions: [...state.permissions],
          installations: [...state.installations],
          installationTokens: undefined,
        },
      };
    }
    if (method === 'GET' && path === '/_control/calls') return { status: 200, body: calls };
    if (method === 'POST' && path === '/_control/reset') {
      control.reset();
      return { status: 200, body: {} };
    }
    return { status: 404, body: { message: 'Not Found' } };
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      res.writeHead(500);
      res.end(String(error));
    });
  });
  server.keepAliveTimeout = 1000;
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  api = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url: api,
    state,
    calls,
    control,
    limits,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

type Json = Record<string, unknown>;
interface Routed {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

function ok(body: unknown): Routed {
  return { status: 200, body };
}

/** `filter=latest` (the default) keeps the newest run of each name and app; `filter=all` keeps every run. */
function latestCheckRuns(runs: CheckRunRecord[], all: boolean): CheckRunRecord[] {
  if (all) return runs;
  const newest = new Map<string, CheckRunRecord>();
  for (const run of runs) {
    const key = `${run.appSlug} ${run.name}`;
    if ((newest.get(key)?.id ?? -1) < run.id) newest.set(key, run);
  }
  return runs.filter((r) => newest.get(`${r.appSlug} ${r.name}`) === r);
}

function sameRepo(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

function validation(field: string, code: string): HttpError {
  return new HttpError(422, 'Validation Failed', { errors: [{ resource: 'Request', field, code }] });
}

function pick(o: { times?: number; method?: string; path?: string | RegExp }): Omit<FaultSpec, 'status'> {
  const out: Omit<FaultSpec, 'status'> = {};
  if (o.times !== undefined) out.times = o.times;
  if (o.method !== undefined) out.method = o.method;
  if (o.path !== undefined) out.path = o.path;
  return out;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
