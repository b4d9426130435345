import * as z from 'zod/mini';
import { DnsLabel, RepoName, SecretRef } from './common.ts';
import { PreviewSchema } from './preview-schema.ts';
import { EnvironmentSchema, ImageRepositoriesSchema } from './release-schema.ts';
import { ShiftSchema } from './shift-schema.ts';
import { nonEmpty } from './zod.ts';

export const ClusterSchema = z
  .strictObject({
    name: DnsLabel,
    /** Path of a kubeconfig file (local sandbox, self-managed clusters). */
    kubeconfig: z.optional(nonEmpty()),
    /** An EKS cluster, reached with a presigned STS token (no kubectl in Lambda). */
    eks: z.optional(z.strictObject({ name: nonEmpty(), region: nonEmpty() })),
  })
  .check(
    z.refine((c) => (c.kubeconfig === undefined) !== (c.eks === undefined), {
      message: 'set exactly one of kubeconfig or eks',
    }),
  );

export const AppSchema = z.strictObject({
  name: DnsLabel,
  repo: RepoName,
  /** Image repository; a release's image is `<image>:<sha>` unless the CI notification names one. */
  image: nonEmpty(),
  /** Other repositories a CI notification's `image` may come from (the `image` repository always may). */
  imageRepositories: z._default(ImageRepositoriesSchema, []),
  cluster: DnsLabel,
  environments: z._default(z.array(EnvironmentSchema), []),
  preview: z.optional(PreviewSchema),
});
export type AppConfig = z.infer<typeof AppSchema>;

export const NotificationSchema = z.strictObject({
  name: DnsLabel,
  type: z.enum(['slack', 'webhook']),
  /** Where the webhook URL is kept (it carries a secret token). */
  url: SecretRef,
});

export const HealthCheckSchema = z.strictObject({
  /** Label selector of the Services to check. */
  selector: z._default(nonEmpty(), 'tier=service'),
  minReadyEndpoints: z._default(z.int().check(z.minimum(0)), 2),
  /** Deployment name of the header-routing proxy, checked in each namespace that has tracks. */
  proxyDeployment: z.optional(nonEmpty()),
  notify: z._default(z.array(DnsLabel), []),
});

const ConfigShape = z.strictObject({
  clusters: z.array(ClusterSchema).check(z.minLength(1)),
  apps: z._default(z.array(AppSchema), []),
  shifts: z._default(z.array(ShiftSchema), []),
  notifications: z._default(z.array(NotificationSchema), []),
  healthCheck: z._default(HealthCheckSchema, { selector: 'tier=service', minReadyEndpoints: 2, notify: [] }),
  /** Status contexts that are never counted as CI (ours are always excluded). */
  ignoreStatusContexts: z._default(z.array(z.string()), []),
});

export const ConfigSchema = ConfigShape.check(
  z.superRefine((config: z.infer<typeof ConfigShape>, ctx) => {
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
    // Two shifts on one name would each replace the other's weights and state record.
    const records = new Map<string, string>();
    config.shifts.forEach((s, i) => {
      if (s.cluster !== undefined && !clusters.has(s.cluster)) {
        ctx.addIssue({ code: 'custom', path: ['shifts', i, 'cluster'], message: `no cluster named "${s.cluster}"` });
      }
      const key = `${s.hostedZoneId}|${s.record.toLowerCase().replace(/\.$/, '')}`;
      const other = records.get(key);
      if (other) {
        ctx.addIssue({
          code: 'custom',
          path: ['shifts', i, 'record'],
          message: `${s.record} is already shifted by "${other}"`,
        });
      }
      records.set(key, s.name);
    });
  }),
);
export type Config = z.infer<typeof ConfigSchema>;

function unique<T>(
  items: T[],
  key: (t: T) => string,
  path: (string | number)[],
  ctx: z.core.$RefinementCtx<unknown>,
): void {
  const seen = new Set<string>();
  items.forEach((item, i) => {
    const k = key(item);
    if (seen.has(k)) ctx.addIssue({ code: 'custom', path: [...path, i, 'name'], message: `duplicate name "${k}"` });
    seen.add(k);
  });
}
