// Release and health figures for docs/benchmarks.md ("Releases and health"):
// - one merge notification (handleCiResult) updating 50 Deployments across 5 environments: Kubernetes
//   requests, GitHub calls and time, without waiting and with waiting for the rollouts (+ one tick);
// - the fleet health check over 200 Services (400 pods): requests and time when all is well, and when
//   10 of them start failing (state writes and alerts to a local webhook receiver).
// Starts its own control plane (separate state directory, free ports, 5 kwok nodes) and the GitHub stand-in.
//   node --experimental-strip-types bench/releases.ts
import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { AppsV1Api, CoreV1Api, type KubeConfig } from '@kubernetes/client-node';
import { createGitHubScm } from '../shared/adapters/github/github-scm.ts';
import { applyObjects, type KubeObject } from '../shared/adapters/k8s/apply-objects.ts';
import { createHealthCluster } from '../shared/adapters/k8s/health-cluster.ts';
import { kubeConfigFromFile } from '../shared/adapters/k8s/kube-client.ts';
import { createReleaseCluster } from '../shared/adapters/k8s/release-cluster.ts';
import { toDeploymentView } from '../shared/adapters/k8s/release-views.ts';
import { watchUntil } from '../shared/adapters/k8s/watch-until.ts';
import { createWebhookNotifier } from '../shared/adapters/notify/webhook-notifier.ts';
import { checkHealth, handleCiResult, type ReleaseDeps } from '../shared/app/releases/index.ts';
import { AppSchema } from '../shared/config/schema.ts';
import { SWITCHYARD_NAMESPACE } from '../shared/domain/naming.ts';
import { rolloutProgress } from '../shared/domain/release/deployment-view.ts';
import { systemClock } from '../shared/ports/clock.ts';
import { silentLogger } from '../shared/ports/logger.ts';
import { startGitHubServer } from '../test/support/github/index.ts';
import { startWebhookReceiver } from '../test/support/releases/cluster-fixtures.ts';

const root = resolve(import.meta.dirname, '..');
const dir = join('/dev/shm', `switchyard-bench-releases-${process.pid}`);
const env = { ...process.env, SWITCHYARD_CLUSTER_DIR: dir, SWITCHYARD_CLUSTER_NODES: '5' };
function script(name: string): void {
  const r = spawnSync('bash', [join(root, 'scripts/cluster', name)], { env, stdio: ['ignore', 'pipe', 'inherit'] });
  if (r.status !== 0) throw new Error(`${name} failed:\n${r.stdout}`);
}
const pct = (xs: number[], p: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(p * xs.length))] ?? 0;
const fmt = (xs: number[]) => `p50 ${pct(xs, 0.5).toFixed(0)} / max ${Math.max(...xs).toFixed(0)} ms`;
const sha = (n: number) => n.toString(16).padStart(40, 'a');

function deployment(
  namespace: string,
  name: string,
  replicas: number,
  labels: Record<string, string> = {},
): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace, labels },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name, ...labels } },
        spec: { containers: [{ name: 'app', image: 'registry.example.com/bench/app:v0' }] },
      },
    },
  };
}

async function waitAll(kc: KubeConfig, namespaces: readonly string[], ms = 600_000) {
  for (const namespace of namespaces) {
    const r = await watchUntil(kc, {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      namespace,
      deadline: Date.now() + ms,
      until: (items) => (items.every((i) => rolloutProgress(toDeploymentView(i)).done) ? true : undefined),
    });
    if (!r.met) throw new Error(`Deployments in ${namespace} did not roll out`);
  }
}

script('up.sh');
const gh = await startGitHubServer({ tokens: ['bench'] });
const receiver = await startWebhookReceiver();
try {
  const kc = kubeConfigFromFile(join(dir, 'kubeconfig'));
  let kubeRequests = 0;
  const authenticate = kc.applySecurityAuthentication.bind(kc);
  kc.applySecurityAuthentication = async (ctx) => {
    kubeRequests++;
    return authenticate(ctx);
  };
  const core = kc.makeApiClient(CoreV1Api);
  const apps = kc.makeApiClient(AppsV1Api);

  // ---- one merge notification, 50 Deployments in 5 environments --------------------------------
  const envs = ['dev', 'qa', 'staging', 'perf', 'production'];
  const relNs = envs.map((e) => `rel-${e}`);
  for (const ns of relNs) await core.createNamespace({ body: { metadata: { name: ns } } });
  const names = Array.from({ length: 10 }, (_, i) => `svc-${i}`);
  for (const ns of relNs)
    await applyObjects(
      kc,
      names.map((n) => deployment(ns, n, 1)),
      { fieldManager: 'kubectl' },
    );
  await waitAll(kc, relNs);
  const app = AppSchema.parse({
    name: 'bench',
    repo: 'acme/bench',
    image: 'registry.example.com/bench/app',
    cluster: 'bench',
    environments: envs.map((e, i) => ({
      name: e,
      branch: 'main',
      namespace: relNs[i],
      production: e === 'production',
      deployments: names.map((n) => ({ name: n, containers: ['app'] })),
    })),
  });
  const deps: ReleaseDeps = {
    apps: [app],
    cluster: async () => createReleaseCluster(kc),
    scm: createGitHubScm({
      auth: { kind: 'token', token: 'bench' },
      baseUrl: gh.url,
      logger: silentLogger,
      throttle: false,
      retries: 0,
      botLogin: 'switchyard[bot]',
    }),
    clock: systemClock,
    logger: silentLogger,
  };
  const intent = (n: number) => ({
    kind: 'ci_result' as const,
    deliveryId: `bench-${n}`,
    repo: 'acme/bench',
    eventTime: new Date(Date.UTC(2026, 10, 1, 0, n)).toISOString(),
    sha: sha(n),
    branch: 'main',
    result: 'success' as const,
    source: 'ci_notification' as const,
    image: null,
    prs: [],
    url: null,
    name: 'ci',
  });
  const noWait: number[] = [];
  const withWait: number[] = [];
  let noWaitKube = 0;
  let noWaitGh = 0;
  let waitKube = 0;
  let waitGh = 0;
  let n = 1;
  for (let i = 0; i < 5; i++, n++) {
    const k0 = kubeRequests;
    const g0 = gh.calls.length;
    const t = performance.now();
    const r = await handleCiResult(deps, intent(n));
    noWait.push(performance.now() - t);
    noWaitKube = kubeRequests - k0;
    noWaitGh = gh.calls.length - g0;
    if (r.environments.filter((e) => e.action === 'deployed').length !== 5) throw new Error('not all deployed');
    await waitAll(kc, relNs);
  }
  for (let i = 0; i < 5; i++, n++) {
    const k0 = kubeRequests;
    const g0 = gh.calls.length;
    const t = performance.now();
    const r = await handleCiResult(deps, intent(n), { deadline: Date.now() + 120_000 });
    withWait.push(performance.now() - t);
    waitKube = kubeRequests - k0;
    waitGh = gh.calls.length - g0;
    if (!r.environments.every((e) => e.rolledOut)) throw new Error('not all rolled out');
  }
  const image = (await apps.readNamespacedDeployment({ namespace: 'rel-qa', name: 'svc-3' })).spec?.template.spec
    ?.containers[0]?.image;
  console.log(`merge -> 50 Deployments in 5 environments (last image ${image})`);
  console.log(`  apply only:            ${fmt(noWait)}; ${noWaitKube} Kubernetes requests, ${noWaitGh} GitHub calls`);
  console.log(`  apply + wait + report: ${fmt(withWait)}; ${waitKube} Kubernetes requests, ${waitGh} GitHub calls`);

  // ---- health check over 200 Services ------------------------------------------------------------
  const healthNs = Array.from({ length: 10 }, (_, i) => `fleet-${i}`);
  // The alert state lives in switchyard's namespace (deploy/kubernetes/00-namespace.yml).
  await core.createNamespace({ body: { metadata: { name: SWITCHYARD_NAMESPACE } } });
  for (const ns of healthNs) {
    await core.createNamespace({ body: { metadata: { name: ns } } });
    const svcs = Array.from({ length: 20 }, (_, i) => `api-${i}`);
    await applyObjects(
      kc,
      svcs.map((s) => deployment(ns, s, 2, { service: s })),
      { fieldManager: 'kubectl' },
    );
    for (const s of svcs) {
      await core.createNamespacedService({
        namespace: ns,
        body: {
          metadata: { name: s, labels: { tier: 'service' } },
          spec: { selector: { service: s }, ports: [{ port: 80 }] },
        },
      });
    }
  }
  await waitAll(kc, healthNs);
  // EndpointSlices follow the pods a moment later.
  await new Promise((r) => setTimeout(r, 5_000));
  const healthDeps = {
    clusters: [{ name: 'bench', port: createHealthCluster(kc) }],
    selector: 'tier=service',
    minReadyEndpoints: 2,
    notifier: createWebhookNotifier([{ name: 'ops', type: 'slack' as const, url: receiver.url }]),
    clock: systemClock,
    logger: silentLogger,
  };
  const quiet: number[] = [];
  let quietKube = 0;
  let failingServices = 0;
  for (let i = 0; i < 5; i++) {
    const k0 = kubeRequests;
    const t = performance.now();
    const r = await checkHealth(healthDeps);
    quiet.push(performance.now() - t);
    quietKube = kubeRequests - k0;
    failingServices = r.failing;
    if (r.services !== 200) throw new Error(`saw ${r.services} services`);
  }
  // 10 Services lose a replica (1 ready endpoint < 2).
  for (let i = 0; i < 10; i++) {
    await apps.patchNamespacedDeployment(
      { namespace: healthNs[i]!, name: 'api-0', body: { spec: { replicas: 1 } } },
      (await import('@kubernetes/client-node')).setHeaderOptions('Content-Type', 'application/merge-patch+json'),
    );
  }
  await waitAll(kc, healthNs);
  await new Promise((r) => setTimeout(r, 5_000));
  const k0 = kubeRequests;
  const t = performance.now();
  const alerting = await checkHealth(healthDeps);
  const alertMs = performance.now() - t;
  const alertKube = kubeRequests - k0;
  console.log('health check over 200 Services (400 pods, 10 namespaces)');
  console.log(
    `  all healthy (${failingServices} failing): ${fmt(quiet)}; ${quietKube} Kubernetes requests, 0 webhook posts`,
  );
  console.log(
    `  10 start failing: ${alertMs.toFixed(0)} ms; ${alertKube} Kubernetes requests, ${alerting.alerts.length} alerts, ${receiver.received.length} webhook posts`,
  );
} finally {
  await receiver.close();
  await gh.close();
  script('down.sh');
}
