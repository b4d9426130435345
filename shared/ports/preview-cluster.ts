import type { PreviewObject } from '../domain/preview/preview-object.ts';
import type { NamespaceMetadata } from '../domain/preview/preview-record.ts';
import type { RolloutSummary } from '../domain/preview/rollout-summary.ts';

/** A preview namespace as previews see it: its metadata and the version conditional writes hang on. */
export type PreviewNamespace = NamespaceMetadata;

export interface MetadataChange {
  labels?: Record<string, string | null>;
  annotations?: Record<string, string | null>;
}

export interface ApplyOutcome {
  applied: number;
  /** `Kind/name` of every object deleted because it left the templates. */
  pruned: string[];
}

/** What to prune after an apply. */
export interface PruneScope {
  /** Labels every object of the preview carries (pruning never touches anything without them). */
  selector: string;
  /**
   * The objects the preview may hold from earlier applies (`apiVersion kind name`, as recorded on the
   * namespace): those not applied now are deleted by name, with no listing. Null when nothing was
   * recorded (an older preview): then every kind a preview may hold is listed by `selector`.
   */
  previous: readonly string[] | null;
}

/** What previews need from a Kubernetes cluster. The k8s adapter implements it; InMemoryPreviewCluster is its twin. */
export interface PreviewClusterPort {
  getNamespace(name: string): Promise<PreviewNamespace | null>;
  /** Namespaces matching a label selector (naming.previewSelector). */
  listNamespaces(labelSelector: string): Promise<PreviewNamespace[]>;
  /** Creates the namespace; ConflictError when it already exists (someone else claimed it first). */
  createNamespace(name: string, change: Required<MetadataChange>): Promise<PreviewNamespace>;
  /** Writes metadata only if the namespace is still at `resourceVersion`; ConflictError otherwise. */
  updateNamespace(name: string, resourceVersion: string, change: MetadataChange): Promise<PreviewNamespace>;
  /**
   * Server-side applies the objects into the namespace under one field manager, then deletes the
   * preview's objects that are not among them (see PruneScope).
   */
  applyObjects(namespace: string, objects: readonly PreviewObject[], prune: PruneScope): Promise<ApplyOutcome>;
  deleteNamespace(name: string): Promise<'deleting' | 'absent'>;
  /** The rollout of every Deployment in the namespace, read the way kubectl does. */
  readRollouts(namespace: string): Promise<RolloutSummary>;
  /** Waits (bounded) until every Deployment's rollout is complete or failed; returns the last reading. */
  waitForRollouts(namespace: string, timeoutMs: number): Promise<RolloutSummary>;
}
