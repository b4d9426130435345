import { describe, expect, it } from 'vitest';
import { operateShift } from '../../../shared/app/traffic/operate-shift.ts';
import { readShiftStatuses } from '../../../shared/app/traffic/read-shift-status.ts';
import { tickShifts } from '../../../shared/app/traffic/tick-shifts.ts';
import type { TrafficDeps } from '../../../shared/app/traffic/traffic-deps.ts';
import type { ShiftConfig } from '../../../shared/config/shift-schema.ts';
import type { TrafficDnsPort } from '../../../shared/ports/traffic-dns.ts';
import { seedLegacy, shiftConfig, statusOf, useTrafficHarness } from '../../support/traffic/traffic-harness.ts';

const h = useTrafficHarness();

const status = (shift: ShiftConfig) => statusOf(h().deps, shift);

/** Holds every listRecordsAt until `n` callers have read: both ticks then plan from the same state. */
function withReadBarrier(dns: TrafficDnsPort, n: number): TrafficDnsPort {
  let waiting = 0;
  let release: () => void = () => {};
  const all = new Promise<void>((resolve) => {
    release = resolve;
  });
  return {
    listRecordsAt: async (zoneId, names) => {
      const records = await dns.listRecordsAt(zoneId, names);
      if (++waiting >= n) release();
      await all;
      return records;
    },
    applyChanges: (z, c, m) => dns.applyChanges(z, c, m),
    getChange: (id) => dns.getChange(id),
    waitForInSync: (id, ms) => dns.waitForInSync(id, ms),
  };
}

describe('shift safety', () => {
  it('two ticks racing on the same due step: exactly one advances, the other loses the compare-and-set', async () => {
    const shift = shiftConfig({ hostedZoneId: h().zoneId, steps: { model: 'list', weights: [10, 50, 100] } });
    seedLegacy(h(), shift);
    await operateShift(h().deps, shift, 'start');
    await tickShifts(h().deps, [shift]);
    h().clock.advanceMinutes(10);
    const racing: TrafficDeps = { ...h().deps, dns: withReadBarrier(h().dns, 2) };
    const [a, b] = await Promise.all([tickShifts(racing, [shift]), tickShifts(racing, [shift])]);
    const outcomes = [a.results[0]!.outcome, b.results[0]!.outcome].sort();
    expect(outcomes).toEqual(['applied', 'conflict']);
    const s = await status(shift);
    expect(s.stepIndex).toBe(1);
    expect(s.weights).toEqual({ legacy: 50, kubernetes: 50 });
    expect(s.history.map((p) => p.kubernetes)).toEqual([0, 10, 50]);
  });

  it('rides out a throttling storm with backoff and still applies exactly one step', async () => {
    const shift = shiftConfig({ hostedZoneId: h().zoneId, steps: { model: 'list', weights: [10, 100] } });
    seedLegacy(h(), shift);
    await operateShift(h().deps, shift, 'start');
    h().server.control.resetCalls();
    h().server.control.inject('Throttling', 3);
    h().server.control.inject('PriorRequestNotComplete', 2, 'ChangeResourceRecordSets');
    const before = h().clock.sleeps.length;
    const tick = await tickShifts(h().deps, [shift]);
    expect(tick.results[0]).toMatchObject({ outcome: 'applied', action: 'advance' });
    const calls = h().server.control.calls();
    expect(calls.filter((c) => c.code === 'Throttling')).toHaveLength(3);
    expect(calls.filter((c) => c.code === 'PriorRequestNotComplete')).toHaveLength(2);
    expect(calls.filter((c) => c.operation === 'ChangeResourceRecordSets' && c.status === 200)).toHaveLength(1);
    // Backoff sleeps grow (full jitter keeps each within [cap/2, cap]).
    const sleeps = h().clock.sleeps.slice(before);
    expect(sleeps.length).toBeGreaterThanOrEqual(5);
    expect(Math.max(...sleeps)).toBeGreaterThan(Math.min(...sleeps));
    expect((await status(shift)).weights).toEqual({ legacy: 90, kubernetes: 10 });
  });

  it('a storm longer than the retry budget fails that tick cleanly; the next tick applies', async () => {
    const shift = shiftConfig({ hostedZoneId: h().zoneId, steps: { model: 'list', weights: [10, 100] } });
    seedLegacy(h(), shift);
    await operateShift(h().deps, shift, 'start');
    h().server.control.inject('Throttling', 6, 'ListResourceRecordSets');
    const failed = await tickShifts(h().deps, [shift]);
    expect(failed.results[0]!.outcome).toBe('error');
    expect(failed.results[0]!.error).toMatch(/Throttling: Rate exceeded/);
    expect((await status(shift)).stepIndex).toBe(-1);
    const ok = await tickShifts(h().deps, [shift]);
    expect(ok.results[0]!.outcome).toBe('applied');
  });

  it('a change still PENDING holds the step until Route 53 says INSYNC', async () => {
    const shift = shiftConfig({
      hostedZoneId: h().zoneId,
      steps: { model: 'list', weights: [10, 50, 100] },
      inSyncDeadlineSeconds: 30,
    });
    seedLegacy(h(), shift);
    await operateShift(h().deps, shift, 'start');
    h().server.control.holdChanges(true);
    const applied = await tickShifts(h().deps, [shift]);
    expect(applied.results[0]).toMatchObject({ outcome: 'applied', inSync: false });
    const s = await status(shift);
    expect(s.pendingChange).toMatch(/^C/);

    h().clock.advanceMinutes(60);
    const held = await tickShifts(h().deps, [shift]);
    expect(held.results[0]!.reason).toMatch(/waiting for change .* INSYNC/);
    expect((await status(shift)).weights).toEqual({ legacy: 90, kubernetes: 10 });

    h().server.control.flushChanges();
    const moved = await tickShifts(h().deps, [shift]);
    expect(moved.results[0]).toMatchObject({ action: 'advance', inSync: true });
    expect((await status(shift)).weights).toEqual({ legacy: 50, kubernetes: 50 });
    expect((await status(shift)).pendingChange).toBeNull();
  });

  it('a failing health-check gate mid-shift rolls back to the last good step in one batch and pauses', async () => {
    const hc = h().server.control.createHealthCheck(true);
    const shift = shiftConfig({
      hostedZoneId: h().zoneId,
      steps: { model: 'list', weights: [10, 50, 100] },
      gates: [{ healthCheckId: hc, source: 'route53' }],
    });
    seedLegacy(h(), shift);
    await operateShift(h().deps, shift, 'start');
    await tickShifts(h().deps, [shift]);
    h().clock.advanceMinutes(10);
    await tickShifts(h().deps, [shift]);
    expect((await status(shift)).weights).toEqual({ legacy: 50, kubernetes: 50 });

    h().server.control.setHealthy(hc, false);
    h().server.control.resetCalls();
    const rolled = await tickShifts(h().deps, [shift]);
    expect(rolled.results[0]).toMatchObject({ action: 'rollback', outcome: 'applied' });
    expect(
      h()
        .server.control.calls()
        .filter((c) => c.operation === 'ChangeResourceRecordSets'),
    ).toHaveLength(1);
    const s = await status(shift);
    expect(s).toMatchObject({ state: 'paused', reason: `gate:health:${hc}`, stepIndex: 0 });
    expect(s.weights).toEqual({ legacy: 90, kubernetes: 10 });

    // Healthy again is not enough: an operator resumes.
    h().server.control.setHealthy(hc, true);
    h().clock.advanceMinutes(30);
    expect((await tickShifts(h().deps, [shift])).results[0]!.action).toBe('none');
    await operateShift(h().deps, shift, 'resume');
    h().clock.advanceMinutes(10);
    await tickShifts(h().deps, [shift]);
    expect((await status(shift)).weights).toEqual({ legacy: 50, kubernetes: 50 });
  });

  it('a Deployment gate failing while the step waits for promote still rolls back (flagger#1801)', async () => {
    const shift = shiftConfig({
      hostedZoneId: h().zoneId,
      steps: { model: 'list', weights: [10, { weight: 50, pause: 'indefinite' }, 100] },
      gates: [{ deployment: { namespace: 'shop', name: 'web' } }],
    });
    seedLegacy(h(), shift);
    await operateShift(h().deps, shift, 'start');
    await tickShifts(h().deps, [shift]);
    h().clock.advanceMinutes(10);
    await tickShifts(h().deps, [shift]);
    expect((await status(shift)).weights).toEqual({ legacy: 50, kubernetes: 50 });
    h().deployments.unavailable.add('shop/web');
    const rolled = await tickShifts(h().deps, [shift]);
    expect(rolled.results[0]!.action).toBe('rollback');
    expect((await status(shift)).weights).toEqual({ legacy: 90, kubernetes: 10 });
  });

  it('abort is honoured during a pause: all traffic back to legacy, and ticks leave it alone', async () => {
    const shift = shiftConfig({ hostedZoneId: h().zoneId, steps: { model: 'list', weights: [10, 50, 100] } });
    seedLegacy(h(), shift);
    await operateShift(h().deps, shift, 'start');
    await tickShifts(h().deps, [shift]);
    h().clock.advanceMinutes(10);
    await tickShifts(h().deps, [shift]);
    await operateShift(h().deps, shift, 'pause');
    const aborted = await operateShift(h().deps, shift, 'abort');
    expect(aborted.action).toBe('abort');
    const s = await status(shift);
    expect(s.state).toBe('aborted');
    expect(s.weights).toEqual({ legacy: 100, kubernetes: 0 });
    // Never all weights zero: legacy keeps a positive weight.
    expect(Object.fromEntries(s.records.map((r) => [r.setIdentifier, r.weight]))).toEqual({
      legacy: 100,
      kubernetes: 0,
    });
    h().clock.advanceMinutes(60);
    expect((await tickShifts(h().deps, [shift])).results[0]!.reason).toBe('aborted');
    await expect(operateShift(h().deps, shift, 'resume')).rejects.toThrow(/aborted; start it again/);
  });

  it('abort during a timed hold (argo-rollouts#1152) and during the TTL wait', async () => {
    h().server.control.seed(h().zoneId, [
      { action: 'CREATE', record: { name: 'www.example.com', type: 'A', ttl: 300, values: ['192.0.2.10'] } },
    ]);
    const shift = shiftConfig({ hostedZoneId: h().zoneId, steps: { model: 'list', weights: [10, 100] } });
    await operateShift(h().deps, shift, 'start');
    expect((await status(shift)).stepIndex).toBe(-1);
    const aborted = await operateShift(h().deps, shift, 'abort');
    expect(aborted.outcome).toBe('applied');
    expect((await status(shift)).state).toBe('aborted');

    // And again in a timed hold: started fresh, step 0 applied, abort halfway through its 10 minutes.
    await operateShift(h().deps, shift, 'start');
    h().clock.advanceMinutes(5);
    await tickShifts(h().deps, [shift]);
    expect((await status(shift)).weights).toEqual({ legacy: 90, kubernetes: 10 });
    h().clock.advanceMinutes(5);
    await operateShift(h().deps, shift, 'abort');
    h().clock.advanceMinutes(10);
    await tickShifts(h().deps, [shift]);
    expect(await status(shift)).toMatchObject({ state: 'aborted', weights: { legacy: 100, kubernetes: 0 } });
  });

  it('dry run prints the exact batch and changes nothing', async () => {
    h().server.control.seed(h().zoneId, [
      { action: 'CREATE', record: { name: 'www.example.com', type: 'A', ttl: 60, values: ['192.0.2.10'] } },
    ]);
    const shift = shiftConfig({ hostedZoneId: h().zoneId, steps: { model: 'list', weights: [10, 100] } });
    const before = h().server.control.records(h().zoneId);
    const dry = await operateShift(h().deps, shift, 'start', { dryRun: true });
    expect(dry.outcome).toBe('dry-run');
    expect(dry.batch).toMatchObject({
      Changes: [
        { Action: 'CREATE', ResourceRecordSet: { Name: '_switchyard.www.example.com.', Type: 'TXT', TTL: 60 } },
      ],
    });
    expect(h().server.control.records(h().zoneId)).toEqual(before);
    expect(
      h()
        .server.control.calls()
        .map((c) => c.operation),
    ).toEqual(['ListResourceRecordSets']);
  });

  it('pauses instead of fighting when someone else changes the weights', async () => {
    const shift = shiftConfig({ hostedZoneId: h().zoneId, steps: { model: 'list', weights: [10, 50, 100] } });
    seedLegacy(h(), shift);
    await operateShift(h().deps, shift, 'start');
    await tickShifts(h().deps, [shift]);
    const k8s = h()
      .server.control.records(h().zoneId)
      .find((r) => r.setIdentifier === 'kubernetes')!;
    h().server.control.seed(h().zoneId, [{ action: 'UPSERT', record: { ...k8s, weight: 70 } }]);
    h().clock.advanceMinutes(10);
    const tick = await tickShifts(h().deps, [shift]);
    expect(tick.results[0]!.action).toBe('pause');
    expect(await status(shift)).toMatchObject({ state: 'paused', reason: 'drift' });
  });
});

describe('settling', () => {
  it('a GetChange storm after the batch is reported on that shift and never loses the other results', async () => {
    const a = shiftConfig({
      name: 'a',
      record: 'a.example.com',
      hostedZoneId: h().zoneId,
      steps: { model: 'list', weights: [10, 100] },
    });
    const b = shiftConfig({
      name: 'b',
      record: 'b.example.com',
      hostedZoneId: h().zoneId,
      steps: { model: 'list', weights: [10, 100] },
    });
    seedLegacy(h(), a);
    await operateShift(h().deps, a, 'start');
    seedLegacy(h(), b);
    await operateShift(h().deps, b, 'start');
    h().server.control.holdChanges(true);
    h().server.control.inject('Throttling', 12, 'GetChange');
    const tick = await tickShifts(h().deps, [a, b]);
    expect(tick.results.map((r) => r.outcome)).toEqual(['applied', 'applied']);
    expect(tick.results.some((r) => r.error?.includes('INSYNC could not be confirmed'))).toBe(true);
    // Unconfirmed is treated as PENDING: the id is kept, so the next tick waits for it.
    const statuses = await readShiftStatuses(h().deps, [a, b]);
    expect(statuses.every((s) => s.pendingChange !== null)).toBe(true);
    h().server.control.flushChanges();
    h().clock.advanceMinutes(10);
    const next = await tickShifts(h().deps, [a, b]);
    expect(next.results.map((r) => r.action)).toEqual(['advance', 'advance']);
  });
});
