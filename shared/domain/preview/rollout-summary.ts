import type { RolloutPhase, RolloutStatus } from '../rollout-status.ts';

export interface DeploymentRollout extends RolloutStatus {
  name: string;
}

/** The rollout of a whole preview: every Deployment in its namespace. */
export interface RolloutSummary {
  phase: RolloutPhase;
  message: string;
  deployments: DeploymentRollout[];
}

/**
 * One verdict for several Deployments: failed if any failed, complete only when all are, otherwise
 * the least advanced phase. A preview without Deployments has nothing to wait for: complete.
 */
export function summarizeRollouts(deployments: readonly DeploymentRollout[]): RolloutSummary {
  const list = [...deployments].sort((a, b) => a.name.localeCompare(b.name));
  const failed = list.find((d) => d.phase === 'failed');
  if (failed) return { phase: 'failed', message: `${failed.name}: ${failed.message}`, deployments: list };
  const waiting = list.find((d) => d.phase === 'pending') ?? list.find((d) => d.phase === 'progressing');
  if (waiting) return { phase: waiting.phase, message: `${waiting.name}: ${waiting.message}`, deployments: list };
  const message =
    list.length === 0
      ? 'no Deployments to roll out'
      : list.map((d) => `${d.name} ${d.available}/${d.desired} available`).join(', ');
  return { phase: 'complete', message, deployments: list };
}
