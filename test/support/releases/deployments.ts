import type { DeploymentView } from '../../../shared/domain/release/deployment-view.ts';
import type { DeploymentChange } from '../../../shared/domain/release/release-plan.ts';

/** A Deployment that has finished rolling out, as the API server would report it. */
export function deployment(name: string, overrides: Partial<DeploymentView> = {}): DeploymentView {
  const replicas = overrides.replicas ?? 3;
  return {
    namespace: 'shop',
    name,
    resourceVersion: '1',
    generation: 1,
    observedGeneration: 1,
    labels: {},
    annotations: {},
    selector: { app: name },
    podLabels: { app: name },
    containers: [{ name, image: `registry.example.com/${name}:old` }],
    replicas,
    statusReplicas: replicas,
    updatedReplicas: replicas,
    readyReplicas: replicas,
    availableReplicas: replicas,
    conditions: [{ type: 'Progressing', status: 'True', reason: 'NewReplicaSetAvailable' }],
    ...overrides,
  };
}

/**
 * Applies planned changes the way the API server would (only image fields, the annotations, replicas),
 * bumping resourceVersion and generation; `rolledOut` says whether the controller then finished.
 */
export function applyChanges(
  views: Map<string, DeploymentView>,
  changes: readonly DeploymentChange[],
  rolledOut = false,
): Map<string, DeploymentView> {
  const out = new Map(views);
  for (const change of changes) {
    const d = out.get(change.name);
    if (!d) throw new Error(`no deployment ${change.name}`);
    if (d.resourceVersion !== change.resourceVersion) throw new Error(`conflict on ${change.name}`);
    let next: DeploymentView = { ...d, resourceVersion: String(Number(d.resourceVersion) + 1) };
    if (change.apply) {
      const imagesChanged = Object.entries(change.apply.images).some(
        ([c, image]) => d.containers.find((x) => x.name === c)?.image !== image,
      );
      next = {
        ...next,
        annotations: { ...stripOwned(d.annotations), ...change.apply.annotations },
        containers: d.containers.map((c) => ({ ...c, image: change.apply?.images[c.name] ?? c.image })),
      };
      if (imagesChanged) next = { ...next, generation: d.generation + 1, updatedReplicas: 0 };
    }
    if (change.replicas !== undefined) next = { ...next, replicas: change.replicas, generation: next.generation + 1 };
    out.set(change.name, rolledOut ? finish(next) : next);
  }
  return out;
}

/** The controller finished the rollout: status catches up with spec. */
export function finish(d: DeploymentView): DeploymentView {
  return {
    ...d,
    observedGeneration: d.generation,
    statusReplicas: d.replicas,
    updatedReplicas: d.replicas,
    readyReplicas: d.replicas,
    availableReplicas: d.replicas,
    conditions: [{ type: 'Progressing', status: 'True', reason: 'NewReplicaSetAvailable' }],
  };
}

export function failDeadline(d: DeploymentView): DeploymentView {
  return {
    ...d,
    observedGeneration: d.generation,
    conditions: [
      {
        type: 'Progressing',
        status: 'False',
        reason: 'ProgressDeadlineExceeded',
        message: `ReplicaSet "${d.name}-5d9f8c7b6" has timed out progressing.`,
      },
    ],
  };
}

function stripOwned(annotations: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(annotations).filter(([k]) => !k.startsWith('switchyard.dev/')));
}
