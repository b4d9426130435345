import type { DeploymentView } from './deployment-view.ts';

/**
 * "Healthy" while a release bakes: every desired replica available and no container restarts since
 * baking began (restarts climbing means a crash loop the readiness probe may not show).
 */
export function unhealthyReason(
  d: DeploymentView,
  restarts: number,
  restartsBaseline: number | undefined,
): string | null {
  if (d.availableReplicas < d.replicas) return `${d.availableReplicas}/${d.replicas} replicas available`;
  if (restartsBaseline !== undefined && restarts > restartsBaseline) {
    return `container restarts climbing (${restartsBaseline} -> ${restarts})`;
  }
  return null;
}
