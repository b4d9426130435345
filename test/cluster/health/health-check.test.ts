import { CoreV1Api } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHandler } from '../../../functions/health-check.ts';
import { createHealthCluster } from '../../../shared/adapters/k8s/health-cluster.ts';
import { watchUntil } from '../../../shared/adapters/k8s/watch-until.ts';
import { createWebhookNotifier } from '../../../shared/adapters/notify/webhook-notifier.ts';
import type { HealthDeps } from '../../../shared/app/releases/index.ts';
import { healthStateName, Keys, SWITCHYARD_NAMESPACE } from '../../../shared/domain/naming.ts';
import { silentLogger } from '../../../shared/ports/logger.ts';
import { installSwitchyard } from '../../support/cluster/install-switchyard.ts';
import { testKubeConfig, testNamespaces } from '../../support/cluster/test-namespace.ts';
import {
  createDeployments,
  manualClock,
  patchPodStatus,
  podsOf,
  startWebhookReceiver,
} from '../../support/releases/cluster-fixtures.ts';

const kc = testKubeConfig();
const namespaces = testNamespaces(kc);
const core = kc.makeApiClient(CoreV1Api);
let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>;
let namespace: string;
/** Alerts about this file's namespace (the check covers the whole cluster, other files included). */
const ours = () => receiver.received.filter((r) => JSON.stringify(r.body).includes(`${namespace}/`));

beforeAll(async () => {
  await installSwitchyard(kc);
  receiver = await startWebhookReceiver();
  namespace = await namespaces.create('health');
  await createDeployments(kc, namespace, [
    { name: 'api-free', labels: { service: 'api', [Keys.track]: 'free' } },
    { name: 'api-paid', labels: { service: 'api', [Keys.track]: 'paid' } },
    { name: 'router', replicas: 1 },
  ]);
  await core.createNamespacedService({
    namespace,
    body: {
      metadata: { name: 'api', labels: { tier: 'service' } },
      spec: { selector: { service: 'api' }, ports: [{ port: 80, targetPort: 8080 }] },
    },
  });
  await readyEndpoints(4);
});
afterAll(async () => {
  await receiver?.close();
  await namespaces.cleanup();
});

/** Waits until the EndpointSlice controller shows `n` ready endpoints for the Service. */
async function readyEndpoints(n: number) {
  const result = await watchUntil(kc, {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    namespace,
    labelSelector: 'kubernetes.io/service-name=api',
    deadline: Date.now() + 60_000,
    until: (slices) => {
      const ready = slices
        .flatMap((s) => (s['endpoints'] as { conditions?: { ready?: boolean } }[] | undefined) ?? [])
        .filter((e) => e.conditions?.ready !== false);
      return ready.length === n ? true : undefined;
    },
  });
  if (!result.met) throw new Error(`EndpointSlices of api never showed ${n} ready endpoints`);
}

async function setReady(pod: string, ready: boolean) {
  const status = ready ? 'True' : 'False';
  await patchPodStatus(kc, namespace, pod, {
    conditions: [
      { type: 'Ready', status, lastTransitionTime: new Date().toISOString() },
      { type: 'ContainersReady', status, lastTransitionTime: new Date().toISOString() },
    ],
  });
}

describe('fleet health check on a real control plane', () => {
  it('alerts once when a track loses ready endpoints, never again while unchanged, and once on recovery', async () => {
    const clock = manualClock();
    const counter = { calls: 0 };
    const deps: HealthDeps = {
      clusters: [{ name: 'test', port: createHealthCluster(kc, counter) }],
      selector: `tier=service`,
      minReadyEndpoints: 2,
      proxyDeployment: 'router',
      notifier: createWebhookNotifier([{ name: 'ops', type: 'slack', url: receiver.url }]),
      clock,
      logger: silentLogger,
    };
    const check = createHandler(deps);
    const mine = (r: Awaited<ReturnType<typeof check>>) => r.rows.filter((row) => row.namespace === namespace);

    const healthy = await check({});
    expect(mine(healthy)).toEqual([
      { cluster: 'test', namespace, service: 'api', track: null, ok: true, problem: null },
    ]);
    expect(ours()).toEqual([]);

    const [pod] = await podsOf(kc, namespace, 'api-paid');
    await setReady(pod!.metadata!.name!, false);
    await readyEndpoints(3);
    clock.advance(1);
    const failing = await check({});
    expect(failing.alerts.filter((a) => a.service === `${namespace}/api`)).toEqual([
      { cluster: 'test', service: `${namespace}/api`, kind: 'failing', delivered: true },
    ]);
    expect(ours()).toHaveLength(1);
    const text = (ours()[0]!.body as { text: string }).text;
    expect(text).toContain(`${namespace}/api is failing`);
    expect(text).toContain('paid: api-paid: 1 ready endpoints (at least 2 wanted)');

    clock.advance(1);
    const again = await check({});
    expect(again.alerts.filter((a) => a.service === `${namespace}/api`)).toEqual([]);
    expect(ours()).toHaveLength(1);

    await setReady(pod!.metadata!.name!, true);
    await readyEndpoints(4);
    clock.advance(1);
    const recovered = await check({});
    expect(recovered.alerts.filter((a) => a.service === `${namespace}/api`)).toEqual([
      { cluster: 'test', service: `${namespace}/api`, kind: 'recovered', delivered: true },
    ]);
    clock.advance(1);
    await check({});
    expect(ours().map((r) => (r.body as { text: string }).text.split('\n')[0])).toEqual([
      `:rotating_light: ${namespace}/api is failing`,
      `:white_check_mark: ${namespace}/api recovered`,
    ]);
    // The state is kept in switchyard's namespace, never on the Service.
    const service = await core.readNamespacedService({ namespace, name: 'api' });
    expect(service.metadata?.annotations?.[Keys.health]).toBeUndefined();
    const state = await core.readNamespacedConfigMap({
      namespace: SWITCHYARD_NAMESPACE,
      name: healthStateName(namespace, 'api'),
    });
    expect(JSON.parse(state.data?.['state'] ?? '{}')).toMatchObject({
      status: 'ok',
      problems: [],
    });
  });

  it('alerts when the routing proxy is down, and keeps the state when the webhook refuses so the next run alerts', async () => {
    const clock = manualClock();
    const refusing = createWebhookNotifier(
      [{ name: 'ops', type: 'slack', url: `${receiver.url.replace(/\/services.*/, '')}/nowhere` }],
      {
        fetch: (async () => new Response('no_service', { status: 404 })) as unknown as typeof fetch,
      },
    );
    const deps = (notifier = refusing): HealthDeps => ({
      clusters: [{ name: 'test', port: createHealthCluster(kc) }],
      selector: 'tier=service',
      minReadyEndpoints: 2,
      proxyDeployment: 'router',
      notifier,
      clock,
      logger: silentLogger,
    });
    const [router] = await podsOf(kc, namespace, 'router');
    await setReady(router!.metadata!.name!, false);
    await watchUntil(kc, {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      namespace,
      fieldSelector: 'metadata.name=router',
      deadline: Date.now() + 30_000,
      until: ([d]) =>
        ((d?.['status'] as { readyReplicas?: number } | undefined)?.readyReplicas ?? 0) === 0 ? true : undefined,
    });
    const before = ours().length;
    const refused = await createHandler(deps())({});
    expect(refused.alerts.filter((a) => a.service === `${namespace}/api`)).toEqual([
      { cluster: 'test', service: `${namespace}/api`, kind: 'failing', delivered: false },
    ]);
    const delivered = await createHandler(
      deps(createWebhookNotifier([{ name: 'ops', type: 'webhook', url: receiver.url }])),
    )({});
    expect(delivered.alerts.filter((a) => a.service === `${namespace}/api`)).toEqual([
      { cluster: 'test', service: `${namespace}/api`, kind: 'failing', delivered: true },
    ]);
    expect(
      ours()
        .slice(before)
        .map((r) => r.body),
    ).toEqual([
      {
        title: `:rotating_light: ${namespace}/api is failing`,
        text: expect.stringContaining('router: proxy router: 0/1 replicas ready'),
        severity: 'error',
      },
    ]);
    await setReady(router!.metadata!.name!, true);
  });
});
