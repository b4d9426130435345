import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { operateShift } from '../../../shared/app/traffic/operate-shift.ts';
import { readShiftStatuses } from '../../../shared/app/traffic/read-shift-status.ts';
import { tickShifts } from '../../../shared/app/traffic/tick-shifts.ts';
import type { RecordSet } from '../../../shared/domain/traffic/record-set.ts';
import type { RequestCountPort, RequestCountQuery } from '../../../shared/ports/traffic-gates.ts';
import { shiftConfig, startTrafficHarness, type TrafficHarness } from '../../support/traffic/traffic-harness.ts';

let h: TrafficHarness;
beforeEach(async () => {
  h = await startTrafficHarness();
  h.server.control.seed(h.zoneId, [
    { action: 'CREATE', record: { name: 'www.example.com', type: 'A', ttl: 60, values: ['192.0.2.10'] } },
  ]);
});
afterEach(async () => {
  await h.close();
});

function group(): RecordSet[] {
  return h.server.control.records(h.zoneId).filter((r) => r.name === 'www.example.com.' && r.type === 'A');
}

function geoMap(): Record<string, string> {
  return Object.fromEntries(group().map((r) => [r.geoLocation?.countryCode ?? 'simple', (r.values ?? []).join()]));
}

const LEGACY = '192.0.2.10';
const K8S = '198.51.100.20';

describe('geolocation, country by country', () => {
  it('moves DE, FR, IT one at a time with * on legacy until the last step', async () => {
    const shift = shiftConfig({
      hostedZoneId: h.zoneId,
      routing: { policy: 'geolocation', countries: ['DE', 'FR', 'IT'] },
      intervalMinutes: 15,
    });
    await operateShift(h.deps, shift, 'start');
    await tickShifts(h.deps, [shift]);
    // One batch: DELETE the simple record, CREATE `*` (legacy) and DE (kubernetes).
    expect(geoMap()).toEqual({ '*': LEGACY, DE: K8S });
    h.clock.advanceMinutes(15);
    await tickShifts(h.deps, [shift]);
    expect(geoMap()).toEqual({ '*': LEGACY, DE: K8S, FR: K8S });
    h.clock.advanceMinutes(15);
    await tickShifts(h.deps, [shift]);
    expect(geoMap()).toEqual({ '*': LEGACY, DE: K8S, FR: K8S, IT: K8S });
    h.clock.advanceMinutes(15);
    await tickShifts(h.deps, [shift]);
    expect(geoMap()).toEqual({ '*': K8S, DE: K8S, FR: K8S, IT: K8S });
    h.clock.advanceMinutes(15);
    await tickShifts(h.deps, [shift]);
    const [s] = await readShiftStatuses(h.deps, [shift]);
    expect(s).toMatchObject({ state: 'done', weights: { kubernetes: 100, legacy: 0 } });
    expect(s!.steps.map((x) => x.label)).toEqual([
      'DE to kubernetes',
      'FR to kubernetes',
      'IT to kubernetes',
      'default (*) to kubernetes',
    ]);
  });

  it('a failing gate takes the last country back', async () => {
    const hc = h.server.control.createHealthCheck(true);
    const shift = shiftConfig({
      hostedZoneId: h.zoneId,
      routing: { policy: 'geolocation', countries: ['DE', 'FR'] },
      gates: [{ healthCheckId: hc, source: 'route53' }],
    });
    await operateShift(h.deps, shift, 'start');
    await tickShifts(h.deps, [shift]);
    h.clock.advanceMinutes(10);
    await tickShifts(h.deps, [shift]);
    expect(geoMap()).toEqual({ '*': LEGACY, DE: K8S, FR: K8S });
    h.server.control.setHealthy(hc, false);
    await tickShifts(h.deps, [shift]);
    expect(geoMap()).toEqual({ '*': LEGACY, DE: K8S });
    const [s] = await readShiftStatuses(h.deps, [shift]);
    expect(s!.state).toBe('paused');
  });
});

describe('failover', () => {
  it('converts to primary kubernetes / secondary legacy with their health checks, and abort restores the simple record', async () => {
    const k8sHc = h.server.control.createHealthCheck(true);
    const legacyHc = h.server.control.createHealthCheck(true);
    const shift = shiftConfig({
      hostedZoneId: h.zoneId,
      routing: { policy: 'failover', kubernetesHealthCheckId: k8sHc, legacyHealthCheckId: legacyHc },
    });
    await operateShift(h.deps, shift, 'start');
    await tickShifts(h.deps, [shift]);
    expect(group().map((r) => [r.failover, r.values?.[0], r.healthCheckId])).toEqual([
      ['PRIMARY', K8S, k8sHc],
      ['SECONDARY', LEGACY, legacyHc],
    ]);
    await operateShift(h.deps, shift, 'abort');
    expect(group()).toEqual([{ name: 'www.example.com.', type: 'A', ttl: 60, values: [LEGACY] }]);
  });
});

class FakeRequests implements RequestCountPort {
  counts: number[] = [];
  queries: RequestCountQuery[] = [];
  async sum(q: RequestCountQuery): Promise<number> {
    this.queries.push(q);
    return this.counts.shift() ?? 0;
  }
}

describe('finish', () => {
  it('reports legacy quiet only after a window of zero requests, then collapses to a simple record', async () => {
    const requests = new FakeRequests();
    h.deps.requests = requests;
    const shift = shiftConfig({
      hostedZoneId: h.zoneId,
      steps: { model: 'list', weights: [50, 100] },
      intervalMinutes: 5,
      finish: {
        requestCount: { dimensions: { LoadBalancer: 'app/legacy/0123456789abcdef' } },
        quietMinutes: 15,
        collapse: true,
      },
    });
    await operateShift(h.deps, shift, 'start');
    await tickShifts(h.deps, [shift]);
    h.clock.advanceMinutes(5);
    await tickShifts(h.deps, [shift]);
    expect(group().map((r) => [r.setIdentifier, r.weight])).toEqual([
      ['kubernetes', 100],
      ['legacy', 0],
    ]);
    // Within TTL + quiet window: nothing is asked yet, nothing done.
    h.clock.advanceMinutes(10);
    const early = await tickShifts(h.deps, [shift]);
    expect(early.results[0]!.reason).toMatch(/quiet window ends/);

    h.clock.advanceMinutes(10);
    requests.counts = [42];
    const busy = await tickShifts(h.deps, [shift]);
    expect(busy.results[0]!.reason).toMatch(/still received 42 requests/);
    expect(requests.queries.at(-1)).toMatchObject({
      namespace: 'AWS/ApplicationELB',
      metricName: 'RequestCount',
      dimensions: { LoadBalancer: 'app/legacy/0123456789abcdef' },
    });

    h.clock.advanceMinutes(15);
    requests.counts = [0];
    const done = await tickShifts(h.deps, [shift]);
    expect(done.results[0]!.action).toBe('finish');
    expect(done.results[0]!.report.join('\n')).toMatch(/legacy side can be turned off/);
    expect(group()).toEqual([{ name: 'www.example.com.', type: 'A', ttl: 60, values: [K8S] }]);
    const [s] = await readShiftStatuses(h.deps, [shift]);
    expect(s).toMatchObject({ state: 'done', weights: { kubernetes: 100 } });
  });
});
