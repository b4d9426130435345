import { parseAllDocuments } from 'yaml';
import { ValidationError } from '../../errors.ts';
import type { TemplateFile } from '../../ports/preview-templates.ts';
import { objectKey, type PreviewObject } from './preview-object.ts';
import { checkTemplateObject, DEFAULT_PREVIEW_KINDS, type KindName } from './template-policy.ts';

/**
 * Preview templates are YAML parsed FIRST; placeholders (`${pr}`, `${sha}`, `${shortSha}`, `${branch}`,
 * `${image}`, `${host}`, `${app}`, `${namespace}`) are then substituted only inside string values of
 * the parsed tree. A branch name or any other value therefore can never add keys, documents or objects:
 * whatever it contains stays one string.
 */

export interface TemplateVars {
  pr: number;
  sha: string;
  shortSha: string;
  /** The branch slug (naming.branchSlug), never the raw branch name. */
  branch: string;
  image: string;
  host: string;
  app: string;
  namespace: string;
}

export interface RenderInput {
  files: readonly TemplateFile[];
  vars: TemplateVars;
  /** Labels put on every object (ours win): they are what pruning selects on. */
  labels: Record<string, string>;
  /** ResourceQuota hard limits for the default quota, added unless the templates bring a ResourceQuota. */
  quota: Record<string, string>;
  /** The kinds templates may bring (preview.allowedKinds); DEFAULT_PREVIEW_KINDS when absent. */
  allowedKinds?: readonly KindName[] | undefined;
}

const PLACEHOLDER = /\$\{\s*([A-Za-z]+)\s*\}/g;

/** Apply order: what others depend on first (quota before pods, config before Deployments). */
export const APPLY_ORDER = [
  'ResourceQuota',
  'LimitRange',
  'ServiceAccount',
  'Secret',
  'ConfigMap',
  'PersistentVolumeClaim',
  'Service',
  'Deployment',
  'StatefulSet',
  'Job',
  'CronJob',
  'HorizontalPodAutoscaler',
  'PodDisruptionBudget',
  'NetworkPolicy',
  'Ingress',
];

/**
 * Kinds the workloads depend on (quota before pods, config and accounts before Deployments): applied
 * as a first tier, before everything after them in APPLY_ORDER.
 */
export const DEPENDENCY_KINDS: ReadonlySet<string> = new Set(APPLY_ORDER.slice(0, APPLY_ORDER.indexOf('Service')));

const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/;

export function renderTemplates(input: RenderInput): PreviewObject[] {
  const values: Record<string, string> = {
    pr: String(input.vars.pr),
    sha: input.vars.sha,
    shortSha: input.vars.shortSha,
    branch: input.vars.branch,
    image: input.vars.image,
    host: input.vars.host,
    app: input.vars.app,
    namespace: input.vars.namespace,
  };
  const objects: PreviewObject[] = [];
  const seen = new Set<string>();
  for (const file of [...input.files].sort((a, b) => a.name.localeCompare(b.name))) {
    const docs = parseAllDocuments(file.text, { schema: 'core', merge: false, uniqueKeys: true, prettyErrors: true });
    if (!Array.isArray(docs)) throw new ValidationError(`${file.name}: not a YAML stream`);
    docs.forEach((doc, index) => {
      const where = `${file.name} document ${index + 1}`;
      if (doc.errors.length > 0) {
        throw new ValidationError(
          `${where} is not valid YAML`,
          doc.errors.map((e) => e.message),
        );
      }
      let raw: unknown;
      try {
        raw = doc.toJS({ maxAliasCount: 50 });
      } catch (error) {
        throw new ValidationError(`${where} is not valid YAML`, [(error as Error).message], { cause: error });
      }
      if (raw === null || raw === undefined) return;
      const rendered = substitute(raw, values, where);
      const object = checkObject(rendered, where, input.vars.namespace, input.allowedKinds ?? DEFAULT_PREVIEW_KINDS);
      const key = objectKey(object);
      if (seen.has(key)) throw new ValidationError(`${where}: ${key} is declared twice`);
      seen.add(key);
      objects.push(object);
    });
  }
  if (!objects.some((o) => o.kind === 'ResourceQuota')) objects.push(defaultQuota(input.vars.namespace, input.quota));
  if (!objects.some((o) => o.kind === 'LimitRange')) objects.push(defaultLimits(input.vars.namespace));
  for (const o of objects) {
    o.metadata.labels = { ...(o.metadata.labels ?? {}), ...input.labels };
  }
  return objects.sort(byApplyOrder);
}

function substitute(value: unknown, values: Record<string, string>, where: string): unknown {
  if (typeof value === 'string') {
    return value.replace(PLACEHOLDER, (_whole, name: string) => {
      const replacement = values[name];
      if (replacement === undefined) {
        throw new ValidationError(`${where}: unknown placeholder \${${name}}`, [
          `known placeholders: ${Object.keys(values).join(', ')}`,
        ]);
      }
      return replacement;
    });
  }
  if (Array.isArray(value)) return value.map((v) => substitute(v, values, where));
  if (value instanceof Map) throw new ValidationError(`${where}: mapping keys must be strings`);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    // Keys are kept verbatim: only values are ever substituted.
    for (const [k, v] of Object.entries(value)) out[k] = substitute(v, values, where);
    return out;
  }
  return value;
}

function checkObject(value: unknown, where: string, namespace: string, allowed: readonly KindName[]): PreviewObject {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new ValidationError(`${where}: a Kubernetes object (a mapping) was expected`);
  }
  const o = value as Record<string, unknown>;
  const metadata = o.metadata as Record<string, unknown> | undefined;
  const issues: string[] = [];
  if (typeof o.apiVersion !== 'string' || o.apiVersion === '') issues.push('apiVersion is missing');
  if (typeof o.kind !== 'string' || o.kind === '') issues.push('kind is missing');
  if (!metadata || typeof metadata !== 'object' || typeof metadata.name !== 'string') {
    issues.push('metadata.name is missing');
  } else if (!DNS_SUBDOMAIN.test(metadata.name) || metadata.name.length > 253) {
    issues.push(`metadata.name "${metadata.name}" is not a valid Kubernetes name`);
  }
  if (issues.length > 0) throw new ValidationError(`${where} is not a Kubernetes object`, issues);
  checkTemplateObject(o, where, allowed);
  const meta = metadata as PreviewObject['metadata'];
  if (meta.namespace !== undefined && meta.namespace !== namespace) {
    throw new ValidationError(
      `${where}: metadata.namespace must be left out (or \${namespace}); got "${meta.namespace}"`,
    );
  }
  for (const field of ['labels', 'annotations'] as const) {
    const map = meta[field];
    if (map !== undefined && (typeof map !== 'object' || Object.values(map).some((v) => typeof v !== 'string'))) {
      throw new ValidationError(`${where}: metadata.${field} values must be strings`);
    }
  }
  const { status: _status, ...rest } = o;
  return { ...(rest as PreviewObject), metadata: { ...meta, namespace } };
}

function defaultQuota(namespace: string, hard: Record<string, string>): PreviewObject {
  return {
    apiVersion: 'v1',
    kind: 'ResourceQuota',
    metadata: { name: 'preview-quota', namespace },
    spec: { hard: { ...hard } },
  };
}

function defaultLimits(namespace: string): PreviewObject {
  // Pods without requests would be refused once a quota on requests exists; defaults keep them admissible.
  return {
    apiVersion: 'v1',
    kind: 'LimitRange',
    metadata: { name: 'preview-limits', namespace },
    spec: {
      limits: [
        {
          type: 'Container',
          default: { cpu: '500m', memory: '512Mi' },
          defaultRequest: { cpu: '50m', memory: '64Mi' },
        },
      ],
    },
  };
}

function byApplyOrder(a: PreviewObject, b: PreviewObject): number {
  const rank = (k: string) => {
    const i = APPLY_ORDER.indexOf(k);
    return i === -1 ? APPLY_ORDER.length : i;
  };
  return rank(a.kind) - rank(b.kind) || a.kind.localeCompare(b.kind) || a.metadata.name.localeCompare(b.metadata.name);
}
