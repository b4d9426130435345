import { describe, expect, it } from 'vitest';
import { operateShift } from '../../../shared/app/traffic/operate-shift.ts';
import { readShiftStatuses } from '../../../shared/app/traffic/read-shift-status.ts';
import { tickShifts } from '../../../shared/app/traffic/tick-shifts.ts';
import type { ShiftConfig } from '../../../shared/config/shift-schema.ts';
import { seedLegacy, shiftConfig, useTrafficHarness } from '../../support/traffic/traffic-harness.ts';

const h = useTrafficHarness();

async function k8sWeight(shift: ShiftConfig): Promise<number | undefined> {
  const [s] = await readShiftStatuses(h().deps, [shift]);
  return s!.weights?.kubernetes;
}

describe('step models on an injected clock', () => {
  it('linear: 20% every 5 minutes reaches 100 in five steps, never before its time', async () => {
    const shift = shiftConfig({ hostedZoneId: h().zoneId, steps: { model: 'linear', percent: 20, everyMinutes: 5 } });
    seedLegacy(h(), shift);
    await operateShift(h().deps, shift, 'start');
    const timeline: number[] = [];
    for (let minute = 0; minute <= 40; minute++) {
      await tickShifts(h().deps, [shift]);
      timeline.push((await k8sWeight(shift)) ?? -1);
      h().clock.advanceMinutes(1);
    }
    // Nothing existed at the name: step 0 CREATEs both weighted records on the first tick.
    expect(timeline[0]).toBe(20);
    expect(timeline[4]).toBe(20);
    expect(timeline[5]).toBe(40);
    expect(timeline[10]).toBe(60);
    expect(timeline[20]).toBe(100);
    expect(new Set(timeline)).toEqual(new Set([20, 40, 60, 80, 100]));
    const [status] = await readShiftStatuses(h().deps, [shift]);
    expect(status!.state).toBe('done');
  });

  it('canary with confirm: 10% holds indefinitely until promote, then 100%', async () => {
    const shift = shiftConfig({
      hostedZoneId: h().zoneId,
      steps: { model: 'canary', percent: 10, minutes: 15, confirm: true },
      intervalMinutes: 5,
    });
    seedLegacy(h(), shift);
    await operateShift(h().deps, shift, 'start');
    await tickShifts(h().deps, [shift]);
    expect(await k8sWeight(shift)).toBe(10);
    h().clock.advanceMinutes(24 * 60);
    const held = await tickShifts(h().deps, [shift]);
    expect(held.results[0]!.reason).toMatch(/waits for promote/);
    expect(await k8sWeight(shift)).toBe(10);
    const [paused] = await readShiftStatuses(h().deps, [shift]);
    expect(paused!.next).toMatch(/waits for promote/);

    const promoted = await operateShift(h().deps, shift, 'promote');
    expect(promoted.action).toBe('promote');
    expect(await k8sWeight(shift)).toBe(100);
    h().clock.advanceMinutes(5);
    await tickShifts(h().deps, [shift]);
    const [done] = await readShiftStatuses(h().deps, [shift]);
    expect(done!.state).toBe('done');
  });

  it('list with an indefinite pause object and a timed one', async () => {
    const shift = shiftConfig({
      hostedZoneId: h().zoneId,
      steps: { model: 'list', weights: [{ weight: 1, pause: 2 }, { weight: 50, pause: 'indefinite' }, 100] },
    });
    seedLegacy(h(), shift);
    await operateShift(h().deps, shift, 'start');
    await tickShifts(h().deps, [shift]);
    expect(await k8sWeight(shift)).toBe(1);
    h().clock.advanceMinutes(2);
    await tickShifts(h().deps, [shift]);
    expect(await k8sWeight(shift)).toBe(50);
    h().clock.advanceMinutes(600);
    await tickShifts(h().deps, [shift]);
    expect(await k8sWeight(shift)).toBe(50);
    await operateShift(h().deps, shift, 'promote');
    expect(await k8sWeight(shift)).toBe(100);
  });

  it('promote --full from a timed pause goes straight to 100% and clears the pause (argo-rollouts#2648)', async () => {
    const shift = shiftConfig({ hostedZoneId: h().zoneId, steps: { model: 'list', weights: [5, 25, 50, 100] } });
    seedLegacy(h(), shift);
    await operateShift(h().deps, shift, 'start');
    await tickShifts(h().deps, [shift]);
    await operateShift(h().deps, shift, 'pause');
    const full = await operateShift(h().deps, shift, 'promote-full');
    expect(full.action).toBe('promote');
    expect(await k8sWeight(shift)).toBe(100);
    const [s] = await readShiftStatuses(h().deps, [shift]);
    expect(s!.state).toBe('running');
  });
});
