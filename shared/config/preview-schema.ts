import * as z from 'zod/mini';
import { previewHostIssues } from '../domain/naming.ts';
import { neverAllowed } from '../domain/preview/template-policy.ts';
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
  /**
   * Host of a preview; placeholders {pr} (required), {app}, {branch}. Labels longer than 63 characters
   * are cut with a stable hash (naming.previewHost).
   */
  host: nonEmpty().check(
    z.superRefine((host: string, ctx) => {
      for (const message of previewHostIssues(host)) ctx.addIssue({ code: 'custom', message });
    }),
  ),
  ttlHours: z._default(z.number().check(z.positive()), 72),
  maxPerApp: z._default(z.int().check(z.positive()), 20),
  drafts: z._default(z.boolean(), false),
  /** When set, only PRs carrying this label get a preview. */
  requireLabel: z.optional(nonEmpty()),
  /** PRs carrying this label never get one (and lose the one they have). */
  skipLabel: z._default(nonEmpty(), 'no-preview'),
  forks: z._default(ForkPolicySchema, { policy: 'deny', label: 'preview-fork-approved' }),
  dns: z.optional(PreviewDnsSchema),
  /**
   * The namespaced kinds templates may bring, each matched exactly on apiVersion and kind (default:
   * DEFAULT_PREVIEW_KINDS). Kinds that reach beyond the namespace (Role, RoleBinding, cluster-scoped
   * kinds...) cannot be allowed. The cluster must grant them too (deploy/kubernetes/opt-in).
   */
  allowedKinds: z.optional(
    z.array(
      z.strictObject({
        apiVersion: nonEmpty(),
        kind: nonEmpty().check(
          z.superRefine((kind: string, ctx) => {
            const never = neverAllowed(kind);
            if (never) ctx.addIssue({ code: 'custom', message: never });
          }),
        ),
      }),
    ),
  ),
  /** Default ResourceQuota hard limits, applied unless the templates bring their own ResourceQuota. */
  quota: z._default(z.record(z.string(), z.string()), { 'requests.cpu': '2', 'requests.memory': '4Gi', pods: '20' }),
  /**
   * Pod Security Standards level the preview namespace enforces (label pod-security.kubernetes.io/enforce,
   * set when the namespace is created; switchyard cannot lower it later).
   */
  podSecurity: z._default(z.enum(['restricted', 'baseline']), 'restricted'),
  /** Wait this long in the worker for a fast rollout before leaving it to rolloutWatcher. */
  waitSeconds: z._default(z.int().check(z.minimum(0), z.maximum(600)), 20),
});
export type PreviewConfig = z.infer<typeof PreviewSchema>;
