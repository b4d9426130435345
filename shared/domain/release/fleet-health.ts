import { Keys } from '../naming.ts';
import type { DeploymentView } from './deployment-view.ts';

export interface ServiceView {
  namespace: string;
  name: string;
  resourceVersion: string;
  /** spec.selector: which pods (so which Deployments) serve it. */
  selector: Readonly<Record<string, string>>;
  annotations: Readonly<Record<string, string>>;
  /**
   * The health check's alert state of this Service, kept outside it (deploy/kubernetes: the reader may
   * write only that): the stored JSON, and the version a conditional write must match (absent while
   * nothing was stored yet).
   */
  alertState?: { value?: string | undefined; version?: string | undefined } | undefined;
}

export interface EndpointSliceView {
  namespace: string;
  /** The kubernetes.io/service-name label. */
  serviceName: string;
  endpoints: readonly { ready: boolean; podName?: string }[];
}

export type HealthProblemCode = 'no-deployment' | 'replicas' | 'endpoints' | 'proxy';

export interface HealthProblem {
  code: HealthProblemCode;
  /** Deployment (track) the problem is about. */
  where: string;
  detail: string;
}

export interface ServiceHealth {
  namespace: string;
  name: string;
  problems: HealthProblem[];
}

export interface FleetInput {
  services: readonly ServiceView[];
  deployments: readonly DeploymentView[];
  slices: readonly EndpointSliceView[];
  minReadyEndpoints: number;
  proxyDeployment?: string;
}

/**
 * Every Service's tracks (the Deployments whose pods it selects) must have their desired replicas ready
 * and at least `minReadyEndpoints` ready endpoints each in the Service's EndpointSlices; where tracks
 * exist, the header-routing proxy Deployment must be ready too. Endpoints are attributed to a
 * Deployment by pod name (`<deployment>-<pod-template-hash>-<suffix>`), which saves listing pods.
 */
export function evaluateFleet(input: FleetInput): ServiceHealth[] {
  const byNamespace = new Map<string, DeploymentView[]>();
  for (const d of input.deployments) {
    const list = byNamespace.get(d.namespace) ?? [];
    list.push(d);
    byNamespace.set(d.namespace, list);
  }
  const slicesByService = new Map<string, EndpointSliceView[]>();
  for (const s of input.slices) {
    const key = `${s.namespace}/${s.serviceName}`;
    const list = slicesByService.get(key) ?? [];
    list.push(s);
    slicesByService.set(key, list);
  }
  return input.services.map((service) => {
    const problems: HealthProblem[] = [];
    const inNamespace = byNamespace.get(service.namespace) ?? [];
    const selected = inNamespace.filter(
      (d) => Object.keys(service.selector).length > 0 && matches(service.selector, d.podLabels),
    );
    const active = selected.filter((d) => d.replicas > 0);
    if (active.length === 0) {
      problems.push({ code: 'no-deployment', where: service.name, detail: 'no Deployment with replicas serves it' });
    }
    const endpoints = (slicesByService.get(`${service.namespace}/${service.name}`) ?? []).flatMap((s) => s.endpoints);
    for (const d of active) {
      const where = trackOf(d);
      if (d.readyReplicas < d.replicas) {
        problems.push({
          code: 'replicas',
          where,
          detail: `${d.name}: ${d.readyReplicas}/${d.replicas} replicas ready`,
        });
      }
      const pattern = podNamePattern(d.name);
      const ready = endpoints.filter((e) => e.ready && e.podName !== undefined && pattern.test(e.podName)).length;
      if (ready < input.minReadyEndpoints) {
        problems.push({
          code: 'endpoints',
          where,
          detail: `${d.name}: ${ready} ready endpoints (at least ${input.minReadyEndpoints} wanted)`,
        });
      }
    }
    const tracked = selected.some((d) => d.labels[Keys.track] !== undefined || d.podLabels[Keys.track] !== undefined);
    if (tracked && input.proxyDeployment) {
      const proxy = inNamespace.find((d) => d.name === input.proxyDeployment);
      if (!proxy) {
        problems.push({
          code: 'proxy',
          where: input.proxyDeployment,
          detail: `proxy ${input.proxyDeployment} missing`,
        });
      } else if (proxy.replicas === 0 || proxy.readyReplicas < proxy.replicas) {
        problems.push({
          code: 'proxy',
          where: proxy.name,
          detail: `proxy ${proxy.name}: ${proxy.readyReplicas}/${proxy.replicas} replicas ready`,
        });
      }
    }
    return { namespace: service.namespace, name: service.name, problems };
  });
}

function trackOf(d: DeploymentView): string {
  return d.labels[Keys.track] ?? d.podLabels[Keys.track] ?? d.name;
}

function matches(selector: Readonly<Record<string, string>>, labels: Readonly<Record<string, string>>): boolean {
  return Object.entries(selector).every(([k, v]) => labels[k] === v);
}

function podNamePattern(deployment: string): RegExp {
  return new RegExp(`^${deployment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}-[a-z0-9]+-[a-z0-9]+$`);
}
