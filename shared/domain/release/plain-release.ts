import type { DeploymentView } from './deployment-view.ts';
import { rolloutProgress } from './deployment-view.ts';
import type { StepPlan } from './release-plan.ts';
import { markRolledBack, readRelease } from './release-record.ts';
import { eventBase, recordChange } from './track-promotion.ts';

/**
 * One tick of a plain release (every Deployment of the environment at once, a gray release's stable
 * after its last step, or a rollback): rolling -> released when the rollout is done; a failed rollout
 * (ProgressDeadlineExceeded) -> failed, or rolled back onto the previous images when autoRollback is on
 * and the release is not itself a rollback (so a bad rollback never loops).
 */
export function planPlain(
  deployments: readonly DeploymentView[],
  policy: { now: Date; autoRollback: boolean; historyLimit: number },
): StepPlan {
  const plan: StepPlan = { changes: [], events: [] };
  const now = policy.now.toISOString();
  for (const d of deployments) {
    const { record, history } = readRelease(d.annotations);
    if (record?.state !== 'rolling') continue;
    const progress = rolloutProgress(d);
    const base = eventBase(record);
    if (progress.failed) {
      if (policy.autoRollback && !record.rollbackOf) {
        plan.changes.push(
          recordChange(
            d,
            { ...record, state: 'rolled-back', since: now, reason: progress.failed },
            {
              history: markRolledBack(history, record.sha),
              historyLimit: policy.historyLimit,
              images: record.previousImages,
            },
          ),
        );
        plan.events.push({
          ...base,
          kind: 'rolled-back',
          where: d.name,
          message: `${d.name} failed (${progress.failed}); rolled back to the previous image`,
        });
      } else {
        plan.changes.push(
          recordChange(
            d,
            { ...record, state: 'failed', since: now, reason: progress.failed },
            { history, historyLimit: policy.historyLimit },
          ),
        );
        plan.events.push({ ...base, kind: 'failed', where: d.name, message: `${d.name} failed: ${progress.failed}` });
      }
    } else if (progress.done) {
      plan.changes.push(
        recordChange(d, { ...record, state: 'released', since: now }, { history, historyLimit: policy.historyLimit }),
      );
      plan.events.push({
        ...base,
        kind: 'released',
        where: d.name,
        message: record.rollbackOf
          ? `${d.name} rolled back to ${record.sha.slice(0, 7) || 'the previous image'}`
          : `${d.name} rolled out`,
      });
    }
  }
  return plan;
}
