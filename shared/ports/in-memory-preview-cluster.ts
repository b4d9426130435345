import type { PreviewObject } from '../domain/preview/preview-object.ts';
import { objectRecordKey, parseObjectRecordKey } from '../domain/preview/preview-record.ts';
import { type DeploymentRollout, summarizeRollouts } from '../domain/preview/rollout-summary.ts';
import type { RolloutPhase } from '../domain/rollout-status.ts';
import { ConflictError, NotFoundError, TransientError, ValidationError } from '../errors.ts';
import { FaultQueue } from './fault-queue.ts';
import type { MetadataChange, PreviewClusterPort, PreviewNamespace } from './preview-cluster.ts';

type Method = keyof PreviewClusterPort;

interface StoredObject {
  object: PreviewObject;
  labels: Record<string, string>;
}

/**
 * The in-memory twin of PreviewClusterPort, for use-case tests. Its rules are its own, the API
 * server's as Kubernetes documents them: names are DNS labels, a create of an existing namespace and
 * a write at a stale resourceVersion are conflicts, nothing is created in a terminating namespace,
 * and pruning only ever touches objects that carry the selector's labels. Deployments roll out at
 * once unless told otherwise; faults are injected per method.
 */
export class InMemoryPreviewCluster implements PreviewClusterPort {
  readonly namespaces = new Map<string, PreviewNamespace>();
  readonly objects = new Map<string, Map<string, StoredObject>>();
  /** Every call, in order, for "how many requests" assertions. */
  readonly calls: Array<{ method: Method; namespace: string }> = [];
  private readonly faults = new FaultQueue<Method>();
  private readonly rollouts = new Map<string, { phase: RolloutPhase; message: string }>();
  private version = 1;

  /** The next `times` calls of `method` fail with `error` (default: the API server is unreachable). */
  fail(method: Method, times = 1, error: Error = new TransientError(`injected: ${method} unreachable`)): void {
    this.faults.add(method, times, error);
  }

  /** Every Deployment in the namespace reports this phase until told otherwise. */
  setRollout(namespace: string, phase: RolloutPhase, message = `rollout ${phase}`): void {
    this.rollouts.set(namespace, { phase, message });
  }

  /** The namespace controller finished: terminating namespaces and their objects are gone. */
  finishDeletions(): void {
    for (const [name, ns] of this.namespaces) {
      if (ns.deleting) {
        this.namespaces.delete(name);
        this.objects.delete(name);
      }
    }
  }

  /** `apiVersion kind name` of every object in the namespace. */
  objectKeys(namespace: string): string[] {
    return [...(this.objects.get(namespace)?.keys() ?? [])].sort();
  }

  /** Deletes an object behind our back (a hand edit, a half-finished apply). */
  removeObject(namespace: string, key: string): void {
    this.objects.get(namespace)?.delete(key);
  }

  private enter(method: Method, namespace: string): void {
    this.calls.push({ method, namespace });
    this.faults.take(method);
  }

  private store(ns: PreviewNamespace): PreviewNamespace {
    const stored = { ...ns, resourceVersion: String(++this.version) };
    this.namespaces.set(ns.name, stored);
    return copy(stored);
  }

  async getNamespace(name: string): Promise<PreviewNamespace | null> {
    this.enter('getNamespace', name);
    const ns = this.namespaces.get(name);
    return ns ? copy(ns) : null;
  }

  async listNamespaces(labelSelector: string): Promise<PreviewNamespace[]> {
    this.enter('listNamespaces', '');
    const match = selectorMatcher(labelSelector);
    return [...this.namespaces.values()].filter((n) => match(n.labels)).map(copy);
  }

  async createNamespace(name: string, change: Required<MetadataChange>): Promise<PreviewNamespace> {
    this.enter('createNamespace', name);
    if (!/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/.test(name)) {
      throw new ValidationError(`namespace name "${name}" is not a DNS label`);
    }
    if (this.namespaces.has(name)) throw new ConflictError(`namespaces "${name}" already exists`);
    return this.store({
      name,
      labels: defined(change.labels),
      annotations: defined(change.annotations),
      resourceVersion: '',
      createdAt: new Date(0).toISOString(),
      deleting: false,
    });
  }

  async updateNamespace(name: string, resourceVersion: string, change: MetadataChange): Promise<PreviewNamespace> {
    this.enter('updateNamespace', name);
    const ns = this.namespaces.get(name);
    if (!ns) throw new NotFoundError(`namespaces "${name}" not found`);
    if (ns.resourceVersion !== resourceVersion) {
      throw new ConflictError(`namespace ${name} changed since resourceVersion ${resourceVersion}`);
    }
    return this.store({
      ...ns,
      labels: merge(ns.labels, change.labels),
      annotations: merge(ns.annotations, change.annotations),
    });
  }

  async applyObjects(
    namespace: string,
    objects: readonly PreviewObject[],
    prune: { selector: string; previous: readonly string[] | null },
  ) {
    this.enter('applyObjects', namespace);
    const ns = this.namespaces.get(namespace);
    if (!ns) throw new NotFoundError(`namespaces "${namespace}" not found`);
    if (ns.deleting) throw new TransientError(`namespace ${namespace} is being terminated`);
    const held = this.objects.get(namespace) ?? new Map<string, StoredObject>();
    this.objects.set(namespace, held);
    for (const o of objects) {
      if (!o.metadata?.name) throw new ValidationError(`${o.kind} without metadata.name`);
      held.set(objectRecordKey(o), { object: structuredClone(o), labels: { ...(o.metadata.labels ?? {}) } });
    }
    const keep = new Set(objects.map(objectRecordKey));
    const match = selectorMatcher(prune.selector);
    const candidates = prune.previous ?? [...held.keys()];
    const pruned: string[] = [];
    for (const key of candidates) {
      const found = held.get(key);
      if (keep.has(key) || !found || !match(found.labels)) continue;
      held.delete(key);
      const ref = parseObjectRecordKey(key);
      if (ref) pruned.push(`${ref.kind}/${ref.name}`);
    }
    return { applied: objects.length, pruned };
  }

  async deleteNamespace(name: string): Promise<'deleting' | 'absent'> {
    this.enter('deleteNamespace', name);
    const ns = this.namespaces.get(name);
    if (!ns) return 'absent';
    this.namespaces.set(name, { ...ns, deleting: true, resourceVersion: String(++this.version) });
    return 'deleting';
  }

  async readRollouts(namespace: string) {
    this.enter('readRollouts', namespace);
    return this.summary(namespace);
  }

  async waitForRollouts(namespace: string, _timeoutMs: number) {
    this.enter('waitForRollouts', namespace);
    return this.summary(namespace);
  }

  private summary(namespace: string) {
    const state = this.rollouts.get(namespace) ?? { phase: 'complete' as const, message: 'available' };
    const deployments = [...(this.objects.get(namespace)?.values() ?? [])]
      .filter((s) => s.object.kind === 'Deployment')
      .map(
        (s): DeploymentRollout => ({
          name: s.object.metadata.name,
          phase: state.phase,
          done: state.phase === 'complete',
          message: state.message,
          desired: 1,
          updated: state.phase === 'complete' ? 1 : 0,
          available: state.phase === 'complete' ? 1 : 0,
        }),
      );
    return summarizeRollouts(deployments);
  }
}

function copy(ns: PreviewNamespace): PreviewNamespace {
  return { ...ns, labels: { ...ns.labels }, annotations: { ...ns.annotations } };
}

function defined(values: Record<string, string | null>): Record<string, string> {
  return Object.fromEntries(Object.entries(values).filter((e): e is [string, string] => e[1] !== null));
}

function merge(
  current: Record<string, string>,
  change: Record<string, string | null> | undefined,
): Record<string, string> {
  return defined({ ...current, ...(change ?? {}) });
}

/** Equality-based label selectors (`a=b,c=d`), the only form previews use. */
function selectorMatcher(selector: string): (labels: Record<string, string>) => boolean {
  const terms = selector
    .split(',')
    .filter((t) => t !== '')
    .map((t) => {
      const [key = '', value = ''] = t.split('=');
      return [key, value] as const;
    });
  return (labels) => terms.every(([k, v]) => labels[k] === v);
}
