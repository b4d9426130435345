import type { DeploymentView } from '../../domain/release/deployment-view.ts';

/**
 * Maps an apps/v1 Deployment (a client-node model from a list, or plain JSON from a watch event; the
 * fields we read have the same names in both) to the view the release planners use.
 */
export function toDeploymentView(object: unknown): DeploymentView {
  const d = object as DeploymentJson;
  const metadata = d.metadata ?? {};
  const spec = d.spec ?? {};
  const status = d.status ?? {};
  return {
    namespace: metadata.namespace ?? '',
    name: metadata.name ?? '',
    resourceVersion: metadata.resourceVersion ?? '',
    generation: metadata.generation ?? 0,
    observedGeneration: status.observedGeneration ?? 0,
    labels: { ...(metadata.labels ?? {}) },
    annotations: { ...(metadata.annotations ?? {}) },
    selector: { ...(spec.selector?.matchLabels ?? {}) },
    podLabels: { ...(spec.template?.metadata?.labels ?? {}) },
    containers: (spec.template?.spec?.containers ?? []).map((c) => ({ name: c.name, image: c.image ?? '' })),
    // The API server defaults an absent spec.replicas to 1.
    replicas: spec.replicas ?? 1,
    statusReplicas: status.replicas ?? 0,
    updatedReplicas: status.updatedReplicas ?? 0,
    readyReplicas: status.readyReplicas ?? 0,
    availableReplicas: status.availableReplicas ?? 0,
    conditions: (status.conditions ?? []).map((c) => ({
      type: c.type,
      status: c.status,
      ...(c.reason ? { reason: c.reason } : {}),
      ...(c.message ? { message: c.message } : {}),
    })),
  };
}

/** A label selector string from matchLabels (`a=b,c=d`). */
export function selectorString(labels: Readonly<Record<string, string>>): string {
  return Object.entries(labels)
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
}

interface DeploymentJson {
  metadata?: {
    name?: string;
    namespace?: string;
    resourceVersion?: string;
    generation?: number;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  };
  spec?: {
    replicas?: number;
    selector?: { matchLabels?: Record<string, string> };
    template?: {
      metadata?: { labels?: Record<string, string> };
      spec?: { containers?: { name: string; image?: string }[] };
    };
  };
  status?: {
    observedGeneration?: number;
    replicas?: number;
    updatedReplicas?: number;
    readyReplicas?: number;
    availableReplicas?: number;
    conditions?: { type: string; status: string; reason?: string; message?: string }[];
  };
}
