import type { GraySchema } from '../../config/release-schema.ts';
import type { DeploymentView } from './deployment-view.ts';
import { imagesOf, rolloutProgress } from './deployment-view.ts';
import { graySplit } from './gray-split.ts';
import { unhealthyReason } from './health-of-deployment.ts';
import type { StepPlan } from './release-plan.ts';
import { pushHistory, type ReleaseRecord, readRelease, releaseAnnotations } from './release-record.ts';
import type { ReleaseTarget } from './release-targets.ts';
import { eventBase, recordChange } from './track-promotion.ts';

type GrayConfig = import('zod').infer<typeof GraySchema>;

export interface GrayInput {
  gray: GrayConfig;
  canary: { target: ReleaseTarget; deployment: DeploymentView; restarts: number };
  stable: { target: ReleaseTarget; deployment: DeploymentView };
}

/**
 * One tick of a gray release: the canary holds the new image on a share of the replicas given by the
 * step's weight (graySplit), the stable Deployment the rest. A step holds for its pause (or until
 * `release promote` when it has none). After the last step, stable takes the new image with all the
 * replicas and the canary goes to zero; stable's own record then finishes like a plain release. A health
 * failure at any point returns every replica to stable (the canary keeps its image at zero replicas).
 */
export function planGray(input: GrayInput, policy: { now: Date; historyLimit: number }): StepPlan {
  const plan: StepPlan = { changes: [], events: [] };
  const { canary, stable, gray } = input;
  const { record, history } = readRelease(canary.deployment.annotations);
  if (!record || (record.state !== 'rolling' && record.state !== 'baking' && record.state !== 'waiting')) return plan;
  const now = policy.now.toISOString();
  const base = eventBase(record);
  const total = record.total ?? canary.deployment.replicas + stable.deployment.replicas;
  const step = record.step ?? 0;
  const where = `${canary.target.name} step ${step + 1}/${gray.steps.length}`;

  const progress = rolloutProgress(canary.deployment);
  const failure =
    progress.failed ??
    (record.state === 'rolling' ? null : unhealthyReason(canary.deployment, canary.restarts, record.restartsBaseline));
  if (failure) {
    // Stable back to full size first; the canary's record is what ends the gray release.
    plan.changes.push(scaleOnly(stable.deployment, total));
    plan.changes.push({
      ...recordChange(
        canary.deployment,
        { ...record, state: 'rolled-back', since: now, reason: failure },
        { history, historyLimit: policy.historyLimit },
      ),
      replicas: 0,
    });
    plan.events.push({
      ...base,
      kind: 'rolled-back',
      where,
      message: `canary failed (${failure}); all ${total} replicas back on stable`,
    });
    return plan;
  }

  // Hold the current step's split: a scale that was lost (or changed by hand) is put back first.
  const split = graySplit(total, gray.steps[step]?.weight ?? 100, gray.maxSurge);
  if (canary.deployment.replicas !== split.canary || stable.deployment.replicas !== split.stable) {
    if (canary.deployment.replicas !== split.canary) plan.changes.push(scaleOnly(canary.deployment, split.canary));
    if (stable.deployment.replicas !== split.stable) plan.changes.push(scaleOnly(stable.deployment, split.stable));
    return plan;
  }
  let next: ReleaseRecord = record;
  if (next.state === 'rolling') {
    if (!progress.done || !rolloutProgress(stable.deployment).done) return plan;
    next = { ...next, state: 'baking', since: now, restartsBaseline: canary.restarts };
  }
  const pause = gray.steps[step]?.pauseMinutes;
  let advance = false;
  if (next.state === 'baking') {
    if (pause === undefined) {
      if (next.gate) advance = true;
      else {
        next = { ...next, state: 'waiting', since: now };
        plan.events.push({ ...base, kind: 'waiting', where, message: `${where} holding; waiting for release promote` });
      }
    } else if (policy.now.getTime() - Date.parse(next.since) >= pause * 60_000) advance = true;
  } else if (next.state === 'waiting' && next.gate) advance = true;

  if (advance && step + 1 < gray.steps.length) {
    const split = graySplit(total, gray.steps[step + 1]?.weight ?? 100, gray.maxSurge);
    next = { ...next, state: 'rolling', since: now, step: step + 1 };
    delete next.gate;
    delete next.restartsBaseline;
    plan.changes.push({
      ...recordChange(canary.deployment, next, { history, historyLimit: policy.historyLimit }),
      replicas: split.canary,
    });
    plan.changes.push(scaleOnly(stable.deployment, split.stable));
    plan.events.push({
      ...base,
      kind: 'promoted',
      where,
      message: `gray step ${step + 2}/${gray.steps.length}: ${split.canary} canary / ${split.stable} stable`,
    });
    return plan;
  }
  if (advance) {
    // Stable first: if the canary's write is lost, the next tick sees stable already carrying the
    // release and only finishes the canary.
    const stableRelease = readRelease(stable.deployment.annotations);
    if (stableRelease.record?.sha !== record.sha) {
      const images = Object.fromEntries(stable.target.containers.map((c) => [c, record.image]));
      const stableRecord: ReleaseRecord = {
        sha: record.sha,
        image: record.image,
        images,
        previousImages: imagesOf(stable.deployment, stable.target.containers),
        at: now,
        eventTime: record.eventTime,
        state: 'rolling',
        since: now,
      };
      if (record.githubDeploymentId !== undefined) stableRecord.githubDeploymentId = record.githubDeploymentId;
      const entry = { sha: record.sha, image: record.image, images, at: now };
      plan.changes.push({
        namespace: stable.deployment.namespace,
        name: stable.deployment.name,
        resourceVersion: stable.deployment.resourceVersion,
        apply: {
          images,
          annotations: releaseAnnotations(stableRecord, pushHistory(stableRelease.history, entry, policy.historyLimit)),
        },
        replicas: total,
      });
    } else if (stable.deployment.replicas !== total) {
      // Stable took the release on an earlier attempt but its scale did not land: finish it.
      plan.changes.push(scaleOnly(stable.deployment, total));
    }
    next = { ...next, state: 'promoted', since: now };
    plan.changes.push({
      ...recordChange(canary.deployment, next, { history, historyLimit: policy.historyLimit }),
      replicas: 0,
    });
    plan.events.push({
      ...base,
      kind: 'promoted',
      where: stable.target.name,
      message: `gray finished: stable takes ${record.image} on ${total} replicas`,
    });
    return plan;
  }
  if (next !== record)
    plan.changes.push(recordChange(canary.deployment, next, { history, historyLimit: policy.historyLimit }));
  return plan;
}

function scaleOnly(d: DeploymentView, replicas: number) {
  return { namespace: d.namespace, name: d.name, resourceVersion: d.resourceVersion, replicas };
}
