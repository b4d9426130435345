import { describe, expect, it } from 'vitest';
import { operateShift } from '../../../shared/app/traffic/operate-shift.ts';
import { tickShifts } from '../../../shared/app/traffic/tick-shifts.ts';
import type { ShiftConfig } from '../../../shared/config/shift-schema.ts';
import { PolicyError } from '../../../shared/errors.ts';
import { seedLegacy, shiftConfig, statusOf, useTrafficHarness } from '../../support/traffic/traffic-harness.ts';

const h = useTrafficHarness();

const status = (shift: ShiftConfig) => statusOf(h().deps, shift);

const manual = (hostedZoneId: string) =>
  shiftConfig({
    hostedZoneId,
    steps: { model: 'list', weights: [{ weight: 10, pause: 'indefinite' }, { weight: 50, pause: 'indefinite' }, 100] },
  });

describe('traffic shifting under Route 53 faults and surprises', () => {
  it('refuses to start a shift of a name the zone does not have, and writes nothing', async () => {
    const typo = shiftConfig({ hostedZoneId: h().zoneId, record: 'wwww.example.com' });
    seedLegacy(h(), shiftConfig({ hostedZoneId: h().zoneId }));
    const before = h().server.control.records(h().zoneId);
    const changes = h().server.control.changeCount(h().zoneId);
    const refused = await operateShift(h().deps, typo, 'start').catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(PolicyError);
    expect((refused as Error).message).toMatch(/has no A record at wwww\.example\.com\./);
    expect(h().server.control.records(h().zoneId)).toEqual(before);
    expect(h().server.control.changeCount(h().zoneId)).toBe(changes);
    expect((await status(typo)).state).toBe('not-started');
  });

  it('refuses a record of another type too (an A shift over a name that only has TXT)', async () => {
    h().server.control.seed(h().zoneId, [
      { action: 'CREATE', record: { name: 'www.example.com', type: 'TXT', ttl: 60, values: ['"v=spf1 -all"'] } },
    ]);
    const shift = shiftConfig({ hostedZoneId: h().zoneId });
    await expect(operateShift(h().deps, shift, 'start')).rejects.toThrow(/has no A record at www\.example\.com\./);
  });

  it('finds its state record when a sibling such as _switchyard-old.<record> sorts before it', async () => {
    const shift = shiftConfig({ hostedZoneId: h().zoneId, steps: { model: 'list', weights: [10, 100] } });
    seedLegacy(h(), shift);
    h().server.control.seed(h().zoneId, [
      {
        action: 'CREATE',
        record: { name: '_switchyard-old.www.example.com', type: 'TXT', ttl: 60, values: ['"left over"'] },
      },
    ]);
    await operateShift(h().deps, shift, 'start');
    const names = h()
      .server.control.records(h().zoneId)
      .map((r) => r.name);
    // Route 53's order: `-` (45) sorts below `.` (46), so the sibling comes first.
    expect(names.indexOf('_switchyard-old.www.example.com.')).toBeLessThan(
      names.indexOf('_switchyard.www.example.com.'),
    );
    expect(await status(shift)).toMatchObject({ state: 'running', stepIndex: -1 });
    await expect(operateShift(h().deps, shift, 'start')).rejects.toThrow(/already running/);
    const tick = await tickShifts(h().deps, [shift]);
    expect(tick.results[0]).toMatchObject({ action: 'advance', outcome: 'applied' });
    expect((await status(shift)).weights).toEqual({ legacy: 90, kubernetes: 10 });
  });

  it('a promote whose answer is lost is recognised as applied; it moves exactly one step', async () => {
    const shift = manual(h().zoneId);
    seedLegacy(h(), shift);
    await operateShift(h().deps, shift, 'start');
    await tickShifts(h().deps, [shift]);
    expect((await status(shift)).stepIndex).toBe(0);
    h().server.control.inject('LostResponse', 1, 'ChangeResourceRecordSets');
    const promoted = await operateShift(h().deps, shift, 'promote');
    expect(promoted).toMatchObject({ outcome: 'applied', action: 'promote' });
    expect(promoted.report.join('\n')).toMatch(/did not answer, but the records show this batch applied/);
    const calls = h()
      .server.control.calls()
      .filter((c) => c.operation === 'ChangeResourceRecordSets');
    expect(calls.map((c) => c.code ?? c.status).slice(-2)).toEqual(['LostResponse', 'InvalidChangeBatch']);
    expect(await status(shift)).toMatchObject({ stepIndex: 1, weights: { legacy: 50, kubernetes: 50 } });
  });

  it('a lost answer followed by an outage longer than the retries is still recognised', async () => {
    const shift = shiftConfig({ hostedZoneId: h().zoneId, steps: { model: 'list', weights: [10, 100] } });
    seedLegacy(h(), shift);
    await operateShift(h().deps, shift, 'start');
    h().server.control.inject('LostResponse', 1, 'ChangeResourceRecordSets');
    h().server.control.inject('ServiceUnavailable', 10, 'ChangeResourceRecordSets');
    const tick = await tickShifts(h().deps, [shift]);
    expect(tick.results[0]).toMatchObject({ action: 'advance', outcome: 'applied' });
    expect((await status(shift)).weights).toEqual({ legacy: 90, kubernetes: 10 });
  });

  it('a batch that really failed is not mistaken for applied', async () => {
    const shift = shiftConfig({ hostedZoneId: h().zoneId, steps: { model: 'list', weights: [10, 100] } });
    seedLegacy(h(), shift);
    await operateShift(h().deps, shift, 'start');
    h().server.control.inject('ServiceUnavailable', 10, 'ChangeResourceRecordSets');
    const tick = await tickShifts(h().deps, [shift]);
    expect(tick.results[0]).toMatchObject({ outcome: 'error' });
    expect(await status(shift)).toMatchObject({ stepIndex: -1, weights: { legacy: 100, kubernetes: 0 } });
    const next = await tickShifts(h().deps, [shift]);
    expect(next.results[0]).toMatchObject({ action: 'advance', outcome: 'applied' });
  });
});
