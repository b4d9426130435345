import type { DeploymentView } from '../domain/release/deployment-view.ts';
import type { DeploymentChange } from '../domain/release/release-plan.ts';

/**
 * What releases need from a Kubernetes cluster, in our own types. The k8s adapter implements it with
 * server-side apply under FIELD_MANAGER (only image fields and our annotations), the scale subresource,
 * and list-then-watch for waits.
 */
export interface ReleaseClusterPort {
  /** The named Deployments of a namespace; null for each one that does not exist. */
  getDeployments(namespace: string, names: readonly string[]): Promise<Map<string, DeploymentView | null>>;
  /**
   * Applies one planned change conditionally on its resourceVersion (ConflictError when the Deployment
   * moved on). Returns the Deployment as stored.
   */
  applyChange(change: DeploymentChange, options?: { dryRun?: boolean }): Promise<DeploymentView>;
  /** Sum of container restart counts over the pods matching the selector. */
  podRestarts(namespace: string, selector: Readonly<Record<string, string>>): Promise<number>;
  /**
   * Lists then watches the named Deployments until `until` says so or `deadline` (epoch ms) passes; an
   * expired resourceVersion relists. Returns the last views seen and whether `until` was met.
   */
  waitForDeployments(
    namespace: string,
    names: readonly string[],
    until: (current: ReadonlyMap<string, DeploymentView>) => boolean,
    deadline: number,
  ): Promise<{ met: boolean; deployments: Map<string, DeploymentView> }>;
}
