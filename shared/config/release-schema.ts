import { z } from 'zod';
import { DnsLabel } from './common.ts';

/** A Deployment we update on release, and which of its containers take the new image. */
export const DeploymentTargetSchema = z
  .object({
    name: DnsLabel,
    /** Containers to update; default: the container named like the Deployment. */
    containers: z.array(z.string().min(1)).min(1).optional(),
  })
  .strict();

/** One stage of a staged canary: its own Deployment behind a header-routing proxy. */
export const TrackSchema = z
  .object({
    name: DnsLabel,
    deployment: DnsLabel,
    containers: z.array(z.string().min(1)).min(1).optional(),
    /** Minutes the track must stay healthy before the release moves on. */
    bakeMinutes: z.number().min(0).default(0),
    /** A person must run `switchyard release promote` before the release leaves this track. */
    manualGate: z.boolean().default(false),
  })
  .strict();

export const GrayStepSchema = z
  .object({
    /** Percent of replicas on the canary. */
    weight: z.number().int().min(0).max(100),
    /** Minutes to hold this step before the next (absent: wait for `switchyard release promote`). */
    pauseMinutes: z.number().min(0).optional(),
  })
  .strict();

export const GraySchema = z
  .object({
    canary: DnsLabel,
    stable: DnsLabel,
    containers: z.array(z.string().min(1)).min(1).optional(),
    steps: z.array(GrayStepSchema).min(1),
    /** Extra pods allowed above the total during a step (Argo's maxSurge): 0 keeps the total fixed. */
    maxSurge: z.number().int().min(0).default(0),
  })
  .strict();

export const EnvironmentSchema = z
  .object({
    name: DnsLabel,
    /** The branch whose tested merges deploy here. */
    branch: z.string().min(1),
    namespace: DnsLabel,
    /** Marks the GitHub deployment as a production environment. */
    production: z.boolean().default(false),
    deployments: z.array(DeploymentTargetSchema).default([]),
    tracks: z.array(TrackSchema).optional(),
    gray: GraySchema.optional(),
    /** Roll back to the previous image after a failed rollout (ProgressDeadlineExceeded or a failed track). */
    autoRollback: z.boolean().default(true),
    /** Number of past releases kept on the Deployment for rollback. */
    historyLimit: z.number().int().min(1).max(20).default(10),
  })
  .strict()
  .superRefine((env, ctx) => {
    // A Deployment belongs to one role: a release enters plain Deployments, the first track or the gray
    // canary, and the watcher would otherwise drive one Deployment by two state machines.
    if (env.tracks && env.tracks.length > 0 && env.gray) {
      ctx.addIssue({ code: 'custom', path: ['gray'], message: 'declare tracks or gray, not both' });
    }
    const seen = new Map<string, string>();
    const claim = (name: string, path: (string | number)[]): void => {
      const other = seen.get(name);
      if (other) {
        ctx.addIssue({ code: 'custom', path, message: `Deployment "${name}" is already used by ${other}` });
        return;
      }
      seen.set(name, path.join('.'));
    };
    for (const [i, d] of env.deployments.entries()) claim(d.name, ['deployments', i, 'name']);
    for (const [i, t] of (env.tracks ?? []).entries()) claim(t.deployment, ['tracks', i, 'deployment']);
    const names = new Set<string>();
    env.tracks?.forEach((t, i) => {
      if (names.has(t.name))
        ctx.addIssue({ code: 'custom', path: ['tracks', i, 'name'], message: `duplicate track "${t.name}"` });
      names.add(t.name);
    });
    if (env.gray) {
      claim(env.gray.canary, ['gray', 'canary']);
      claim(env.gray.stable, ['gray', 'stable']);
    }
  });
export type EnvironmentConfig = z.infer<typeof EnvironmentSchema>;
