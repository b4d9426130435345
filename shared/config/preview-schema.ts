import { z } from 'zod';

/** How a pull request from a fork may get a preview. Default deny: a fork's code never runs unasked. */
export const ForkPolicySchema = z
  .object({
    /** `deny`: never; `label`: only while a label applied by someone with write access is on the PR. */
    policy: z.enum(['deny', 'label']).default('deny'),
    label: z.string().min(1).default('preview-fork-approved'),
  })
  .strict();

export const PreviewDnsSchema = z
  .object({
    hostedZoneId: z.string().min(1),
    /** The ingress load balancer the preview host points at (CNAME target). */
    target: z.string().min(1),
    ttl: z.number().int().min(0).max(2147483647).default(60),
  })
  .strict();

export const PreviewSchema = z
  .object({
    enabled: z.boolean().default(true),
    /** Folder of YAML templates (Deployment, Service, Ingress, ConfigMaps...), relative to the config file. */
    templates: z.string().min(1),
    /** Host of a preview; placeholders {pr}, {app}, {branch}. */
    host: z.string().min(1),
    ttlHours: z.number().positive().default(72),
    maxPerApp: z.number().int().positive().default(20),
    drafts: z.boolean().default(false),
    /** When set, only PRs carrying this label get a preview. */
    requireLabel: z.string().min(1).optional(),
    /** PRs carrying this label never get one (and lose the one they have). */
    skipLabel: z.string().min(1).default('no-preview'),
    forks: ForkPolicySchema.default({ policy: 'deny', label: 'preview-fork-approved' }),
    dns: PreviewDnsSchema.optional(),
    /** Default ResourceQuota hard limits, applied unless the templates bring their own ResourceQuota. */
    quota: z.record(z.string(), z.string()).default({ 'requests.cpu': '2', 'requests.memory': '4Gi', pods: '20' }),
    /** Wait this long in the worker for a fast rollout before leaving it to rolloutWatcher. */
    waitSeconds: z.number().int().min(0).max(600).default(20),
  })
  .strict();
export type PreviewConfig = z.infer<typeof PreviewSchema>;
