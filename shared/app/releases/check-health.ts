import { evaluateFleet, type ServiceHealth } from '../../domain/release/fleet-health.ts';
import { type AlertKind, formatAlert, healthTransition, parseHealthState } from '../../domain/release/health-alerts.ts';
import { ConflictError } from '../../errors.ts';
import type { Clock } from '../../ports/clock.ts';
import type { HealthClusterPort } from '../../ports/health.ts';
import type { LoggerPort } from '../../ports/logger.ts';
import type { NotifierPort } from '../../ports/notifier.ts';

export interface HealthDeps {
  /** One port per configured cluster. */
  clusters: readonly { name: string; port: HealthClusterPort }[];
  selector: string;
  minReadyEndpoints: number;
  proxyDeployment?: string;
  notifier: NotifierPort;
  clock: Clock;
  logger: LoggerPort;
}

export interface HealthRowOut {
  cluster: string;
  namespace: string;
  service: string;
  track: string | null;
  ok: boolean;
  problem: string | null;
}

export interface HealthResult {
  services: number;
  failing: number;
  alerts: { cluster: string; service: string; kind: AlertKind; delivered: boolean }[];
  rows: HealthRowOut[];
  dryRun: boolean;
}

/**
 * healthCheck's schedule: every Service matching the selector, in every cluster, checked for ready
 * replicas and ready endpoints per track and a ready proxy. Alerts go out on transitions only; the
 * state sits in switchyard's own namespace (the only thing the reader identity may write) and is
 * claimed with a conditional write before alerting, so two runs never both alert. A failed delivery puts the previous state back so the next run tries again.
 */
export async function checkHealth(deps: HealthDeps, options: { dryRun?: boolean } = {}): Promise<HealthResult> {
  const result: HealthResult = { services: 0, failing: 0, alerts: [], rows: [], dryRun: options.dryRun === true };
  const now = deps.clock.now();
  for (const { name: cluster, port } of deps.clusters) {
    const services = await port.listServices(deps.selector);
    const namespaces = [...new Set(services.map((s) => s.namespace))];
    // The state of Services that are gone (or no longer selected) is forgotten.
    if (!result.dryRun) await port.forgetHealthStates(services);
    if (services.length === 0) continue;
    const [deployments, slices] = await Promise.all([
      port.listDeployments(namespaces),
      port.listEndpointSlices(namespaces),
    ]);
    const health = evaluateFleet({
      services,
      deployments,
      slices,
      minReadyEndpoints: deps.minReadyEndpoints,
      ...(deps.proxyDeployment ? { proxyDeployment: deps.proxyDeployment } : {}),
    });
    result.services += services.length;
    for (const [i, h] of health.entries()) {
      const service = services[i]!;
      result.rows.push(...rowsOf(cluster, h));
      if (h.problems.length > 0) result.failing++;
      const previous = parseHealthState(service.alertState?.value);
      const transition = healthTransition(previous, h.problems, now);
      if (!transition.next) continue;
      const where = `${h.namespace}/${h.name}`;
      deps.logger.info('health transition', {
        cluster,
        service: where,
        alert: transition.alert,
        problems: h.problems,
        dryRun: result.dryRun,
      });
      if (result.dryRun) continue;
      let resourceVersion: string;
      try {
        resourceVersion = await port.writeHealthState(service, transition.next);
      } catch (error) {
        if (error instanceof ConflictError) {
          deps.logger.info('another health check run recorded this transition first', { cluster, service: where });
          continue;
        }
        throw error;
      }
      if (!transition.alert) continue;
      const message = formatAlert(transition.alert, h, previous?.since ?? now.toISOString());
      try {
        await deps.notifier.notify({
          title: message.title,
          text: message.text,
          severity: transition.alert === 'recovered' ? 'info' : 'error',
        });
        result.alerts.push({ cluster, service: where, kind: transition.alert, delivered: true });
      } catch (error) {
        deps.logger.error('health alert not delivered; the next run tries again', {
          cluster,
          service: where,
          error: (error as Error).message,
        });
        result.alerts.push({ cluster, service: where, kind: transition.alert, delivered: false });
        await port
          .writeHealthState({ ...service, alertState: { ...service.alertState, version: resourceVersion } }, previous)
          .catch((e: unknown) =>
            deps.logger.warn('could not put the previous health state back', { service: where, error: String(e) }),
          );
      }
    }
  }
  return result;
}

function rowsOf(cluster: string, h: ServiceHealth): HealthRowOut[] {
  if (h.problems.length === 0)
    return [{ cluster, namespace: h.namespace, service: h.name, track: null, ok: true, problem: null }];
  return h.problems.map((p) => ({
    cluster,
    namespace: h.namespace,
    service: h.name,
    track: p.where,
    ok: false,
    problem: p.detail,
  }));
}
