/**
 * `kubectl rollout status` for a Deployment, as a pure function. The checks and their order follow
 * kubectl's DeploymentStatusViewer (k8s.io/kubectl pkg/polymorphichelpers/rollout_status.go), so what we
 * report matches what an operator sees with kubectl.
 */

/** The parts of an apps/v1 Deployment the verdict depends on (absent fields count as 0: omitempty). */
export interface DeploymentLike {
  metadata?: { generation?: number | undefined } | undefined;
  spec?: { replicas?: number | undefined } | undefined;
  status?:
    | {
        observedGeneration?: number | undefined;
        replicas?: number | undefined;
        updatedReplicas?: number | undefined;
        availableReplicas?: number | undefined;
        conditions?:
          | readonly { type: string; status?: string; reason?: string | undefined; message?: string | undefined }[]
          | undefined;
      }
    | undefined;
}

export type RolloutPhase = 'pending' | 'progressing' | 'complete' | 'failed';

export interface RolloutStatus {
  phase: RolloutPhase;
  /** True once the rollout finished successfully. */
  done: boolean;
  /** kubectl's wording, for statuses and logs. */
  message: string;
  desired: number;
  updated: number;
  available: number;
}

export function rolloutStatus(deployment: DeploymentLike): RolloutStatus {
  const s = deployment.status ?? {};
  // kubectl defaults an absent spec.replicas to 1, as the API server does.
  const desired = deployment.spec?.replicas ?? 1;
  const updated = s.updatedReplicas ?? 0;
  const total = s.replicas ?? 0;
  const available = s.availableReplicas ?? 0;
  const counts = { desired, updated, available };
  const generation = deployment.metadata?.generation ?? 0;
  if ((s.observedGeneration ?? 0) < generation) {
    return {
      phase: 'pending',
      done: false,
      message: 'Waiting for deployment spec update to be observed...',
      ...counts,
    };
  }
  const progressing = s.conditions?.find((c) => c.type === 'Progressing');
  if (progressing?.reason === 'ProgressDeadlineExceeded') {
    return {
      phase: 'failed',
      done: false,
      message: `deployment exceeded its progress deadline${progressing.message ? `: ${progressing.message}` : ''}`,
      ...counts,
    };
  }
  if (updated < desired) {
    return {
      phase: 'progressing',
      done: false,
      message: `Waiting for deployment rollout to finish: ${updated} out of ${desired} new replicas have been updated...`,
      ...counts,
    };
  }
  if (total > updated) {
    return {
      phase: 'progressing',
      done: false,
      message: `Waiting for deployment rollout to finish: ${total - updated} old replicas are pending termination...`,
      ...counts,
    };
  }
  if (available < updated) {
    return {
      phase: 'progressing',
      done: false,
      message: `Waiting for deployment rollout to finish: ${available} of ${updated} updated replicas are available...`,
      ...counts,
    };
  }
  return { phase: 'complete', done: true, message: 'successfully rolled out', ...counts };
}
