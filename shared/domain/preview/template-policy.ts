import { ValidationError } from '../../errors.ts';

/**
 * What a preview template may contain, checked when it is rendered (before anything reaches a cluster):
 * an allowed set of namespaced kinds, matched exactly on apiVersion and kind as the Kubernetes API
 * spells them, and no object that would reach beyond the preview namespace. The admission policies of
 * deploy/kubernetes refuse the same things on the API server; this check names the file and document.
 */

export interface KindName {
  apiVersion: string;
  kind: string;
}

/** The kinds previews may create unless the config says otherwise (`preview.allowedKinds`). */
export const DEFAULT_PREVIEW_KINDS: readonly KindName[] = [
  { apiVersion: 'v1', kind: 'ConfigMap' },
  { apiVersion: 'v1', kind: 'Secret' },
  { apiVersion: 'v1', kind: 'Service' },
  { apiVersion: 'v1', kind: 'ServiceAccount' },
  { apiVersion: 'v1', kind: 'PersistentVolumeClaim' },
  { apiVersion: 'v1', kind: 'ResourceQuota' },
  { apiVersion: 'v1', kind: 'LimitRange' },
  { apiVersion: 'apps/v1', kind: 'Deployment' },
  { apiVersion: 'apps/v1', kind: 'StatefulSet' },
  { apiVersion: 'batch/v1', kind: 'Job' },
  { apiVersion: 'batch/v1', kind: 'CronJob' },
  { apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler' },
  { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget' },
  { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy' },
  { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress' },
];

/**
 * Kinds no configuration can allow: they grant permissions, live outside the namespace, or change
 * what the API server admits. Matched on the kind alone, whatever the group or the letter case, so a
 * lookalike (`clusterrole`, a CRD named `Role`) is refused too.
 */
const NEVER = new Set(
  [
    'Role',
    'RoleBinding',
    'ClusterRole',
    'ClusterRoleBinding',
    'Namespace',
    'Node',
    'PersistentVolume',
    'CustomResourceDefinition',
    'StorageClass',
    'PriorityClass',
    'IngressClass',
    'RuntimeClass',
    'APIService',
    'ValidatingWebhookConfiguration',
    'MutatingWebhookConfiguration',
    'ValidatingAdmissionPolicy',
    'ValidatingAdmissionPolicyBinding',
    'MutatingAdmissionPolicy',
    'MutatingAdmissionPolicyBinding',
    'CertificateSigningRequest',
    'TokenRequest',
    'TokenReview',
    'SubjectAccessReview',
    'LocalSubjectAccessReview',
    'SelfSubjectAccessReview',
    'DaemonSet',
    'Binding',
    'ReplicationController',
    'PodTemplate',
    'Event',
    'EndpointSlice',
    'Endpoints',
    'Lease',
  ].map((k) => k.toLowerCase()),
);

/** Why a kind can never be allowed, or null. */
export function neverAllowed(kind: string): string | null {
  const k = kind.toLowerCase();
  if (NEVER.has(k))
    return `${kind} is not allowed in preview templates, whatever the configuration (it reaches beyond the preview namespace)`;
  if (k === 'list' || k.endsWith('list')) return `${kind}: lists are not allowed, one object per document`;
  return null;
}

const SA_TOKEN_TYPE = 'kubernetes.io/service-account-token';

/** Where a kind keeps its pod spec. */
function podSpecOf(o: Record<string, unknown>): Record<string, unknown> | undefined {
  const at = (v: unknown, ...path: string[]): unknown =>
    path.reduce<unknown>((x, p) => (x && typeof x === 'object' ? (x as Record<string, unknown>)[p] : undefined), v);
  const spec =
    o.kind === 'Pod'
      ? at(o, 'spec')
      : o.kind === 'CronJob'
        ? at(o, 'spec', 'jobTemplate', 'spec', 'template', 'spec')
        : at(o, 'spec', 'template', 'spec');
  return spec && typeof spec === 'object' ? (spec as Record<string, unknown>) : undefined;
}

function podSpecIssues(spec: Record<string, unknown>): string[] {
  const issues: string[] = [];
  for (const field of ['hostNetwork', 'hostPID', 'hostIPC'] as const) {
    if (spec[field] === true) issues.push(`spec.${field}: pods of a preview may not share the host's namespaces`);
  }
  const volumes = Array.isArray(spec.volumes) ? (spec.volumes as Record<string, unknown>[]) : [];
  for (const v of volumes) {
    if (v && typeof v === 'object' && 'hostPath' in v) {
      issues.push(`volume "${String(v.name)}": hostPath volumes are not allowed in previews`);
    }
  }
  for (const list of ['initContainers', 'containers', 'ephemeralContainers'] as const) {
    const containers = Array.isArray(spec[list]) ? (spec[list] as Record<string, unknown>[]) : [];
    for (const c of containers) {
      const sc = (c?.securityContext ?? {}) as { privileged?: unknown };
      if (sc.privileged === true) issues.push(`${list} "${String(c.name)}": privileged containers are not allowed`);
      const ports = Array.isArray(c?.ports) ? (c.ports as { hostPort?: unknown }[]) : [];
      if (ports.some((p) => typeof p?.hostPort === 'number' && p.hostPort !== 0)) {
        issues.push(`${list} "${String(c.name)}": host ports are not allowed`);
      }
    }
  }
  return issues;
}

/**
 * Refuses an object the preview may not create (ValidationError naming `where`): a kind outside the
 * allowed set, a service account token Secret, or a pod template that uses the host's namespaces, host
 * paths, host ports or privileged containers.
 */
export function checkTemplateObject(o: Record<string, unknown>, where: string, allowed: readonly KindName[]): void {
  const kind = String(o.kind);
  const apiVersion = String(o.apiVersion);
  const never = neverAllowed(kind);
  if (never) throw new ValidationError(`${where}: ${never}`);
  if (!allowed.some((k) => k.kind === kind && k.apiVersion === apiVersion)) {
    throw new ValidationError(`${where}: ${apiVersion} ${kind} is not an allowed kind for preview templates`, [
      `allowed (preview.allowedKinds): ${allowed.map((k) => `${k.apiVersion} ${k.kind}`).join(', ')}`,
    ]);
  }
  if (kind === 'Secret' && o.type === SA_TOKEN_TYPE) {
    throw new ValidationError(`${where}: Secrets of type ${SA_TOKEN_TYPE} are not allowed in previews`);
  }
  const spec = podSpecOf(o);
  const issues = spec ? podSpecIssues(spec) : [];
  if (issues.length > 0) throw new ValidationError(`${where}: ${kind} is not allowed in a preview`, issues);
}
