import type * as z from 'zod/mini';
import { ValidationError } from '../../errors.ts';
import type { CiResultIntent, Intent, PullRequestIntent, PushIntent } from '../intents.ts';
import { PullRequestActions } from '../intents.ts';
import { hasRepo, STATUS_CONTEXT_PREFIX } from '../naming.ts';
import {
  CheckRunPayloadSchema,
  CheckSuitePayloadSchema,
  PullRequestPayloadSchema,
  PushPayloadSchema,
  StatusPayloadSchema,
  WorkflowRunPayloadSchema,
} from './github-payload-schemas.ts';

/** What the ingress knows besides the payload. */
export interface NormalizeContext {
  event: string;
  deliveryId: string;
  /** When we received the delivery (ISO 8601): used when the payload carries no time of its own. */
  receivedAt: string;
  /** Repositories some app is configured for, matched case-insensitively as GitHub matches them. */
  repos: ReadonlySet<string>;
  /** Status contexts never counted as CI besides ours (`switchyard/...`). */
  ignoreStatusContexts: readonly string[];
}

export type Normalized = { intents: Intent[] } | { ignored: string };

/**
 * Turns one GitHub delivery into intents, or says why it is ignored. Pure: the payload has already
 * been authenticated. A payload that does not have the shape its event promises is a ValidationError.
 */
export function normalizeGitHubEvent(payload: unknown, ctx: NormalizeContext): Normalized {
  switch (ctx.event) {
    case 'pull_request':
      return pullRequest(parse(PullRequestPayloadSchema, payload, ctx.event), ctx);
    case 'check_suite':
      return checkSuite(parse(CheckSuitePayloadSchema, payload, ctx.event), ctx);
    case 'check_run':
      return checkRun(parse(CheckRunPayloadSchema, payload, ctx.event), ctx);
    case 'status':
      return status(parse(StatusPayloadSchema, payload, ctx.event), ctx);
    case 'workflow_run':
      return workflowRun(parse(WorkflowRunPayloadSchema, payload, ctx.event), ctx);
    case 'push':
      return push(parse(PushPayloadSchema, payload, ctx.event), ctx);
    default:
      return { ignored: `event "${ctx.event}" is not one switchyard acts on` };
  }
}

function parse<S extends z.ZodMiniType>(schema: S, payload: unknown, event: string): z.infer<S> {
  const result = schema.safeParse(payload);
  if (!result.success) {
    const issues = result.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
    throw new ValidationError(`the ${event} payload is malformed`, issues);
  }
  return result.data;
}

function notConfigured(repo: string): Normalized {
  return { ignored: `repository ${repo} is not configured for any app` };
}

function pullRequest(p: z.infer<typeof PullRequestPayloadSchema>, ctx: NormalizeContext): Normalized {
  const repo = p.repository.full_name;
  if (!hasRepo(ctx.repos, repo)) return notConfigured(repo);
  const action = (PullRequestActions as readonly string[]).includes(p.action)
    ? (p.action as PullRequestIntent['action'])
    : undefined;
  if (!action) return { ignored: `pull_request action "${p.action}" does not change a preview` };
  const pr = p.pull_request;
  const headRepo = pr.head.repo?.full_name ?? null;
  const intent: PullRequestIntent = {
    kind: 'pull_request',
    deliveryId: ctx.deliveryId,
    repo,
    eventTime: pr.updated_at,
    action,
    pr: pr.number,
    headSha: pr.head.sha,
    headRef: pr.head.ref,
    baseRef: pr.base.ref,
    headRepo,
    // A deleted fork leaves head.repo null: treat the unknown origin as a fork, never as trusted.
    fork: headRepo === null || headRepo.toLowerCase() !== pr.base.repo.full_name.toLowerCase(),
    draft: pr.draft,
    merged: pr.merged === true,
    labels: pr.labels.map((l) => l.name),
    author: pr.user?.login ?? '',
    title: pr.title,
  };
  if (p.label) intent.label = p.label.name;
  return { intents: [intent] };
}

/**
 * GitHub's conclusions: success passes; neutral and skipped say nothing about the code; everything
 * else (failure, timed_out, cancelled, action_required, startup_failure, stale) fails.
 */
function conclusionToResult(conclusion: string | null): CiResultIntent['result'] | undefined {
  if (conclusion === 'success') return 'success';
  if (conclusion === null || conclusion === 'neutral' || conclusion === 'skipped') return undefined;
  return 'failure';
}

function ciIntent(ctx: NormalizeContext, fields: Omit<CiResultIntent, 'kind' | 'deliveryId' | 'image'>): Normalized {
  return { intents: [{ kind: 'ci_result', deliveryId: ctx.deliveryId, image: null, ...fields }] };
}

function checkSuite(p: z.infer<typeof CheckSuitePayloadSchema>, ctx: NormalizeContext): Normalized {
  const repo = p.repository.full_name;
  if (!hasRepo(ctx.repos, repo)) return notConfigured(repo);
  if (p.action !== 'completed') return { ignored: `check_suite action "${p.action}" is not a result` };
  const result = conclusionToResult(p.check_suite.conclusion);
  if (!result) return { ignored: `check_suite conclusion "${p.check_suite.conclusion}" is not a verdict` };
  return ciIntent(ctx, {
    repo,
    eventTime: p.check_suite.updated_at ?? ctx.receivedAt,
    sha: p.check_suite.head_sha,
    branch: p.check_suite.head_branch,
    result,
    source: 'check_suite',
    prs: p.check_suite.pull_requests.map((r) => r.number),
    url: null,
    name: p.check_suite.app?.slug ?? p.check_suite.app?.name ?? null,
  });
}

function checkRun(p: z.infer<typeof CheckRunPayloadSchema>, ctx: NormalizeContext): Normalized {
  const repo = p.repository.full_name;
  if (!hasRepo(ctx.repos, repo)) return notConfigured(repo);
  if (p.action !== 'completed') return { ignored: `check_run action "${p.action}" is not a result` };
  if (p.check_run.name.startsWith(STATUS_CONTEXT_PREFIX)) return { ignored: 'our own check run' };
  const result = conclusionToResult(p.check_run.conclusion);
  if (!result) return { ignored: `check_run conclusion "${p.check_run.conclusion}" is not a verdict` };
  return ciIntent(ctx, {
    repo,
    eventTime: p.check_run.completed_at ?? ctx.receivedAt,
    sha: p.check_run.head_sha,
    branch: p.check_run.check_suite?.head_branch ?? null,
    result,
    source: 'check_run',
    prs: p.check_run.pull_requests.map((r) => r.number),
    url: p.check_run.html_url ?? null,
    name: p.check_run.name,
  });
}

function status(p: z.infer<typeof StatusPayloadSchema>, ctx: NormalizeContext): Normalized {
  const repo = p.repository.full_name;
  if (!hasRepo(ctx.repos, repo)) return notConfigured(repo);
  // Our own statuses come back to us as status events: counting them as CI would deploy on our own say-so.
  if (p.context.startsWith(STATUS_CONTEXT_PREFIX)) return { ignored: `status context "${p.context}" is ours` };
  if (ctx.ignoreStatusContexts.includes(p.context)) {
    return { ignored: `status context "${p.context}" is ignored by the config` };
  }
  if (p.state === 'pending') return { ignored: 'a pending status is not a result' };
  const result = p.state === 'success' ? 'success' : 'failure';
  // `branches` lists every branch containing the commit; only one whose head it is names the build.
  const branch = p.branches.find((b) => b.commit.sha === p.sha)?.name ?? null;
  return ciIntent(ctx, {
    repo,
    eventTime: p.updated_at,
    sha: p.sha,
    branch,
    result,
    source: 'status',
    prs: [],
    url: p.target_url ?? null,
    name: p.context,
  });
}

function workflowRun(p: z.infer<typeof WorkflowRunPayloadSchema>, ctx: NormalizeContext): Normalized {
  const repo = p.repository.full_name;
  if (!hasRepo(ctx.repos, repo)) return notConfigured(repo);
  if (p.action !== 'completed') return { ignored: `workflow_run action "${p.action}" is not a result` };
  const result = conclusionToResult(p.workflow_run.conclusion);
  if (!result) return { ignored: `workflow_run conclusion "${p.workflow_run.conclusion}" is not a verdict` };
  return ciIntent(ctx, {
    repo,
    eventTime: p.workflow_run.updated_at,
    sha: p.workflow_run.head_sha,
    branch: p.workflow_run.head_branch,
    result,
    source: 'workflow_run',
    prs: p.workflow_run.pull_requests.map((r) => r.number),
    url: p.workflow_run.html_url ?? null,
    name: p.workflow_run.name ?? null,
  });
}

function push(p: z.infer<typeof PushPayloadSchema>, ctx: NormalizeContext): Normalized {
  const repo = p.repository.full_name;
  if (!hasRepo(ctx.repos, repo)) return notConfigured(repo);
  if (!p.ref.startsWith('refs/heads/')) return { ignored: `push to ${p.ref} is not a branch` };
  const intent: PushIntent = {
    kind: 'push',
    deliveryId: ctx.deliveryId,
    repo,
    eventTime: p.head_commit?.timestamp ?? ctx.receivedAt,
    branch: p.ref.slice('refs/heads/'.length),
    before: p.before,
    after: p.after,
    deleted: p.deleted,
  };
  return { intents: [intent] };
}
