import { describe, expect, it } from 'vitest';
import { graySplit } from '../../../shared/domain/release/gray-split.ts';
import { GRAY_VECTORS as vectors } from '../../support/releases/gray-vectors.ts';

describe('graySplit', () => {
  it.each(vectors)(
    '%i replicas at %i%% with maxSurge %i -> %i canary / %i stable',
    (replicas, weight, surge, canary, stable) => {
      expect(graySplit(replicas, weight, surge)).toEqual({ canary, stable });
    },
  );

  it('gives 4 canary / 6 stable for 10 replicas at 41% (the Argo docs example)', () => {
    expect(graySplit(10, 41)).toEqual({ canary: 4, stable: 6 });
  });

  it('never leaves a side at zero for weights 1-99 with 2+ replicas', () => {
    for (let replicas = 2; replicas <= 25; replicas++) {
      for (let weight = 1; weight <= 99; weight++) {
        for (const surge of [0, 1]) {
          const { canary, stable } = graySplit(replicas, weight, surge);
          expect(canary).toBeGreaterThan(0);
          expect(stable).toBeGreaterThan(0);
          expect(canary + stable).toBeLessThanOrEqual(replicas + surge);
          expect(canary + stable).toBeGreaterThanOrEqual(replicas);
        }
      }
    }
  });

  it('puts everything on one side at 0% and 100%, and nothing anywhere for 0 replicas', () => {
    expect(graySplit(5, 0)).toEqual({ canary: 0, stable: 5 });
    expect(graySplit(5, 100)).toEqual({ canary: 5, stable: 0 });
    expect(graySplit(0, 50)).toEqual({ canary: 0, stable: 0 });
  });

  it('refuses a weight outside 0-100', () => {
    expect(() => graySplit(3, 101)).toThrow(RangeError);
    expect(() => graySplit(-1, 10)).toThrow(RangeError);
  });
});
