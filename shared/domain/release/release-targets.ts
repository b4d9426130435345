import type { EnvironmentConfig } from '../../config/release-schema.ts';

export type TargetRole = 'deployment' | 'track' | 'canary' | 'stable';

/** A Deployment an environment releases to, with the containers whose image a release sets. */
export interface ReleaseTarget {
  namespace: string;
  name: string;
  containers: string[];
  role: TargetRole;
  /** Track name (tracks) or the role name (gray). */
  track?: string;
}

/** Every Deployment of the environment, in release order. */
export function environmentTargets(env: EnvironmentConfig): ReleaseTarget[] {
  const out: ReleaseTarget[] = env.deployments.map((d) => ({
    namespace: env.namespace,
    name: d.name,
    containers: d.containers ? [...d.containers] : [d.name],
    role: 'deployment',
  }));
  for (const t of env.tracks ?? []) {
    out.push({
      namespace: env.namespace,
      name: t.deployment,
      containers: t.containers ? [...t.containers] : [t.deployment],
      role: 'track',
      track: t.name,
    });
  }
  if (env.gray) {
    const containers = env.gray.containers;
    out.push({
      namespace: env.namespace,
      name: env.gray.canary,
      containers: containers ? [...containers] : [env.gray.canary],
      role: 'canary',
      track: 'canary',
    });
    out.push({
      namespace: env.namespace,
      name: env.gray.stable,
      containers: containers ? [...containers] : [env.gray.stable],
      role: 'stable',
      track: 'stable',
    });
  }
  return out;
}

/** The Deployments a new release enters: all plain ones, the first track, the gray canary. */
export function entryTargets(env: EnvironmentConfig): ReleaseTarget[] {
  const all = environmentTargets(env);
  const firstTrack = all.find((t) => t.role === 'track');
  return all.filter((t) => t.role === 'deployment' || t === firstTrack || t.role === 'canary');
}

/** A release image for every configured container of the target. */
export function imagesFor(target: ReleaseTarget, image: string): Record<string, string> {
  return Object.fromEntries(target.containers.map((c) => [c, image]));
}
