import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { KubeConfig } from '@kubernetes/client-node';
import { parseAllDocuments } from 'yaml';
import { applyObjects, type KubeObject } from '../../../shared/adapters/k8s/apply-objects.ts';
import { writes } from './refusals.ts';

export const KUBERNETES_DIR = resolve(import.meta.dirname, '../../../deploy/kubernetes');

/** The objects of YAML files, in file order (as `kubectl apply -f <dir>` takes them: *.yml, *.yaml, *.json, sorted). */
export function manifestsOf(files: readonly string[]): KubeObject[] {
  return files.flatMap((file) =>
    parseAllDocuments(readFileSync(file, 'utf8'))
      .map((d) => d.toJSON() as KubeObject | null)
      .filter((o): o is KubeObject => o !== null),
  );
}

/** The files `kubectl apply -f deploy/kubernetes/` applies (the folder's own files; opt-in/ is not recursed). */
export function installFiles(dir = KUBERNETES_DIR): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isFile() && /\.(ya?ml|json)$/.test(e.name))
    .map((e) => join(dir, e.name))
    .sort();
}

/**
 * Installs switchyard's cluster side as an admin would (`kubectl apply -f deploy/kubernetes/`, plus the
 * named opt-in files), by server-side apply: idempotent, so test files running side by side may all call it.
 */
export async function installSwitchyard(admin: KubeConfig, optIn: readonly string[] = []): Promise<KubeObject[]> {
  const objects = manifestsOf([
    ...installFiles(),
    ...optIn.map((name) => join(KUBERNETES_DIR, 'opt-in', `${name}.yml`)),
  ]);
  await applyObjects(admin, objects, { fieldManager: 'switchyard-install', force: true });
  return objects;
}

/**
 * Waits until the API server enforces each admission policy (it loads them from a watch, a moment after
 * they are stored): for each policy, a dry-run write that only that policy refuses is retried until it
 * is refused by it. `previewNamespace` is one the writer created; `secrets` when opt-in/secrets.yml is on.
 */
export async function waitForPolicies(
  writer: KubeConfig,
  previewNamespace: string,
  options: { secrets?: boolean } = {},
): Promise<void> {
  const w = writes(writer, true);
  const podSpec = { hostNetwork: true, containers: [{ name: 'c', image: 'i' }] };
  const probes: [string, () => Promise<unknown>][] = [
    [
      'switchyard-writer-namespaces',
      () => w.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'probe-x' } }),
    ],
    [
      'switchyard-writer-scope',
      () => w.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'probe', namespace: 'default' } }),
    ],
    [
      'switchyard-writer-workloads',
      () =>
        w.create({
          apiVersion: 'apps/v1',
          kind: 'Deployment',
          metadata: { name: 'probe', namespace: previewNamespace },
          spec: {
            selector: { matchLabels: { a: 'b' } },
            template: { metadata: { labels: { a: 'b' } }, spec: podSpec },
          },
        }),
    ],
    [
      'switchyard-writer-services',
      () =>
        w.create({
          apiVersion: 'v1',
          kind: 'Service',
          metadata: { name: 'probe', namespace: previewNamespace },
          spec: { ports: [{ port: 80 }], externalIPs: ['192.0.2.1'] },
        }),
    ],
  ];
  if (options.secrets) {
    probes.push([
      'switchyard-writer-secrets',
      () =>
        w.create({
          apiVersion: 'v1',
          kind: 'Secret',
          metadata: {
            name: 'probe',
            namespace: previewNamespace,
            annotations: { 'kubernetes.io/service-account.name': 'default' },
          },
          type: 'kubernetes.io/service-account-token',
        }),
    ]);
  }
  const deadline = Date.now() + 60_000;
  for (const [policy, probe] of probes) {
    for (;;) {
      const message = await probe().then(
        () => 'allowed',
        (e: unknown) => String((e as { body?: unknown }).body ?? e),
      );
      if (message.includes(`ValidatingAdmissionPolicy '${policy}'`)) break;
      if (Date.now() > deadline) throw new Error(`policy ${policy} not enforced after 60 s (last answer: ${message})`);
      await new Promise((r) => setTimeout(r, 250));
    }
  }
}
