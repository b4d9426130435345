import { PreviewSchema } from '../../../shared/config/preview-schema.ts';
import type { CiResultIntent, PullRequestIntent } from '../../../shared/domain/intents.ts';
import type { PreviewRecord } from '../../../shared/domain/preview/preview-record.ts';
import type { PullRequestInfo } from '../../../shared/ports/scm.ts';

export const SHA_A = 'a'.repeat(40);
export const SHA_B = 'b'.repeat(40);

export const preview = (over: Record<string, unknown> = {}) =>
  PreviewSchema.parse({ templates: 'previews/web', host: 'pr-{pr}.web.example.test', ...over });

export const pr = (over: Partial<PullRequestInfo> = {}): PullRequestInfo => ({
  number: 7,
  state: 'open',
  merged: false,
  draft: false,
  headSha: SHA_B,
  headRef: 'feature/login',
  headRepo: 'acme/web',
  baseRepo: 'acme/web',
  labels: [],
  author: 'dev',
  updatedAt: '2026-01-01T00:00:00Z',
  ...over,
});

export const record = (over: Partial<PreviewRecord> = {}): PreviewRecord => ({
  app: 'web',
  pr: 7,
  repo: 'acme/web',
  namespace: 'pr-7-web',
  headSha: SHA_A,
  deployedSha: SHA_A,
  eventTime: '2026-01-01T00:00:00Z',
  lastDeployed: '2026-01-01T00:00:05Z',
  reportedSha: SHA_A,
  rollout: 'complete',
  rolloutMessage: null,
  deploymentId: 11,
  host: 'pr-7.web.example.test',
  image: `registry/web:${SHA_A}`,
  branch: 'feature/login',
  createdAt: '2026-01-01T00:00:00Z',
  resourceVersion: '100',
  deleting: false,
  objects: [],
  commentId: null,
  lastStatus: null,
  claimLease: null,
  ...over,
});

export const prIntent = (over: Partial<PullRequestIntent> = {}): PullRequestIntent => ({
  kind: 'pull_request',
  deliveryId: 'd1',
  repo: 'acme/web',
  eventTime: '2026-01-02T00:00:00Z',
  action: 'synchronize',
  pr: 7,
  headSha: SHA_B,
  headRef: 'feature/login',
  baseRef: 'main',
  headRepo: 'acme/web',
  fork: false,
  draft: false,
  merged: false,
  labels: [],
  author: 'dev',
  title: 'Login',
  ...over,
});

export const ciIntent = (over: Partial<CiResultIntent> = {}): CiResultIntent => ({
  kind: 'ci_result',
  deliveryId: 'd2',
  repo: 'acme/web',
  eventTime: '2026-01-02T00:10:00Z',
  sha: SHA_B,
  branch: 'feature/login',
  result: 'success',
  source: 'ci_notification',
  image: null,
  prs: [7],
  url: 'https://ci.example.test/run/1',
  name: 'build',
  ...over,
});

export const APP = { name: 'web', image: 'registry/web' };
