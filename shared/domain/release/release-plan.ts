/**
 * Plans are plain data: the use case logs them, applies them through the release port, or returns them
 * on a dry run.
 */

/** One write to one Deployment, conditional on the resourceVersion it was planned from. */
export interface DeploymentChange {
  namespace: string;
  name: string;
  /** The write fails with a ConflictError when the Deployment changed since it was read. */
  resourceVersion: string;
  /**
   * Server-side apply of only these fields. `annotations` is always the complete set of switchyard's
   * release annotations: apply removes the keys our field manager owned and left out.
   */
  apply?: { images: Record<string, string>; annotations: Record<string, string> };
  /** New spec.replicas (gray releases), written through the scale subresource, not by apply. */
  replicas?: number;
}

export type ReleaseEventKind = 'started' | 'promoted' | 'waiting' | 'released' | 'failed' | 'rolled-back';

/** Something worth telling GitHub and the log about. */
export interface ReleaseEvent {
  kind: ReleaseEventKind;
  sha: string;
  /** Track or Deployment the event is about. */
  where: string;
  message: string;
  githubDeploymentId?: number;
}

export interface StepPlan {
  changes: DeploymentChange[];
  events: ReleaseEvent[];
}

export const emptyStep = (): StepPlan => ({ changes: [], events: [] });
