import type { DeploymentView } from './deployment-view.ts';
import { imagesOf, rolloutProgress } from './deployment-view.ts';
import { unhealthyReason } from './health-of-deployment.ts';
import type { DeploymentChange, ReleaseEvent, StepPlan } from './release-plan.ts';
import { markRolledBack, pushHistory, type ReleaseRecord, readRelease, releaseAnnotations } from './release-record.ts';
import { imagesFor, type ReleaseTarget } from './release-targets.ts';

export interface TrackInput {
  target: ReleaseTarget;
  deployment: DeploymentView;
  /** Sum of container restarts over the track's pods now. */
  restarts: number;
  bakeMinutes: number;
  manualGate: boolean;
}

export interface TrackPolicy {
  autoRollback: boolean;
  historyLimit: number;
  now: Date;
}

/**
 * One tick of a staged canary (internal -> free -> paid -> production). The release is the one recorded
 * on the first track; it has reached every track whose record carries its sha. Failure is judged first
 * and in every state, waiting ones included (flagger#1268, flagger#1801): a failed track stops the
 * release and, with autoRollback, puts every track it reached back on that track's previous images.
 * Otherwise the current track moves rolling -> baking (rollout done) -> waiting (manual gate) -> promoted,
 * and the next track gets the image; the last track ends `released`.
 */
export function planTracks(tracks: readonly TrackInput[], policy: TrackPolicy): StepPlan {
  const plan: StepPlan = { changes: [], events: [] };
  const first = tracks[0];
  if (!first) return plan;
  const release = readRelease(first.deployment.annotations).record;
  if (!release || release.state === 'failed' || release.state === 'rolled-back') return plan;
  const reached: { input: TrackInput; record: ReleaseRecord; history: ReturnType<typeof readRelease>['history'] }[] =
    [];
  for (const input of tracks) {
    const { record, history } = readRelease(input.deployment.annotations);
    if (!record || record.sha !== release.sha || Date.parse(record.at) < Date.parse(release.at)) break;
    reached.push({ input, record, history });
  }
  const current = reached.at(-1);
  if (!current) return plan;
  const { input, record } = current;
  const now = policy.now.toISOString();
  const where = input.target.track ?? input.target.name;
  const base = eventBase(record);

  // A track already marked failed or rolled back means an earlier tick began stopping the release and
  // some of its writes were lost: finish the job.
  const stopped = reached.find((r) => r.record.state === 'failed' || r.record.state === 'rolled-back');
  const failure = stopped ? (stopped.record.reason ?? 'release stopped') : failureOf(input, record);
  if (failure) {
    if (policy.autoRollback && !record.rollbackOf) {
      // The track that failed first, the first track last: until the first track says rolled-back,
      // the next tick still sees the release and completes whatever was lost.
      for (const r of [...reached].reverse()) {
        if (r.record.state === 'rolled-back') continue;
        plan.changes.push(
          recordChange(
            r.input.deployment,
            { ...r.record, state: 'rolled-back', since: now, reason: failure },
            {
              history: markRolledBack(r.history, r.record.sha),
              images: r.record.previousImages,
              historyLimit: policy.historyLimit,
            },
          ),
        );
      }
      plan.events.push({
        ...base,
        kind: 'rolled-back',
        where,
        message: `${where} failed (${failure}); rolled back ${reached.map((r) => r.input.target.track).join(', ')}`,
      });
    } else {
      // The failing track and the first one (which is what marks the release stopped), first track last.
      const lead = reached[0];
      for (const r of current === lead ? [current] : [current, lead]) {
        if (!r || r.record.state === 'failed') continue;
        plan.changes.push(
          recordChange(
            r.input.deployment,
            { ...r.record, state: 'failed', since: now, reason: failure },
            { history: r.history, historyLimit: policy.historyLimit },
          ),
        );
      }
      plan.events.push({ ...base, kind: 'failed', where, message: `${where} failed: ${failure}; release stopped` });
    }
    return plan;
  }

  // A track the release already left but whose "promoted" write was lost (it raced a status write):
  // finish that bookkeeping now.
  for (const r of reached.slice(0, -1)) {
    if (r.record.state !== 'promoted') {
      plan.changes.push(
        recordChange(
          r.input.deployment,
          { ...r.record, state: 'promoted', since: now },
          {
            history: r.history,
            historyLimit: policy.historyLimit,
          },
        ),
      );
    }
  }
  let next: ReleaseRecord = record;
  if (next.state === 'rolling') {
    if (!rolloutProgress(input.deployment).done) return plan;
    next = { ...next, state: 'baking', since: now, restartsBaseline: input.restarts };
  }
  if (next.state === 'baking') {
    const baked = policy.now.getTime() - Date.parse(next.since) >= input.bakeMinutes * 60_000;
    if (baked && input.manualGate && !next.gate) {
      next = { ...next, state: 'waiting', since: now };
      plan.events.push({ ...base, kind: 'waiting', where, message: `${where} baked; waiting for release promote` });
    } else if (baked) {
      next = promoteOrFinish(next, now, reached.length === tracks.length);
    }
  } else if (next.state === 'waiting' && next.gate) {
    next = promoteOrFinish(next, now, reached.length === tracks.length);
  }
  if (next === record) return plan;
  const following = next.state === 'promoted' ? tracks[reached.length] : undefined;
  if (following) {
    // The next track first: if the second write is lost, the release has still moved on (it is on
    // the last track its sha entered) and the next tick carries on from there.
    plan.changes.push(enterTrack(following, release, now, policy.historyLimit));
    const to = following.target.track ?? following.target.name;
    plan.events.push({ ...base, kind: 'promoted', where: to, message: `promoted from ${where} to ${to}` });
  }
  plan.changes.push(
    recordChange(input.deployment, next, { history: current.history, historyLimit: policy.historyLimit }),
  );
  if (next.state === 'released') {
    plan.events.push({ ...base, kind: 'released', where, message: `released through ${where}` });
  }
  return plan;
}

function promoteOrFinish(record: ReleaseRecord, now: string, last: boolean): ReleaseRecord {
  return { ...record, state: last ? 'released' : 'promoted', since: now };
}

function failureOf(input: TrackInput, record: ReleaseRecord): string | null {
  const progress = rolloutProgress(input.deployment);
  if (progress.failed) return progress.failed;
  if (record.state === 'baking' || record.state === 'waiting') {
    return unhealthyReason(input.deployment, input.restarts, record.restartsBaseline);
  }
  return null;
}

function enterTrack(input: TrackInput, release: ReleaseRecord, now: string, historyLimit: number): DeploymentChange {
  const { history } = readRelease(input.deployment.annotations);
  const images = imagesFor(input.target, release.image);
  const previousImages: Record<string, string> = {};
  for (const c of input.target.containers) {
    const found = input.deployment.containers.find((x) => x.name === c);
    if (found) previousImages[c] = found.image;
  }
  const record: ReleaseRecord = {
    sha: release.sha,
    image: release.image,
    images,
    previousImages,
    at: now,
    eventTime: release.eventTime,
    state: 'rolling',
    since: now,
  };
  if (release.githubDeploymentId !== undefined) record.githubDeploymentId = release.githubDeploymentId;
  const entry = { sha: release.sha, image: release.image, images, at: now };
  return {
    namespace: input.deployment.namespace,
    name: input.deployment.name,
    resourceVersion: input.deployment.resourceVersion,
    apply: { images, annotations: releaseAnnotations(record, pushHistory(history, entry, historyLimit)) },
  };
}

/** Rewrites a Deployment's release annotations (and images, when given), conditional on its version. */
export function recordChange(
  d: DeploymentView,
  record: ReleaseRecord,
  opts: { history: ReturnType<typeof readRelease>['history']; historyLimit: number; images?: Record<string, string> },
): DeploymentChange {
  return {
    namespace: d.namespace,
    name: d.name,
    resourceVersion: d.resourceVersion,
    apply: {
      // Apply always restates the images we manage: leaving an owned field out would delete it.
      images: opts.images ?? imagesOf(d, Object.keys(record.images)),
      annotations: releaseAnnotations(record, opts.history.slice(0, Math.max(1, opts.historyLimit))),
    },
  };
}

function eventBase(record: ReleaseRecord): Pick<ReleaseEvent, 'sha' | 'githubDeploymentId'> {
  return record.githubDeploymentId === undefined
    ? { sha: record.sha }
    : { sha: record.sha, githubDeploymentId: record.githubDeploymentId };
}

export { eventBase };
