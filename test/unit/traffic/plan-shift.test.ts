import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ShiftConfig } from '../../../shared/config/shift-schema.ts';
import { checkChangeBatch } from '../../../shared/domain/traffic/check-change-batch.ts';
import {
  type GateResult,
  planOperatorAction,
  planTick,
  ShiftActionRefused,
  type ShiftPlan,
  shiftNeeds,
} from '../../../shared/domain/traffic/plan-shift.ts';
import type { RecordSet } from '../../../shared/domain/traffic/record-set.ts';
import { desiredRecords } from '../../../shared/domain/traffic/shift-records.ts';
import { shiftStatus } from '../../../shared/domain/traffic/shift-status.ts';
import { expandSteps } from '../../../shared/domain/traffic/shift-steps.ts';
import { shiftConfig } from '../../support/traffic/shift-config.ts';

const T0 = new Date('2026-11-23T08:00:00Z');
const at = (minutes: number) => new Date(T0.getTime() + minutes * 60_000);

function shift(extra: Record<string, unknown> = {}): ShiftConfig {
  return shiftConfig({ hostedZoneId: 'Z1', steps: { model: 'list', weights: [10, 50, 100] }, ...extra });
}

/** Applies a plan's batch to in-memory records with the same rules Route 53 enforces. */
function apply(records: RecordSet[], plan: ShiftPlan): RecordSet[] {
  if (plan.changes.length === 0) return records;
  const check = checkChangeBatch({ changes: plan.changes, current: records });
  expect(check.messages).toEqual([]);
  return check.after;
}

function k8sWeight(records: RecordSet[]): number | undefined {
  return records.find((r) => r.setIdentifier === 'kubernetes')?.weight;
}

/** The simple record a shift starts from (the name must resolve before traffic can move). */
const LEGACY: RecordSet[] = [{ name: 'www.example.com.', type: 'A', ttl: 60, values: ['192.0.2.10'] }];

const ok = (gate = 'health:x'): GateResult => ({ gate, ok: true });
const bad = (gate = 'health:x'): GateResult => ({ gate, ok: false, detail: 'unhealthy' });

describe('step models', () => {
  it('list uses intervalMinutes unless a step says otherwise', () => {
    const s = shift({
      steps: { model: 'list', weights: [5, { weight: 25, pause: 'indefinite' }, { weight: 100, pause: 3 }] },
      intervalMinutes: 7,
    });
    expect(expandSteps(s).map((x) => [x.percent, x.pauseMinutes])).toEqual([
      [5, 7],
      [25, null],
      [100, 3],
    ]);
  });
  it('linear ends exactly at 100 and holds where asked', () => {
    const s = shift({ steps: { model: 'linear', percent: 30, everyMinutes: 4, holdAt: [60] } });
    expect(expandSteps(s).map((x) => [x.percent, x.pauseMinutes])).toEqual([
      [30, 4],
      [60, null],
      [90, 4],
      [100, 4],
    ]);
  });
  it('canary is N% then all; confirm holds before all', () => {
    expect(expandSteps(shift({ steps: { model: 'canary', percent: 10, minutes: 5 } })).map((x) => x.percent)).toEqual([
      10, 100,
    ]);
    expect(
      expandSteps(shift({ steps: { model: 'canary', percent: 10, minutes: 5, confirm: true } }))[0]!.pauseMinutes,
    ).toBeNull();
  });
  it('the schema refuses decreasing lists and lists not ending at 100', () => {
    expect(() => shift({ steps: { model: 'list', weights: [50, 10, 100] } })).toThrow(/must not decrease/);
    expect(() => shift({ steps: { model: 'list', weights: [10, 50] } })).toThrow(/last weight must be 100/);
  });
});

describe('never all weights zero', () => {
  it('holds for every step of every list, abort included (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 100 }), { minLength: 1, maxLength: 8 }), (raw) => {
        const weights = [...raw.sort((a, b) => a - b), 100];
        const s = shift({ steps: { model: 'list', weights } });
        for (let i = -1; i < weights.length; i++) {
          const total = desiredRecords(s, i).reduce((n, r) => n + (r.weight ?? 0), 0);
          expect(total).toBe(100);
        }
      }),
    );
  });
});

describe('planner', () => {
  it('walks a shift: start, TTL wait, steps on time, done', () => {
    const s = shift();
    let records: RecordSet[] = [{ name: 'www.example.com.', type: 'A', ttl: 300, values: ['192.0.2.10'] }];
    const start = planOperatorAction({ shift: s, records, now: at(0) }, 'start');
    expect(start.reason).toMatch(/TTL 300s lowered to 60s/);
    records = apply(records, start);
    expect(planTick({ shift: s, records, now: at(4) }).reason).toMatch(/waiting out the old TTL/);
    const weights: (number | undefined)[] = [];
    for (let m = 5; m <= 40; m += 5) {
      const plan = planTick({ shift: s, records, now: at(m) });
      records = apply(records, plan);
      weights.push(k8sWeight(records));
    }
    expect(weights).toEqual([10, 10, 50, 50, 100, 100, 100, 100]);
    expect(shiftStatus(s, records, at(40)).state).toBe('done');
  });

  it('checks rollback first in every state: TTL wait, hold, indefinite pause, pending change', () => {
    const s = shift({
      steps: { model: 'list', weights: [10, { weight: 50, pause: 'indefinite' }, 100] },
      gates: [{ healthCheckId: 'x' }],
    });
    let records = apply(LEGACY, planOperatorAction({ shift: s, records: LEGACY, now: at(0) }, 'start'));
    // During the TTL wait there is nothing to roll back to: it pauses.
    expect(planTick({ shift: s, records, now: at(0), gates: [bad()] }).action).toBe('pause');
    records = apply(records, planTick({ shift: s, records, now: at(0), gates: [ok()] }));
    records = apply(records, planTick({ shift: s, records, now: at(10), gates: [ok()] }));
    expect(k8sWeight(records)).toBe(50);
    // Indefinite pause: still rolled back.
    const rollback = planTick({ shift: s, records, now: at(11), gates: [bad()] });
    expect(rollback.action).toBe('rollback');
    expect(apply(records, rollback).find((r) => r.setIdentifier === 'kubernetes')?.weight).toBe(10);
    // A pending change does not delay a rollback either.
    const pending = apply(records, { ...rollback, changes: [] });
    expect(planTick({ shift: s, records: pending, now: at(11), gates: [bad()], changeStatus: 'PENDING' }).action).toBe(
      'rollback',
    );
  });

  it('an unreadable gate holds the step without rolling back', () => {
    const s = shift({ gates: [{ alarm: 'errors' }] });
    let records = apply(LEGACY, planOperatorAction({ shift: s, records: LEGACY, now: at(0) }, 'start'));
    records = apply(records, planTick({ shift: s, records, now: at(0), gates: [ok('alarm:errors')] }));
    const plan = planTick({ shift: s, records, now: at(30), gates: [{ gate: 'alarm:errors', ok: null }] });
    expect(plan.action).toBe('none');
    expect(plan.reason).toMatch(/gates unknown/);
  });

  it('abort works in any non-terminal state; nothing works after it but start', () => {
    const s = shift();
    let records = apply(LEGACY, planOperatorAction({ shift: s, records: LEGACY, now: at(0) }, 'start'));
    records = apply(records, planTick({ shift: s, records, now: at(0) }));
    records = apply(records, planOperatorAction({ shift: s, records, now: at(1) }, 'pause'));
    records = apply(records, planOperatorAction({ shift: s, records, now: at(2) }, 'abort'));
    expect(k8sWeight(records)).toBe(0);
    expect(records.find((r) => r.setIdentifier === 'legacy')?.weight).toBe(100);
    expect(() => planOperatorAction({ shift: s, records, now: at(3) }, 'promote')).toThrow(ShiftActionRefused);
    expect(planOperatorAction({ shift: s, records, now: at(3) }, 'start').action).toBe('start');
  });

  it('refuses to start twice, and refuses names holding routed records it does not own', () => {
    const s = shift();
    const records = apply(LEGACY, planOperatorAction({ shift: s, records: LEGACY, now: at(0) }, 'start'));
    expect(() => planOperatorAction({ shift: s, records, now: at(1) }, 'start')).toThrow(/already running/);
    const foreign: RecordSet[] = [
      { name: 'www.example.com.', type: 'A', ttl: 60, values: ['192.0.2.1'], setIdentifier: 'blue', weight: 1 },
    ];
    expect(() => planOperatorAction({ shift: s, records: foreign, now: at(0) }, 'start')).toThrow(
      /does not own \(blue\)/,
    );
  });

  it('refuses to start a name with no record of its type: nothing to shift from, most likely a typo', () => {
    const s = shift();
    expect(() => planOperatorAction({ shift: s, records: [], now: at(0) }, 'start')).toThrow(
      /zone Z1 has no A record at www\.example\.com\./,
    );
    const txtOnly: RecordSet[] = [{ name: 'www.example.com.', type: 'TXT', ttl: 60, values: ['"x"'] }];
    expect(() => planOperatorAction({ shift: s, records: txtOnly, now: at(0) }, 'start')).toThrow(ShiftActionRefused);
    // A CNAME at the name is what an A shift replaces: that is a record to start from.
    const cname: RecordSet[] = [{ name: 'www.example.com.', type: 'CNAME', ttl: 60, values: ['old.example.net.'] }];
    expect(planOperatorAction({ shift: s, records: cname, now: at(0) }, 'start').action).toBe('start');
  });

  it("writes the caller's write id into the state, so a lost answer can be recognised later", () => {
    const s = shift();
    const plan = planOperatorAction({ shift: s, records: LEGACY, now: at(0), writeId: 'abc123' }, 'start');
    expect(plan.state?.op).toBe('abc123');
    const records = apply(LEGACY, plan);
    expect(records.find((r) => r.type === 'TXT')?.values?.[0]).toMatch(/;o=abc123;/);
  });

  it('pauses when the shift definition changes under it, and resume adopts the new one', () => {
    const s = shift();
    let records = apply(LEGACY, planOperatorAction({ shift: s, records: LEGACY, now: at(0) }, 'start'));
    records = apply(records, planTick({ shift: s, records, now: at(0) }));
    const changed = shift({ steps: { model: 'list', weights: [10, 20, 100] } });
    const plan = planTick({ shift: changed, records, now: at(10) });
    expect(plan.action).toBe('pause');
    records = apply(records, plan);
    records = apply(records, planOperatorAction({ shift: changed, records, now: at(11) }, 'resume'));
    records = apply(records, planTick({ shift: changed, records, now: at(21) }));
    expect(k8sWeight(records)).toBe(20);
  });

  it('asks only for what the state needs (idle shifts cost one read)', () => {
    const s = shift({
      gates: [{ healthCheckId: 'x' }],
      finish: { requestCount: { dimensions: { LoadBalancer: 'lb' } } },
    });
    expect(shiftNeeds(s, [], at(0))).toEqual({ gates: false, changeId: null, requestWindow: null });
    let records = apply(LEGACY, planOperatorAction({ shift: s, records: LEGACY, now: at(0) }, 'start'));
    expect(shiftNeeds(s, records, at(0)).gates).toBe(true);
    records = apply(records, planOperatorAction({ shift: s, records, now: at(0) }, 'promote-full'));
    const needs = shiftNeeds(s, records, at(30));
    expect(needs.requestWindow).toEqual({ start: at(15), end: at(30) });
  });

  it('resume after a drift pause puts the weights of the step back, so the next tick does not pause again', () => {
    const s = shift();
    let records = apply(LEGACY, planOperatorAction({ shift: s, records: LEGACY, now: at(0) }, 'start'));
    records = apply(records, planTick({ shift: s, records, now: at(0) }));
    records = records.map((r) => (r.setIdentifier === 'kubernetes' ? { ...r, weight: 70 } : r));
    records = apply(records, planTick({ shift: s, records, now: at(1) }));
    expect(shiftStatus(s, records, at(1))).toMatchObject({ state: 'paused', reason: 'drift' });
    const resume = planOperatorAction({ shift: s, records, now: at(2) }, 'resume');
    expect(resume.changes.map((c) => `${c.action} ${c.record.setIdentifier ?? c.record.type}`)).toEqual([
      'UPSERT kubernetes',
      'DELETE TXT',
      'CREATE TXT',
    ]);
    records = apply(records, resume);
    expect(k8sWeight(records)).toBe(10);
    expect(planTick({ shift: s, records, now: at(3) }).action).toBe('none');
  });

  it('rollback by the operator goes to the last good step and pauses', () => {
    const s = shift();
    let records = apply(LEGACY, planOperatorAction({ shift: s, records: LEGACY, now: at(0) }, 'start'));
    records = apply(records, planTick({ shift: s, records, now: at(0) }));
    records = apply(records, planTick({ shift: s, records, now: at(10) }));
    expect(k8sWeight(records)).toBe(50);
    records = apply(records, planOperatorAction({ shift: s, records, now: at(11) }, 'rollback'));
    expect(k8sWeight(records)).toBe(10);
    expect(shiftStatus(s, records, at(11))).toMatchObject({ state: 'paused', reason: 'rollback', stepIndex: 0 });
  });
});
