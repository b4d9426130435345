import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkBatchShape } from '../../../shared/domain/traffic/check-change-batch.ts';
import { parseTxtValue } from '../../../shared/domain/traffic/record-set.ts';
import {
  decodeState,
  encodeState,
  MAX_HISTORY,
  type ShiftState,
  stateTxtValue,
} from '../../../shared/domain/traffic/shift-state.ts';

const base: ShiftState = {
  phase: 'running',
  step: 2,
  good: 1,
  at: 1_795_420_800,
  wait: 3600,
  fp: '0abc123',
  started: 1_795_400_000,
  history: [
    [1_795_400_000, 0],
    [1_795_400_600, 5],
    [1_795_401_200, 25],
  ],
};

describe('TXT state codec', () => {
  it('round-trips, reason and pending change included', () => {
    const state: ShiftState = { ...base, phase: 'paused', reason: 'gate:health:abc', change: 'C000000000012' };
    expect(decodeState(stateTxtValue(state))).toEqual(state);
  });

  it('is compact: a short shift fits one 255-character string', () => {
    const strings = encodeState(base);
    expect(strings).toHaveLength(1);
    expect(strings[0]!.length).toBeLessThan(120);
  });

  it('keeps long histories within 255-character strings that Route 53 accepts', () => {
    const history: [number, number][] = Array.from({ length: 200 }, (_, i) => [base.started + i * 600, i % 101]);
    const state = { ...base, history };
    const strings = encodeState(state);
    expect(strings.every((s) => s.length <= 255)).toBe(true);
    const value = stateTxtValue(state);
    expect(
      checkBatchShape([{ action: 'CREATE', record: { name: 'x.', type: 'TXT', ttl: 60, values: [value] } }]),
    ).toBeNull();
    const decoded = decodeState(value)!;
    expect(decoded.history).toHaveLength(MAX_HISTORY);
    // The start point survives trimming, so the drawing begins where the shift began.
    expect(decoded.history[0]).toEqual(history[0]);
    expect(decoded.history.at(-1)).toEqual(history.at(-1));
  });

  it('refuses values that are not ours', () => {
    expect(decodeState('"v=spf1 -all"')).toBeNull();
    expect(decodeState('"sy1;p=x;s=1"')).toBeNull();
    expect(decodeState('"sy1;p=r;s=1;g=0;a=zz;w=0;t=zz"')).toBeNull();
  });

  it('round-trips any state (property)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom<ShiftState['phase']>('running', 'paused', 'aborted', 'done'),
        fc.integer({ min: -1, max: 40 }),
        fc.integer({ min: 1_700_000_000, max: 1_900_000_000 }),
        fc.array(fc.tuple(fc.integer({ min: 0, max: 100_000 }), fc.integer({ min: 0, max: 100 })), { maxLength: 60 }),
        (phase, step, started, points) => {
          const state: ShiftState = {
            phase,
            step,
            good: step - 1,
            at: started + 60,
            wait: 0,
            fp: 'f00',
            started,
            history: points.map(([m, p]) => [started + m * 60, p] as [number, number]),
          };
          const decoded = decodeState(stateTxtValue(state))!;
          expect(decoded.phase).toBe(phase);
          expect(decoded.step).toBe(step);
          expect(decoded.history.length).toBe(Math.min(points.length, MAX_HISTORY));
          expect(parseTxtValue(stateTxtValue(state)).every((s) => s.length <= 255)).toBe(true);
        },
      ),
    );
  });
});
