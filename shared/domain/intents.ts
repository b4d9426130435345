import * as z from 'zod/mini';
import { nonEmpty } from '../config/zod.ts';

/**
 * Intents are the small typed facts the ingress hands to pipelineWorker: what happened, never what to
 * do. They are plain JSON (they travel in a Lambda Event invocation, 256 KB at most).
 */

const Sha = z.string().check(z.regex(/^[0-9a-f]{40}$/));
const NonEmpty = nonEmpty;
const PrNumber = () => z.int().check(z.positive());

const Common = {
  /** X-GitHub-Delivery, or a hash of the CI notification body: the correlation id of every log line. */
  deliveryId: NonEmpty(),
  repo: NonEmpty(),
  /** When the event happened at the source (ISO 8601); orders events that arrive out of order. */
  eventTime: NonEmpty(),
};

export const PullRequestActions = [
  'opened',
  'reopened',
  'synchronize',
  'closed',
  'labeled',
  'unlabeled',
  'ready_for_review',
  'converted_to_draft',
] as const;

export const PullRequestIntentSchema = z.object({
  kind: z.literal('pull_request'),
  ...Common,
  action: z.enum(PullRequestActions),
  pr: PrNumber(),
  headSha: Sha,
  headRef: z.string(),
  baseRef: z.string(),
  /** Full name of the repository the head branch lives in (differs from repo for forks). */
  headRepo: z.nullable(z.string()),
  fork: z.boolean(),
  draft: z.boolean(),
  merged: z.boolean(),
  labels: z.array(z.string()),
  /** The label added or removed by a labeled/unlabeled action. */
  label: z.optional(z.string()),
  author: z.string(),
  title: z.string(),
});
export type PullRequestIntent = z.infer<typeof PullRequestIntentSchema>;

export const CiResultIntentSchema = z.object({
  kind: z.literal('ci_result'),
  ...Common,
  sha: Sha,
  /** Branch the commit was built on, when the source says so (forks and statuses often do not). */
  branch: z.nullable(z.string()),
  result: z.enum(['success', 'failure']),
  source: z.enum(['ci_notification', 'check_suite', 'check_run', 'status', 'workflow_run']),
  /** Image built by CI (CI notifications); otherwise derived from the app's image repository. */
  image: z.nullable(z.string()),
  /** PR numbers the source linked to the commit (empty for forks: keep a head-SHA index instead). */
  prs: z.array(PrNumber()),
  /** Link to the CI run. */
  url: z.nullable(z.string()),
  /** Name of the check or status context that reported. */
  name: z.nullable(z.string()),
  /**
   * Repository the checked code came from, when the source says (`head_repository` of check suites
   * and workflow runs): another repository (a fork), or null for a deleted one, is never a release signal.
   */
  headRepo: z.optional(z.nullable(z.string())),
});
export type CiResultIntent = z.infer<typeof CiResultIntentSchema>;

export const PushIntentSchema = z.object({
  kind: z.literal('push'),
  ...Common,
  branch: z.string(),
  before: z.string(),
  after: z.string(),
  deleted: z.boolean(),
});
export type PushIntent = z.infer<typeof PushIntentSchema>;

export const IntentSchema = z.discriminatedUnion('kind', [
  PullRequestIntentSchema,
  CiResultIntentSchema,
  PushIntentSchema,
]);
export type Intent = z.infer<typeof IntentSchema>;
