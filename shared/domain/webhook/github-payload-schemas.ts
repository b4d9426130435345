import * as z from 'zod/mini';
import '../../config/zod.ts';

/**
 * The subset of GitHub webhook payloads we read. Objects are not strict: GitHub adds fields all the
 * time, and a new field must never turn a delivery into a 400.
 */

const Repository = z.object({ full_name: z.string() });
const Label = z.object({ name: z.string() });
const Sha = z.string().check(z.regex(/^[0-9a-f]{40}$/, 'must be a 40-character commit SHA'));
const PrRef = z.object({ number: z.int().check(z.positive()) });
const PrRefs = () => z._default(z.array(PrRef), []);
const maybe = <T extends z.ZodMiniType>(schema: T) => z.optional(z.nullable(schema));

export const PullRequestPayloadSchema = z.object({
  action: z.string(),
  number: z.int().check(z.positive()),
  repository: Repository,
  label: z.optional(Label),
  pull_request: z.object({
    number: z.int().check(z.positive()),
    title: z._default(z.string(), ''),
    draft: z._default(z.boolean(), false),
    merged: z._default(z.nullable(z.boolean()), false),
    updated_at: z.string(),
    labels: z._default(z.array(Label), []),
    user: z.nullable(z.object({ login: z.string() })),
    head: z.object({ sha: Sha, ref: z.string(), repo: z.nullable(Repository) }),
    base: z.object({ ref: z.string(), repo: Repository }),
  }),
});

export const CheckSuitePayloadSchema = z.object({
  action: z.string(),
  repository: Repository,
  check_suite: z.object({
    head_sha: Sha,
    head_branch: z.nullable(z.string()),
    conclusion: z.nullable(z.string()),
    updated_at: maybe(z.string()),
    url: maybe(z.string()),
    pull_requests: PrRefs(),
    app: maybe(z.object({ slug: z.optional(z.string()), name: z.optional(z.string()) })),
    head_repository: maybe(Repository),
  }),
});

export const CheckRunPayloadSchema = z.object({
  action: z.string(),
  repository: Repository,
  check_run: z.object({
    name: z.string(),
    head_sha: Sha,
    conclusion: z.nullable(z.string()),
    completed_at: maybe(z.string()),
    html_url: maybe(z.string()),
    pull_requests: PrRefs(),
    check_suite: maybe(z.object({ head_branch: z.nullable(z.string()), head_repository: maybe(Repository) })),
  }),
});

export const StatusPayloadSchema = z.object({
  repository: Repository,
  sha: Sha,
  state: z.string(),
  context: z.string(),
  target_url: maybe(z.string()),
  updated_at: z.string(),
  branches: z._default(z.array(z.object({ name: z.string(), commit: z.object({ sha: z.string() }) })), []),
});

export const WorkflowRunPayloadSchema = z.object({
  action: z.string(),
  repository: Repository,
  workflow_run: z.object({
    name: maybe(z.string()),
    head_sha: Sha,
    head_branch: z.nullable(z.string()),
    conclusion: z.nullable(z.string()),
    updated_at: z.string(),
    html_url: maybe(z.string()),
    pull_requests: PrRefs(),
    head_repository: maybe(Repository),
  }),
});

export const PushPayloadSchema = z.object({
  ref: z.string(),
  before: z.string(),
  after: z.string(),
  deleted: z._default(z.boolean(), false),
  repository: Repository,
  head_commit: maybe(z.object({ timestamp: z.string() })),
});
