import type { EnvironmentConfig } from '../../config/release-schema.ts';
import { type CompareStatus, releaseOrder } from '../ci/commit-order.ts';
import type { DeploymentView } from './deployment-view.ts';
import { imagesOf } from './deployment-view.ts';
import { graySplit } from './gray-split.ts';
import type { DeploymentChange } from './release-plan.ts';
import { pushHistory, type ReleaseRecord, readRelease, releaseAnnotations } from './release-record.ts';
import { entryTargets, environmentTargets, imagesFor, type ReleaseTarget } from './release-targets.ts';

export interface ReleaseRequest {
  sha: string;
  image: string;
  /** When CI reported (source time): kept in the record for people, never used to order releases. */
  eventTime: string;
  now: Date;
  githubDeploymentId?: number;
  /**
   * GitHub's `compare/{released}...{sha}` status for each SHA released on an entry Deployment: only a
   * descendant (`ahead`) of what runs is deployed. A released SHA missing here is never overtaken.
   */
  relation?: ReadonlyMap<string, CompareStatus | null>;
  /** An operator named this commit (`switchyard release deploy`): order and rollback marks do not apply. */
  force?: boolean;
}

/**
 * What must be known before planning: the SHAs released on the entry Deployments that GitHub must
 * order against the candidate, or why nothing can happen (rolled back, already released, missing).
 */
export type ReleaseGate = { proceed: true; compareWith: string[] } | { proceed: false; reason: string };

export function releaseGate(
  env: EnvironmentConfig,
  current: ReadonlyMap<string, DeploymentView | null>,
  sha: string,
  force = false,
): ReleaseGate {
  const compareWith = new Set<string>();
  let done = 0;
  const targets = entryTargets(env);
  for (const target of targets) {
    const d = current.get(target.name) ?? null;
    if (!d) return { proceed: false, reason: `Deployment ${target.namespace}/${target.name} not found` };
    const { record, history } = readRelease(d.annotations);
    if (!force && history.some((h) => h.sha === sha && h.rolledBack))
      return { proceed: false, reason: rolledBack(sha) };
    if (record?.sha === sha) done++;
    else if (record && record.sha !== '') compareWith.add(record.sha);
  }
  if (done === targets.length) return { proceed: false, reason: `${sha.slice(0, 7)} is already released here` };
  return { proceed: true, compareWith: force ? [] : [...compareWith] };
}

function rolledBack(sha: string): string {
  return `${sha.slice(0, 7)} was rolled back; roll forward with a newer commit, or name it in switchyard release deploy`;
}

export type EnvironmentReleasePlan =
  | { action: 'deploy'; sha: string; image: string; changes: DeploymentChange[] }
  | { action: 'skip'; reason: string };

/**
 * Plans putting `image` on the entry Deployments of one environment (all plain Deployments, the first
 * track, or the gray canary with its first step's replica split). Only the image fields of the configured
 * containers change. A commit that is not a descendant of the release recorded on a Deployment (by Git
 * ancestry, never by arrival time), the same sha again, or a sha that was rolled back changes nothing,
 * unless an operator forces it.
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
  if (request.force) return null;
  if (history.some((h) => h.sha === request.sha && h.rolledBack)) return rolledBack(request.sha);
  if (!record || record.sha === request.sha || record.sha === '') return null;
  const order = releaseOrder(request.relation?.get(record.sha) ?? null, request.sha, record.sha);
  return order.deploy ? null : order.reason;
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
