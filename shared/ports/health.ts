import type { DeploymentView } from '../domain/release/deployment-view.ts';
import type { EndpointSliceView, ServiceView } from '../domain/release/fleet-health.ts';
import type { HealthState } from '../domain/release/health-alerts.ts';

/** What the fleet health check reads from (and keeps in) a cluster: a few list calls per run. */
export interface HealthClusterPort {
  /** Services matching the label selector, in every namespace, each with its stored alert state. */
  listServices(labelSelector: string): Promise<ServiceView[]>;
  /** Deployments of the given namespaces. */
  listDeployments(namespaces: readonly string[]): Promise<DeploymentView[]>;
  /** EndpointSlices of the given namespaces. */
  listEndpointSlices(namespaces: readonly string[]): Promise<EndpointSliceView[]>;
  /**
   * Stores the alert state of the Service, conditional on the version it was read at
   * (`service.alertState.version`; none: nothing stored yet). ConflictError when another run got there
   * first: that run sends the alert. `null` clears it. Returns the new version.
   */
  writeHealthState(service: ServiceView, state: HealthState | null): Promise<string>;
  /**
   * Deletes the stored alert state of Services that are gone (not in `current`, the Services just
   * listed), so state does not pile up; each delete is conditional on the version read. Returns how
   * many were deleted.
   */
  forgetHealthStates(current: readonly ServiceView[]): Promise<number>;
}
