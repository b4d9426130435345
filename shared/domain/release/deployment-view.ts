import { rolloutStatus } from '../rollout-status.ts';

/**
 * What the release logic knows about a Deployment, in our own terms (the k8s adapter maps
 * V1Deployment to it). Absent status fields are 0: the API server omits zero values (omitempty).
 */
export interface DeploymentCondition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
}

export interface DeploymentView {
  namespace: string;
  name: string;
  resourceVersion: string;
  generation: number;
  observedGeneration: number;
  labels: Readonly<Record<string, string>>;
  annotations: Readonly<Record<string, string>>;
  /** spec.selector.matchLabels: how its pods are found. */
  selector: Readonly<Record<string, string>>;
  /** Labels of the pod template (what a Service selector matches). */
  podLabels: Readonly<Record<string, string>>;
  containers: readonly { name: string; image: string }[];
  /** spec.replicas (defaults to 1 when unset). */
  replicas: number;
  statusReplicas: number;
  updatedReplicas: number;
  readyReplicas: number;
  availableReplicas: number;
  conditions: readonly DeploymentCondition[];
}

export interface RolloutProgress {
  done: boolean;
  /** Set when the rollout failed (ProgressDeadlineExceeded). */
  failed?: string;
  message: string;
}

/** kubectl's rollout status verdict (shared/domain/rollout-status.ts) for our view. */
export function rolloutProgress(d: DeploymentView): RolloutProgress {
  const status = rolloutStatus({
    metadata: { generation: d.generation },
    spec: { replicas: d.replicas },
    status: {
      observedGeneration: d.observedGeneration,
      replicas: d.statusReplicas,
      updatedReplicas: d.updatedReplicas,
      availableReplicas: d.availableReplicas,
      conditions: d.conditions,
    },
  });
  if (status.phase === 'failed') {
    const progressing = d.conditions.find((c) => c.type === 'Progressing');
    return { done: false, failed: progressing?.message ?? status.message, message: status.message };
  }
  return { done: status.done, message: status.message };
}

/** Images of the named containers; a missing container is reported, never guessed. */
export function imagesOf(d: DeploymentView, containers: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of containers) {
    const c = d.containers.find((x) => x.name === name);
    if (c) out[name] = c.image;
  }
  return out;
}
