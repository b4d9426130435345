import type { EnvironmentConfig } from '../../config/release-schema.ts';
import type { DeploymentView } from './deployment-view.ts';
import { imagesOf } from './deployment-view.ts';
import { graySplit } from './gray-split.ts';
import type { DeploymentChange } from './release-plan.ts';
import { pushHistory, type ReleaseRecord, readRelease, releaseAnnotations } from './release-record.ts';
import { entryTargets, environmentTargets, imagesFor, type ReleaseTarget } from './release-targets.ts';

export interface ReleaseRequest {
  sha: string;
  image: string;
  /** When CI reported (source time): orders notifications that arrive out of order. */
  eventTime: string;
  now: Date;
  githubDeploymentId?: number;
}

export type EnvironmentReleasePlan =
  | { action: 'deploy'; sha: string; image: string; changes: DeploymentChange[] }
  | { action: 'skip'; reason: string };

/**
 * Plans putting `image` on the entry Deployments of one environment (all plain Deployments, the first
 * track, or the gray canary with its first step's replica split). Only the image fields of the configured
 * containers change. A notification older than the release recorded on a Deployment, the same sha again,
 * or a sha that was rolled back changes nothing.
 */
export function planRelease(
  env: EnvironmentConfig,
  current: ReadonlyMap<string, DeploymentView | null>,
  request: ReleaseRequest,
): EnvironmentReleasePlan {
  const targets = entryTargets(env);
  const changes: DeploymentChange[] = [];
  const done: string[] = [];
  for (const target of targets) {
    const d = current.get(target.name) ?? null;
    if (!d) return { action: 'skip', reason: `Deployment ${target.namespace}/${target.name} not found` };
    const missing = target.containers.filter((c) => !d.containers.some((x) => x.name === c));
    if (missing.length > 0) {
      return {
        action: 'skip',
        reason: `Deployment ${target.namespace}/${target.name} has no container ${missing.join(', ')}; set containers in the environment config`,
      };
    }
    const { record, history } = readRelease(d.annotations);
    const stale = staleReason(record, history, request);
    if (stale) return { action: 'skip', reason: `${target.name}: ${stale}` };
    // Already there (a retry after a partly applied plan, or a duplicate notification): nothing to do
    // for this Deployment, the others still get it.
    if (record?.sha === request.sha) {
      done.push(target.name);
      continue;
    }
    changes.push(...entryChanges(env, target, d, current, request, record, history));
  }
  if (changes.length === 0) {
    return { action: 'skip', reason: `${request.sha.slice(0, 7)} is already released here (${done.join(', ')})` };
  }
  return { action: 'deploy', sha: request.sha, image: request.image, changes };
}

function staleReason(
  record: ReleaseRecord | null,
  history: ReturnType<typeof readRelease>['history'],
  request: ReleaseRequest,
): string | null {
  if (history.some((h) => h.sha === request.sha && h.rolledBack)) {
    return `${request.sha.slice(0, 7)} was rolled back; roll forward with a newer commit or name it in a rollback`;
  }
  if (!record || record.sha === request.sha) return null;
  if (Date.parse(request.eventTime) < Date.parse(record.eventTime)) {
    return `notification for ${request.sha.slice(0, 7)} (${request.eventTime}) is older than the release of ${record.sha.slice(0, 7)} (${record.eventTime})`;
  }
  return null;
}

function entryChanges(
  env: EnvironmentConfig,
  target: ReleaseTarget,
  d: DeploymentView,
  current: ReadonlyMap<string, DeploymentView | null>,
  request: ReleaseRequest,
  record: ReleaseRecord | null,
  history: ReturnType<typeof readRelease>['history'],
): DeploymentChange[] {
  const now = request.now.toISOString();
  const images = imagesFor(target, request.image);
  const next: ReleaseRecord = {
    sha: request.sha,
    image: request.image,
    images,
    previousImages: imagesOf(d, target.containers),
    at: now,
    eventTime: request.eventTime,
    state: 'rolling',
    since: now,
  };
  if (request.githubDeploymentId !== undefined) next.githubDeploymentId = request.githubDeploymentId;
  const change: DeploymentChange = { namespace: d.namespace, name: d.name, resourceVersion: d.resourceVersion };
  const out = [change];
  if (target.role === 'canary' && env.gray) {
    // A new version mid-canary restarts the plan from step 0 (argo-rollouts#1690); the split is always
    // over the replicas both Deployments held together before the release.
    const stableTarget = environmentTargets(env).find((t) => t.role === 'stable');
    const stable = stableTarget ? (current.get(stableTarget.name) ?? null) : null;
    const total = record?.total ?? d.replicas + (stable?.replicas ?? 0);
    const split = graySplit(total, env.gray.steps[0]?.weight ?? 100, env.gray.maxSurge);
    next.step = 0;
    next.total = total;
    if (record?.state === 'rolling' || record?.state === 'baking' || record?.state === 'waiting') {
      // Restarting mid-canary: the canary's "previous" is what it ran before that canary began.
      next.previousImages = record.previousImages;
    }
    change.replicas = split.canary;
    if (stable)
      out.push({
        namespace: stable.namespace,
        name: stable.name,
        resourceVersion: stable.resourceVersion,
        replicas: split.stable,
      });
  }
  const entry = { sha: request.sha, image: request.image, images, at: now };
  change.apply = { images, annotations: releaseAnnotations(next, pushHistory(history, entry, env.historyLimit)) };
  return out;
}
