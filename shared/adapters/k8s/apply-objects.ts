import type { KubeConfig, KubernetesObject } from '@kubernetes/client-node';
import { KubernetesObjectApi, PatchStrategy } from '@kubernetes/client-node';
import { FIELD_MANAGER } from '../../domain/naming.ts';
import { NotFoundError } from '../../errors.ts';
import { toKubeError } from './kube-errors.ts';

export { FieldConflictError, isNetworkError, kubeStatusCode, toKubeError } from './kube-errors.ts';

/** A plain Kubernetes object as our planners produce it (JSON-shaped, no status, no managedFields). */
export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string | undefined;
    labels?: Record<string, string> | undefined;
    annotations?: Record<string, string> | undefined;
    resourceVersion?: string | undefined;
    [key: string]: unknown;
  };
  [key: string]: unknown;
}

/** Identifies one object. Namespace is absent for cluster-scoped kinds. */
export interface ObjectRef {
  apiVersion: string;
  kind: string;
  name: string;
  namespace?: string | undefined;
}

/** A kind to look at when pruning. */
export interface KindRef {
  apiVersion: string;
  kind: string;
}

export interface ApplyOptions {
  /** Take over fields owned by other managers instead of failing with FieldConflictError. Default false. */
  force?: boolean | undefined;
  /** Server-side dry run: validated and defaulted by the API server, nothing stored. */
  dryRun?: boolean | undefined;
  /** Defaults to FIELD_MANAGER; tests use another to provoke conflicts. */
  fieldManager?: string | undefined;
}

// KubernetesObjectApi caches API discovery per instance: keep one per KubeConfig.
const apis = new WeakMap<KubeConfig, KubernetesObjectApi>();
export function objectApi(kc: KubeConfig): KubernetesObjectApi {
  let api = apis.get(kc);
  if (!api) {
    api = KubernetesObjectApi.makeApiClient(kc);
    apis.set(kc, api);
  }
  return api;
}

export function describeRef(ref: ObjectRef): string {
  return `${ref.kind} ${ref.namespace ? `${ref.namespace}/` : ''}${ref.name}`;
}

export function refOf(object: KubeObject | KubernetesObject): ObjectRef {
  return {
    apiVersion: object.apiVersion ?? '',
    kind: object.kind ?? '',
    name: object.metadata?.name ?? '',
    namespace: object.metadata?.namespace ?? undefined,
  };
}

function header(ref: ObjectRef): KubernetesObject & { metadata: { name: string } } {
  return {
    apiVersion: ref.apiVersion,
    kind: ref.kind,
    metadata: { name: ref.name, ...(ref.namespace ? { namespace: ref.namespace } : {}) },
  };
}

/**
 * Server-side apply of each object in order (an upsert owned by one field manager). Returns what the
 * API server stored. Stops at the first failure, mapped by toKubeError.
 */
export async function applyObjects(
  kc: KubeConfig,
  objects: readonly KubeObject[],
  options: ApplyOptions = {},
): Promise<KubernetesObject[]> {
  const api = objectApi(kc);
  const applied: KubernetesObject[] = [];
  for (const object of objects) {
    try {
      applied.push(
        await api.patch(
          object as KubernetesObject,
          undefined,
          options.dryRun ? 'All' : undefined,
          options.fieldManager ?? FIELD_MANAGER,
          options.force ?? false,
          PatchStrategy.ServerSideApply,
        ),
      );
    } catch (error) {
      throw toKubeError(error, `apply ${describeRef(refOf(object))}`);
    }
  }
  return applied;
}

export interface PruneInput {
  /** Namespace to prune in; absent for cluster-scoped kinds (e.g. Namespaces). */
  namespace?: string | undefined;
  /** Selects the objects we own, e.g. `app.kubernetes.io/managed-by=switchyard,switchyard.dev/app=web`. */
  labelSelector: string;
  kinds: readonly KindRef[];
  /** The desired set: anything selected that is not in it is deleted. */
  keep: readonly (KubeObject | ObjectRef)[];
  dryRun?: boolean | undefined;
}

/** Deletes objects of the given kinds that carry our labels but are no longer desired. */
export async function pruneObjects(kc: KubeConfig, input: PruneInput): Promise<ObjectRef[]> {
  const api = objectApi(kc);
  const key = (r: ObjectRef) => `${r.apiVersion}|${r.kind}|${r.namespace ?? ''}|${r.name}`;
  const keep = new Set(input.keep.map((k) => key('metadata' in k ? refOf(k) : k)));
  const pruned: ObjectRef[] = [];
  for (const kind of input.kinds) {
    let items: KubernetesObject[];
    try {
      const list = await api.list(
        kind.apiVersion,
        kind.kind,
        input.namespace,
        undefined,
        undefined,
        undefined,
        undefined,
        input.labelSelector,
      );
      items = list.items;
    } catch (error) {
      throw toKubeError(error, `list ${kind.kind} (${input.labelSelector}) for pruning`);
    }
    for (const item of items) {
      const ref: ObjectRef = {
        apiVersion: kind.apiVersion,
        kind: kind.kind,
        name: item.metadata?.name ?? '',
        namespace: item.metadata?.namespace ?? undefined,
      };
      if (keep.has(key(ref)) || item.metadata?.deletionTimestamp) continue;
      if (await deleteObject(kc, ref, { dryRun: input.dryRun })) pruned.push(ref);
    }
  }
  return pruned;
}

/** Deletes one object (dependents in the background). Returns false when it was already gone. */
export async function deleteObject(
  kc: KubeConfig,
  ref: ObjectRef,
  options: { dryRun?: boolean | undefined } = {},
): Promise<boolean> {
  try {
    await objectApi(kc).delete(
      header(ref),
      undefined,
      options.dryRun ? 'All' : undefined,
      undefined,
      undefined,
      'Background',
    );
    return true;
  } catch (error) {
    const mapped = toKubeError(error, `delete ${describeRef(ref)}`);
    if (mapped instanceof NotFoundError) return false;
    throw mapped;
  }
}

/**
 * Deletes a namespace and, through the namespace controller, everything in it. Returns 'deleting'
 * (deletion accepted or already in progress) or 'absent'. Completion is observed with watchUntil.
 */
export async function deleteNamespace(
  kc: KubeConfig,
  name: string,
  options: { dryRun?: boolean | undefined } = {},
): Promise<'deleting' | 'absent'> {
  const deleted = await deleteObject(kc, { apiVersion: 'v1', kind: 'Namespace', name }, options);
  return deleted ? 'deleting' : 'absent';
}

/** Reads one object; undefined when it does not exist. */
export async function readObject(kc: KubeConfig, ref: ObjectRef): Promise<KubernetesObject | undefined> {
  try {
    return await objectApi(kc).read(header(ref));
  } catch (error) {
    const mapped = toKubeError(error, `read ${describeRef(ref)}`);
    if (mapped instanceof NotFoundError) return undefined;
    throw mapped;
  }
}

export interface ConditionalMetadataWrite {
  /** The resourceVersion the caller read; the write fails with ConflictError if the object changed since. */
  resourceVersion: string;
  /** Annotations to set; `null` removes one. */
  annotations?: Record<string, string | null> | undefined;
  /** Labels to set; `null` removes one. */
  labels?: Record<string, string | null> | undefined;
  dryRun?: boolean | undefined;
}

/**
 * Writes annotations (and labels) only if the object is still at `resourceVersion`: a JSON merge patch
 * that carries metadata.resourceVersion is rejected by the API server with 409 when the object moved
 * on, so an older or duplicate event never overwrites a newer one. Returns the stored object (its new
 * resourceVersion is the precondition for the next write).
 */
export async function writeMetadataIfUnchanged(
  kc: KubeConfig,
  ref: ObjectRef,
  write: ConditionalMetadataWrite,
): Promise<KubernetesObject> {
  const patch = {
    apiVersion: ref.apiVersion,
    kind: ref.kind,
    metadata: {
      name: ref.name,
      ...(ref.namespace ? { namespace: ref.namespace } : {}),
      resourceVersion: write.resourceVersion,
      ...(write.annotations ? { annotations: write.annotations } : {}),
      ...(write.labels ? { labels: write.labels } : {}),
    },
  } as unknown as KubernetesObject;
  try {
    return await objectApi(kc).patch(
      patch,
      undefined,
      write.dryRun ? 'All' : undefined,
      FIELD_MANAGER,
      undefined,
      PatchStrategy.MergePatch,
    );
  } catch (error) {
    throw toKubeError(error, `write metadata of ${describeRef(ref)} at resourceVersion ${write.resourceVersion}`);
  }
}

/** The annotation-only form of writeMetadataIfUnchanged. */
export async function writeAnnotationsIfUnchanged(
  kc: KubeConfig,
  ref: ObjectRef,
  resourceVersion: string,
  annotations: Record<string, string | null>,
): Promise<KubernetesObject> {
  return writeMetadataIfUnchanged(kc, ref, { resourceVersion, annotations });
}
