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

/**
 * kubectl's DeploymentStatusViewer order (k8s.io/kubectl rollout_status.go), on our view so the planners
 * stay free of client types.
 */
export function rolloutProgress(d: DeploymentView): RolloutProgress {
  if (d.observedGeneration < d.generation) return { done: false, message: 'spec update not observed yet' };
  const progressing = d.conditions.find((c) => c.type === 'Progressing');
  if (progressing?.reason === 'ProgressDeadlineExceeded') {
    return { done: false, failed: progressing.message ?? 'progress deadline exceeded', message: 'failed' };
  }
  if (d.updatedReplicas < d.replicas) return { done: false, message: `${d.updatedReplicas}/${d.replicas} updated` };
  if (d.statusReplicas > d.updatedReplicas) {
    return { done: false, message: `${d.statusReplicas - d.updatedReplicas} old replicas pending termination` };
  }
  if (d.availableReplicas < d.updatedReplicas) {
    return { done: false, message: `${d.availableReplicas}/${d.updatedReplicas} available` };
  }
  return { done: true, message: 'successfully rolled out' };
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
