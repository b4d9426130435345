import { z } from 'zod';
import { DnsLabel, RepoName, SecretRef } from './common.ts';
import { PreviewSchema } from './preview-schema.ts';
import { EnvironmentSchema } from './release-schema.ts';
import { ShiftSchema } from './shift-schema.ts';

export const ClusterSchema = z
  .object({
    name: DnsLabel,
    /** Path of a kubeconfig file (local sandbox, self-managed clusters). */
    kubeconfig: z.string().min(1).optional(),
    /** An EKS cluster, reached with a presigned STS token (no kubectl in Lambda). */
    eks: z
      .object({ name: z.string().min(1), region: z.string().min(1) })
      .strict()
      .optional(),
  })
  .strict()
  .refine((c) => (c.kubeconfig === undefined) !== (c.eks === undefined), {
    message: 'set exactly one of kubeconfig or eks',
  });

export const AppSchema = z
  .object({
    name: DnsLabel,
    repo: RepoName,
    /** Image repository; a release's image is `<image>:<sha>` unless the CI notification names one. */
    image: z.string().min(1),
    cluster: DnsLabel,
    environments: z.array(EnvironmentSchema).default([]),
    preview: PreviewSchema.optional(),
  })
  .strict();
export type AppConfig = z.infer<typeof AppSchema>;

export const NotificationSchema = z
  .object({
    name: DnsLabel,
    type: z.enum(['slack', 'webhook']),
    /** Where the webhook URL is kept (it carries a secret token). */
    url: SecretRef,
  })
  .strict();

export const HealthCheckSchema = z
  .object({
    /** Label selector of the Services to check. */
    selector: z.string().min(1).default('tier=service'),
    minReadyEndpoints: z.number().int().min(0).default(2),
    /** Deployment name of the header-routing proxy, checked in each namespace that has tracks. */
    proxyDeployment: z.string().min(1).optional(),
    notify: z.array(DnsLabel).default([]),
  })
  .strict();

export const ConfigSchema = z
  .object({
    clusters: z.array(ClusterSchema).min(1),
    apps: z.array(AppSchema).default([]),
    shifts: z.array(ShiftSchema).default([]),
    notifications: z.array(NotificationSchema).default([]),
    healthCheck: HealthCheckSchema.default({ selector: 'tier=service', minReadyEndpoints: 2, notify: [] }),
    /** Status contexts that are never counted as CI (ours are always excluded). */
    ignoreStatusContexts: z.array(z.string()).default([]),
  })
  .strict()
  .superRefine((config, ctx) => {
    const clusters = new Set(config.clusters.map((c) => c.name));
    const notifications = new Set(config.notifications.map((n) => n.name));
    unique(config.clusters, (c) => c.name, ['clusters'], ctx);
    unique(config.apps, (a) => a.name, ['apps'], ctx);
    unique(config.shifts, (s) => s.name, ['shifts'], ctx);
    config.apps.forEach((app, i) => {
      if (!clusters.has(app.cluster)) {
        ctx.addIssue({ code: 'custom', path: ['apps', i, 'cluster'], message: `no cluster named "${app.cluster}"` });
      }
      unique(app.environments, (e) => e.name, ['apps', i, 'environments'], ctx);
      app.environments.forEach((env, j) => {
        if (env.deployments.length === 0 && !env.tracks && !env.gray) {
          ctx.addIssue({
            code: 'custom',
            path: ['apps', i, 'environments', j],
            message: 'declare deployments, tracks or gray (nothing would be deployed)',
          });
        }
      });
    });
    config.healthCheck.notify.forEach((n, i) => {
      if (!notifications.has(n)) {
        ctx.addIssue({ code: 'custom', path: ['healthCheck', 'notify', i], message: `no notification named "${n}"` });
      }
    });
    config.shifts.forEach((s, i) => {
      if (s.cluster !== undefined && !clusters.has(s.cluster)) {
        ctx.addIssue({ code: 'custom', path: ['shifts', i, 'cluster'], message: `no cluster named "${s.cluster}"` });
      }
    });
  });

export type Config = z.infer<typeof ConfigSchema>;

function unique<T>(items: T[], key: (t: T) => string, path: (string | number)[], ctx: z.RefinementCtx): void {
  const seen = new Set<string>();
  items.forEach((item, i) => {
    const k = key(item);
    if (seen.has(k)) ctx.addIssue({ code: 'custom', path: [...path, i, 'name'], message: `duplicate name "${k}"` });
    seen.add(k);
  });
}
