import * as z from 'zod/mini';
import { DnsLabel, NonEmptyStrings } from './common.ts';
import { nonEmpty } from './zod.ts';

/** A Deployment we update on release, and which of its containers take the new image. */
export const DeploymentTargetSchema = z.strictObject({
  name: DnsLabel,
  /** Containers to update; default: the container named like the Deployment. */
  containers: z.optional(NonEmptyStrings()),
});

/** One stage of a staged canary: its own Deployment behind a header-routing proxy. */
export const TrackSchema = z.strictObject({
  name: DnsLabel,
  deployment: DnsLabel,
  containers: z.optional(NonEmptyStrings()),
  /** Minutes the track must stay healthy before the release moves on. */
  bakeMinutes: z._default(z.number().check(z.minimum(0)), 0),
  /** A person must run `switchyard release promote` before the release leaves this track. */
  manualGate: z._default(z.boolean(), false),
});

export const GrayStepSchema = z.strictObject({
  /** Percent of replicas on the canary. */
  weight: z.int().check(z.minimum(0), z.maximum(100)),
  /** Minutes to hold this step before the next (absent: wait for `switchyard release promote`). */
  pauseMinutes: z.optional(z.number().check(z.minimum(0))),
});

export const GraySchema = z.strictObject({
  canary: DnsLabel,
  stable: DnsLabel,
  containers: z.optional(NonEmptyStrings()),
  steps: z.array(GrayStepSchema).check(z.minLength(1)),
  /** Extra pods allowed above the total during a step (Argo's maxSurge): 0 keeps the total fixed. */
  maxSurge: z._default(z.int().check(z.minimum(0)), 0),
});

const EnvironmentShape = z.strictObject({
  name: DnsLabel,
  /** The branch whose tested merges deploy here. */
  branch: nonEmpty(),
  namespace: DnsLabel,
  /** Marks the GitHub deployment as a production environment. */
  production: z._default(z.boolean(), false),
  deployments: z._default(z.array(DeploymentTargetSchema), []),
  tracks: z.optional(z.array(TrackSchema)),
  gray: z.optional(GraySchema),
  /** Roll back to the previous image after a failed rollout (ProgressDeadlineExceeded or a failed track). */
  autoRollback: z._default(z.boolean(), true),
  /** Number of past releases kept on the Deployment for rollback. */
  historyLimit: z._default(z.int().check(z.minimum(1), z.maximum(20)), 10),
  /**
   * Check run names, status contexts or workflow names that must all succeed on a commit before it is
   * released here. Absent: the branch's required status checks (branch protection and rulesets), else
   * every check run and status on the commit (docs/releases.md).
   */
  requiredChecks: z.optional(z.array(nonEmpty()).check(z.minLength(1))),
});

export const EnvironmentSchema = EnvironmentShape.check(
  z.superRefine((env: z.infer<typeof EnvironmentShape>, ctx) => {
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
  }),
);
export type EnvironmentConfig = z.infer<typeof EnvironmentSchema>;

/**
 * Image repositories a CI notification may name besides the app's `image` (a mirror, another registry).
 * Repositories only: a tag or digest here would allow one image, not a repository.
 */
export const ImageRepositoriesSchema = z.array(
  nonEmpty().check(
    z.refine((r: string) => !/[@]/.test(r) && !/:[^/]*$/.test(r.replace(/^[^/]*:\d+\//, '')), {
      message: 'must be an image repository without a tag or digest',
    }),
  ),
);
