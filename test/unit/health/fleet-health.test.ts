import { describe, expect, it } from 'vitest';
import {
  type EndpointSliceView,
  evaluateFleet,
  type ServiceView,
} from '../../../shared/domain/release/fleet-health.ts';
import { formatAlert, healthTransition, parseHealthState } from '../../../shared/domain/release/health-alerts.ts';
import { deployment } from '../../support/releases/deployments.ts';

const service: ServiceView = {
  namespace: 'shop',
  name: 'web',
  resourceVersion: '1',
  selector: { app: 'web' },
  annotations: {},
};
const track = (name: string, t: string, replicas = 2) =>
  deployment(name, {
    replicas,
    labels: { 'switchyard.dev/track': t },
    podLabels: { app: 'web', 'switchyard.dev/track': t },
  });
const slice = (pods: [string, boolean][]): EndpointSliceView => ({
  namespace: 'shop',
  serviceName: 'web',
  endpoints: pods.map(([podName, ready]) => ({ podName, ready })),
});

describe('evaluateFleet', () => {
  const healthy = {
    services: [service],
    deployments: [track('web-free', 'free'), track('web-paid', 'paid'), deployment('proxy', { replicas: 1 })],
    slices: [
      slice([
        ['web-free-7c9d8f-abcde', true],
        ['web-free-7c9d8f-fghij', true],
        ['web-paid-5b6c7d-klmno', true],
        ['web-paid-5b6c7d-pqrst', true],
      ]),
    ],
    minReadyEndpoints: 2,
    proxyDeployment: 'proxy',
  };

  it('finds nothing wrong when every track has its replicas and two ready endpoints and the proxy is up', () => {
    expect(evaluateFleet(healthy)).toEqual([{ namespace: 'shop', name: 'web', problems: [] }]);
  });

  it('names the track without enough ready endpoints, the one short of replicas, and a proxy down', () => {
    const result = evaluateFleet({
      ...healthy,
      deployments: [
        track('web-free', 'free'),
        { ...track('web-paid', 'paid'), readyReplicas: 1 },
        deployment('proxy', { replicas: 1, readyReplicas: 0 }),
      ],
      slices: [
        slice([
          ['web-free-7c9d8f-abcde', true],
          ['web-free-7c9d8f-fghij', false],
          ['web-paid-5b6c7d-klmno', true],
          ['web-paid-5b6c7d-pqrst', true],
        ]),
      ],
    });
    expect(result[0]!.problems).toEqual([
      { code: 'endpoints', where: 'free', detail: 'web-free: 1 ready endpoints (at least 2 wanted)' },
      { code: 'replicas', where: 'paid', detail: 'web-paid: 1/2 replicas ready' },
      { code: 'proxy', where: 'proxy', detail: 'proxy proxy: 0/1 replicas ready' },
    ]);
  });

  it('does not count endpoints of a Deployment whose name merely starts with the same words', () => {
    const result = evaluateFleet({
      services: [{ ...service, selector: { app: 'web', 'switchyard.dev/track': 'x' } }],
      deployments: [deployment('web', { replicas: 2, podLabels: { app: 'web', 'switchyard.dev/track': 'x' } })],
      slices: [
        slice([
          ['web-free-7c9d8f-abcde', true],
          ['web-free-7c9d8f-fghij', true],
        ]),
      ],
      minReadyEndpoints: 2,
    });
    expect(result[0]!.problems.map((p) => p.code)).toEqual(['endpoints']);
  });

  it('reports a Service no Deployment serves', () => {
    expect(evaluateFleet({ ...healthy, deployments: [] })[0]!.problems.map((p) => p.code)).toEqual(['no-deployment']);
  });
});

describe('healthTransition', () => {
  const now = new Date('2026-11-01T10:00:00Z');
  const down = [{ code: 'endpoints' as const, where: 'free', detail: 'web-free: 1 ready endpoints' }];

  it('alerts once when a service starts failing, not again while the failure is unchanged', () => {
    const first = healthTransition(null, down, now);
    expect(first).toEqual({
      alert: 'failing',
      next: { status: 'failing', since: now.toISOString(), problems: ['endpoints:free'] },
    });
    const countsMoved = [{ ...down[0]!, detail: 'web-free: 0 ready endpoints' }];
    expect(healthTransition(first.next, countsMoved, new Date('2026-11-01T10:05:00Z'))).toEqual({
      alert: null,
      next: null,
    });
  });

  it('alerts once on recovery, and says nothing for a service that was never failing', () => {
    const failing = { status: 'failing' as const, since: '2026-11-01T09:00:00.000Z', problems: ['endpoints:free'] };
    expect(healthTransition(failing, [], now)).toEqual({
      alert: 'recovered',
      next: { status: 'ok', since: now.toISOString(), problems: [] },
    });
    expect(healthTransition({ status: 'ok', since: '', problems: [] }, [], now)).toEqual({ alert: null, next: null });
    expect(healthTransition(null, [], now)).toEqual({ alert: null, next: null });
  });

  it('alerts when the set of problems changes', () => {
    const failing = { status: 'failing' as const, since: '2026-11-01T09:00:00.000Z', problems: ['endpoints:free'] };
    const more = [...down, { code: 'proxy' as const, where: 'proxy', detail: 'proxy missing' }];
    expect(healthTransition(failing, more, now)).toMatchObject({
      alert: 'changed',
      next: { since: failing.since, problems: ['endpoints:free', 'proxy:proxy'] },
    });
  });

  it('reads back what it stores and ignores a hand-edited annotation', () => {
    const state = healthTransition(null, down, now).next!;
    expect(parseHealthState(JSON.stringify(state))).toEqual(state);
    expect(parseHealthState('{not json')).toBeNull();
    expect(parseHealthState('{"status":"maybe"}')).toBeNull();
  });

  it('summarises what is wrong and where', () => {
    const message = formatAlert('failing', { namespace: 'shop', name: 'web', problems: down }, now.toISOString());
    expect(message.text).toBe(':rotating_light: shop/web is failing\n• free: web-free: 1 ready endpoints');
    expect(formatAlert('recovered', { namespace: 'shop', name: 'web', problems: [] }, 'x').title).toMatch(/recovered/);
  });
});
