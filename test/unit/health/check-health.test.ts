import { describe, expect, it } from 'vitest';
import { createHandler } from '../../../functions/health-check.ts';
import type { HealthDeps } from '../../../shared/app/releases/index.ts';
import type { ServiceView } from '../../../shared/domain/release/fleet-health.ts';
import type { HealthState } from '../../../shared/domain/release/health-alerts.ts';
import { ConflictError, TransientError } from '../../../shared/errors.ts';
import type { HealthClusterPort } from '../../../shared/ports/health.ts';
import { silentLogger } from '../../../shared/ports/logger.ts';
import type { Notification } from '../../../shared/ports/notifier.ts';
import { deployment } from '../../support/releases/deployments.ts';

function fakeCluster(readyEndpoints: number) {
  let service: ServiceView = {
    namespace: 'shop',
    name: 'web',
    resourceVersion: '1',
    selector: { app: 'web' },
    annotations: {},
  };
  const writes: (HealthState | null)[] = [];
  let conflict = false;
  const port: HealthClusterPort = {
    listServices: async () => [service],
    listDeployments: async () => [deployment('web', { replicas: 2 })],
    listEndpointSlices: async () => [
      {
        namespace: 'shop',
        serviceName: 'web',
        endpoints: Array.from({ length: 2 }, (_, i) => ({
          ready: i < readyEndpoints,
          podName: `web-5d9f8c7b6-x${i}abc`,
        })),
      },
    ],
    forgetHealthStates: async () => 0,
    writeHealthState: async (s, state) => {
      if (conflict) throw new ConflictError('the object has been modified');
      if (s.alertState?.version !== service.alertState?.version) throw new ConflictError('stale');
      writes.push(state);
      const version = String(Number(service.alertState?.version ?? '0') + 1);
      service = { ...service, alertState: { value: state === null ? undefined : JSON.stringify(state), version } };
      return version;
    },
  };
  return { port, writes, setConflict: (c: boolean) => (conflict = c) };
}

function deps(port: HealthClusterPort, notify: (m: Notification) => Promise<void>): HealthDeps {
  return {
    clusters: [{ name: 'main', port }],
    selector: 'tier=service',
    minReadyEndpoints: 2,
    notifier: { notify },
    clock: { now: () => new Date('2026-11-02T10:00:00Z'), sleep: async () => {} },
    logger: silentLogger,
  };
}

describe('checkHealth', () => {
  it('puts the previous state back when the alert cannot be delivered, so the next run alerts', async () => {
    const cluster = fakeCluster(1);
    const refused = await createHandler(
      deps(cluster.port, async () => Promise.reject(new TransientError('unreachable'))),
    )({});
    expect(refused.alerts).toEqual([{ cluster: 'main', service: 'shop/web', kind: 'failing', delivered: false }]);
    expect(cluster.writes).toEqual([expect.objectContaining({ status: 'failing' }), null]);
    const sent: Notification[] = [];
    const delivered = await createHandler(deps(cluster.port, async (m) => void sent.push(m)))({});
    expect(delivered.alerts).toEqual([{ cluster: 'main', service: 'shop/web', kind: 'failing', delivered: true }]);
    expect(sent).toEqual([
      expect.objectContaining({ severity: 'error', title: ':rotating_light: shop/web is failing' }),
    ]);
  });

  it('leaves the alert to the run that recorded the transition first', async () => {
    const cluster = fakeCluster(1);
    cluster.setConflict(true);
    const sent: Notification[] = [];
    const result = await createHandler(deps(cluster.port, async (m) => void sent.push(m)))({});
    expect(result.alerts).toEqual([]);
    expect(sent).toEqual([]);
  });

  it('writes and sends nothing on a dry run, but still reports what is wrong', async () => {
    const cluster = fakeCluster(0);
    const sent: Notification[] = [];
    const result = await createHandler(deps(cluster.port, async (m) => void sent.push(m)))({ dryRun: true });
    expect(result.rows).toEqual([
      {
        cluster: 'main',
        namespace: 'shop',
        service: 'web',
        track: 'web',
        ok: false,
        problem: 'web: 0 ready endpoints (at least 2 wanted)',
      },
    ]);
    expect(cluster.writes).toEqual([]);
    expect(sent).toEqual([]);
  });
});
