import * as z from 'zod/mini';
import { nonEmpty } from './zod.ts';

/** How a pull request from a fork may get a preview. Default deny: a fork's code never runs unasked. */
export const ForkPolicySchema = z.strictObject({
  /** `deny`: never; `label`: only while a label applied by someone with write access is on the PR. */
  policy: z._default(z.enum(['deny', 'label']), 'deny'),
  label: z._default(nonEmpty(), 'preview-fork-approved'),
});

export const PreviewDnsSchema = z.strictObject({
  hostedZoneId: nonEmpty(),
  /** The ingress load balancer the preview host points at (CNAME target). */
  target: nonEmpty(),
  ttl: z._default(z.int().check(z.minimum(0), z.maximum(2147483647)), 60),
});

export const PreviewSchema = z.strictObject({
  enabled: z._default(z.boolean(), true),
  /** Folder of YAML templates (Deployment, Service, Ingress, ConfigMaps...), relative to the config file. */
  templates: nonEmpty(),
  /** Host of a preview; placeholders {pr}, {app}, {branch}. */
  host: nonEmpty(),
  ttlHours: z._default(z.number().check(z.positive()), 72),
  maxPerApp: z._default(z.int().check(z.positive()), 20),
  drafts: z._default(z.boolean(), false),
  /** When set, only PRs carrying this label get a preview. */
  requireLabel: z.optional(nonEmpty()),
  /** PRs carrying this label never get one (and lose the one they have). */
  skipLabel: z._default(nonEmpty(), 'no-preview'),
  forks: z._default(ForkPolicySchema, { policy: 'deny', label: 'preview-fork-approved' }),
  dns: z.optional(PreviewDnsSchema),
  /** Default ResourceQuota hard limits, applied unless the templates bring their own ResourceQuota. */
  quota: z._default(z.record(z.string(), z.string()), { 'requests.cpu': '2', 'requests.memory': '4Gi', pods: '20' }),
  /** Wait this long in the worker for a fast rollout before leaving it to rolloutWatcher. */
  waitSeconds: z._default(z.int().check(z.minimum(0), z.maximum(600)), 20),
});
export type PreviewConfig = z.infer<typeof PreviewSchema>;
