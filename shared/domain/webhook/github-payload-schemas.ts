import { z } from 'zod';

/**
 * The subset of GitHub webhook payloads we read. Objects are not strict: GitHub adds fields all the
 * time, and a new field must never turn a delivery into a 400.
 */

const Repository = z.object({ full_name: z.string() });
const Label = z.object({ name: z.string() });
const Sha = z.string().regex(/^[0-9a-f]{40}$/, 'must be a 40-character commit SHA');

export const PullRequestPayloadSchema = z.object({
  action: z.string(),
  number: z.number().int().positive(),
  repository: Repository,
  label: Label.optional(),
  pull_request: z.object({
    number: z.number().int().positive(),
    title: z.string().default(''),
    draft: z.boolean().default(false),
    merged: z.boolean().nullable().default(false),
    updated_at: z.string(),
    labels: z.array(Label).default([]),
    user: z.object({ login: z.string() }).nullable(),
    head: z.object({ sha: Sha, ref: z.string(), repo: Repository.nullable() }),
    base: z.object({ ref: z.string(), repo: Repository }),
  }),
});

const PrRef = z.object({ number: z.number().int().positive() });

export const CheckSuitePayloadSchema = z.object({
  action: z.string(),
  repository: Repository,
  check_suite: z.object({
    head_sha: Sha,
    head_branch: z.string().nullable(),
    conclusion: z.string().nullable(),
    updated_at: z.string().nullable().optional(),
    url: z.string().nullable().optional(),
    pull_requests: z.array(PrRef).default([]),
    app: z.object({ slug: z.string().optional(), name: z.string().optional() }).nullable().optional(),
  }),
});

export const CheckRunPayloadSchema = z.object({
  action: z.string(),
  repository: Repository,
  check_run: z.object({
    name: z.string(),
    head_sha: Sha,
    conclusion: z.string().nullable(),
    completed_at: z.string().nullable().optional(),
    html_url: z.string().nullable().optional(),
    pull_requests: z.array(PrRef).default([]),
    check_suite: z.object({ head_branch: z.string().nullable() }).nullable().optional(),
  }),
});

export const StatusPayloadSchema = z.object({
  repository: Repository,
  sha: Sha,
  state: z.string(),
  context: z.string(),
  target_url: z.string().nullable().optional(),
  updated_at: z.string(),
  branches: z.array(z.object({ name: z.string(), commit: z.object({ sha: z.string() }) })).default([]),
});

export const WorkflowRunPayloadSchema = z.object({
  action: z.string(),
  repository: Repository,
  workflow_run: z.object({
    name: z.string().nullable().optional(),
    head_sha: Sha,
    head_branch: z.string().nullable(),
    conclusion: z.string().nullable(),
    updated_at: z.string(),
    html_url: z.string().nullable().optional(),
    pull_requests: z.array(PrRef).default([]),
  }),
});

export const PushPayloadSchema = z.object({
  ref: z.string(),
  before: z.string(),
  after: z.string(),
  deleted: z.boolean().default(false),
  repository: Repository,
  head_commit: z.object({ timestamp: z.string() }).nullable().optional(),
});
