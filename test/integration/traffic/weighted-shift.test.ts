import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { operateShift } from '../../../shared/app/traffic/operate-shift.ts';
import { readShiftStatuses } from '../../../shared/app/traffic/read-shift-status.ts';
import { tickShifts } from '../../../shared/app/traffic/tick-shifts.ts';
import type { ShiftConfig } from '../../../shared/config/shift-schema.ts';
import { shiftConfig, startTrafficHarness, type TrafficHarness } from '../../support/traffic/traffic-harness.ts';

let h: TrafficHarness;
beforeEach(async () => {
  h = await startTrafficHarness();
});
afterEach(async () => {
  await h.close();
});

function weights(zone: string): Record<string, number | undefined> {
  return Object.fromEntries(
    h.server.control
      .records(zone)
      .filter((r) => r.name === 'www.example.com.' && r.type === 'A')
      .map((r) => [r.setIdentifier ?? 'simple', r.weight]),
  );
}

async function tickUntilDone(shift: ShiftConfig, stepMinutes: number, maxTicks = 50): Promise<number[]> {
  const seen: number[] = [];
  for (let i = 0; i < maxTicks; i++) {
    await tickShifts(h.deps, [shift]);
    const [status] = await readShiftStatuses(h.deps, [shift]);
    seen.push(status!.weights?.kubernetes ?? -1);
    if (status!.state === 'done') return seen;
    h.clock.advanceMinutes(stepMinutes);
  }
  throw new Error(`not done after ${maxTicks} ticks: ${seen.join(',')}`);
}

describe('weighted shift with the list model', () => {
  it('lowers the TTL, waits it out, converts simple to weighted in one batch, then walks 5/25/50/100', async () => {
    h.server.control.seed(h.zoneId, [
      { action: 'CREATE', record: { name: 'www.example.com', type: 'A', ttl: 3600, values: ['192.0.2.10'] } },
    ]);
    const shift = shiftConfig({
      hostedZoneId: h.zoneId,
      steps: { model: 'list', weights: [5, 25, 50, 100] },
      intervalMinutes: 10,
    });

    const started = await operateShift(h.deps, shift, 'start');
    expect(started.outcome).toBe('applied');
    expect(h.server.control.records(h.zoneId).find((r) => r.name === 'www.example.com.')?.ttl).toBe(60);

    // Before the old TTL (3600 s) has passed nothing moves.
    h.clock.advanceMinutes(30);
    expect((await tickShifts(h.deps, [shift])).results[0]!.action).toBe('none');
    expect(weights(h.zoneId)).toEqual({ simple: undefined });

    h.clock.advanceMinutes(31);
    const first = await tickShifts(h.deps, [shift]);
    expect(first.results[0]).toMatchObject({ action: 'advance', outcome: 'applied', inSync: true });
    // Simple -> weighted: DELETE first, then the CREATEs, then the state swap, all in one batch.
    const changes = (first.results[0]!.batch as { Changes: { Action: string; ResourceRecordSet: { Type: string } }[] })
      .Changes;
    expect(changes.map((c) => `${c.Action} ${c.ResourceRecordSet.Type}`)).toEqual([
      'DELETE A',
      'CREATE A',
      'CREATE A',
      'DELETE TXT',
      'CREATE TXT',
    ]);
    expect(h.server.control.calls().filter((c) => c.operation === 'ChangeResourceRecordSets').length).toBe(2);
    expect(weights(h.zoneId)).toEqual({ legacy: 95, kubernetes: 5 });

    const seen = await tickUntilDone(shift, 10);
    expect(seen).toContain(25);
    expect(seen).toContain(50);
    expect(weights(h.zoneId)).toEqual({ legacy: 0, kubernetes: 100 });
    const [status] = await readShiftStatuses(h.deps, [shift]);
    expect(status!.state).toBe('done');
    expect(status!.history.map((p) => p.kubernetes)).toEqual([0, 5, 25, 50, 100]);
    expect(status!.steps.every((s) => s.status === 'done')).toBe(true);
  });
});
