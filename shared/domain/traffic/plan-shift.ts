import type { ShiftConfig } from '../../config/shift-schema.ts';
import { diffRecords, replaceState } from './build-batch.ts';
import { checkChangeBatch } from './check-change-batch.ts';
import { normalizeName, type RecordChange, type RecordSet, routingPolicy, sameRecord } from './record-set.ts';
import { stateRecordName } from './shift-names.ts';
import { currentGroup, desiredRecords, observedPercent, shiftFingerprint, simpleRecord } from './shift-records.ts';
import { decodeState, type ShiftState, stateTxtValue, trimHistory } from './shift-state.ts';
import { expandSteps } from './shift-steps.ts';

/**
 * The pure shift planner: current records (re-read from Route 53 every time, as Flagger re-reads its
 * router), the decoded state, gate results and the clock go in; one change batch (or nothing) comes out.
 * Abort and rollback conditions are checked before anything else in every state (argo-rollouts#1152,
 * flagger#1268, flagger#1801).
 */

export interface GateResult {
  gate: string;
  /** null: the gate could not be read (not a failure, but nothing advances on it). */
  ok: boolean | null;
  detail?: string;
}

export interface ShiftObservation {
  shift: ShiftConfig;
  /** Records at the shift's name and at its state name. */
  records: readonly RecordSet[];
  now: Date;
  gates?: readonly GateResult[];
  /** Status of the state's unconfirmed change, when it has one and it was asked. */
  changeStatus?: 'PENDING' | 'INSYNC';
  /** Requests to legacy over the quiet window, when asked (missing datapoints already counted as 0). */
  legacyRequests?: number;
  /** A fresh random id for the state this plan writes (see ShiftState.op); the caller supplies it. */
  writeId?: string;
}

export type PlanAction =
  | 'none'
  | 'start'
  | 'advance'
  | 'rollback'
  | 'pause'
  | 'resume'
  | 'promote'
  | 'abort'
  | 'finish'
  | 'record-pending';

export interface ShiftPlan {
  shift: string;
  action: PlanAction;
  reason: string;
  changes: RecordChange[];
  /** The state after the batch (the TXT written), or the unchanged state on a noop. */
  state: ShiftState | null;
  /** Things the operator should hear about even when nothing changes. */
  report: string[];
}

export type OperatorAction = 'start' | 'pause' | 'resume' | 'promote' | 'promote-full' | 'abort' | 'rollback';

export interface ShiftNeeds {
  gates: boolean;
  changeId: string | null;
  requestWindow: { start: Date; end: Date } | null;
}

const secs = (d: Date) => Math.floor(d.getTime() / 1000);

export function readState(
  shift: ShiftConfig,
  records: readonly RecordSet[],
): {
  record: RecordSet | null;
  state: ShiftState | null;
  unreadable: boolean;
} {
  const name = stateRecordName(shift.record);
  const record = records.find((r) => r.name === name && r.type === 'TXT') ?? null;
  if (!record) return { record: null, state: null, unreadable: false };
  const state = decodeState((record.values ?? []).join(' '));
  return { record, state, unreadable: state === null };
}

/** What the use case must fetch before planning a tick (so idle shifts cost one call). */
export function shiftNeeds(shift: ShiftConfig, records: readonly RecordSet[], now: Date): ShiftNeeds {
  const { state } = readState(shift, records);
  const active = state !== null && (state.phase === 'running' || state.phase === 'paused');
  const steps = expandSteps(shift);
  const atLast = state !== null && state.phase === 'running' && state.step === steps.length - 1;
  const rc = shift.finish.requestCount;
  return {
    gates: active && shift.gates.length > 0,
    changeId: active && state?.change ? state.change : null,
    requestWindow:
      atLast && rc !== undefined
        ? { start: new Date(now.getTime() - shift.finish.quietMinutes * 60_000), end: now }
        : null,
  };
}

function stateRecord(shift: ShiftConfig, state: ShiftState): RecordSet {
  return { name: stateRecordName(shift.record), type: 'TXT', ttl: 60, values: [stateTxtValue(state)] };
}

function noop(shift: ShiftConfig, state: ShiftState | null, reason: string, report: string[] = []): ShiftPlan {
  return { shift: shift.name, action: 'none', reason, changes: [], state, report };
}

/** Builds the batch that moves records to `records` and the state to `next`, checked before it leaves. */
function transition(
  obs: ShiftObservation,
  action: PlanAction,
  reason: string,
  desired: RecordSet[] | null,
  next: ShiftState,
  report: string[] = [],
): ShiftPlan {
  const { shift } = obs;
  const group = currentGroup(shift, obs.records);
  const { record: prev } = readState(shift, obs.records);
  const recordChanges = desired ? diffRecords(group, desired) : [];
  const written: ShiftState = { ...next };
  if (obs.writeId) written.op = obs.writeId;
  else delete written.op;
  const changes = [...recordChanges, ...replaceState(prev, stateRecord(shift, written))];
  const check = checkChangeBatch({ changes, current: obs.records });
  if (!check.ok) {
    // A planner bug, never an input: refuse to send what Route 53 would refuse.
    throw new Error(`shift ${shift.name}: planned batch breaks Route 53 rules: ${check.messages.join('; ')}`);
  }
  return { shift: shift.name, action, reason, changes, state: written, report };
}

/** The state record a plan writes, if it writes one (every transition does). */
export function writtenStateRecord(shift: ShiftConfig, plan: ShiftPlan): RecordSet | null {
  const name = stateRecordName(shift.record);
  return (
    plan.changes.find((c) => c.action !== 'DELETE' && c.record.name === name && c.record.type === 'TXT')?.record ?? null
  );
}

function withHistory(state: ShiftState, now: Date, percent: number): [number, number][] {
  const last = state.history[state.history.length - 1];
  if (last && last[1] === percent) return state.history;
  return trimHistory([...state.history, [secs(now), percent]]);
}

function applyStep(obs: ShiftObservation, state: ShiftState, step: number, patch: Partial<ShiftState>): ShiftState {
  const steps = expandSteps(obs.shift);
  const percent = step < 0 ? 0 : steps[Math.min(step, steps.length - 1)]!.percent;
  const next: ShiftState = {
    ...state,
    step,
    at: secs(obs.now),
    history: withHistory(state, obs.now, percent),
    fp: shiftFingerprint(obs.shift),
    ...patch,
  };
  delete next.change;
  if (patch.reason === undefined) delete next.reason;
  return next;
}

function groupMatches(group: readonly RecordSet[], desired: readonly RecordSet[]): boolean {
  if (group.length !== desired.length) return false;
  return desired.every((d) => group.some((g) => sameRecord(g, d)));
}

/** One scheduled tick for one shift. */
export function planTick(obs: ShiftObservation): ShiftPlan {
  const { shift, now } = obs;
  const { state, unreadable } = readState(shift, obs.records);
  if (unreadable) {
    return noop(shift, null, 'state record is not readable', [
      `${stateRecordName(shift.record)} holds a value switchyard cannot read; fix or delete it, then start again`,
    ]);
  }
  if (!state) return noop(shift, null, 'not started');
  if (state.phase === 'aborted' || state.phase === 'done') return noop(shift, state, state.phase);

  const steps = expandSteps(shift);
  const last = steps.length - 1;

  // 1. Rollback first, in every non-terminal state, paused ones included.
  const failing = (obs.gates ?? []).filter((g) => g.ok === false);
  if (failing.length > 0 && !(state.phase === 'paused' && state.reason?.startsWith('gate:'))) {
    const why = `gate:${failing[0]!.gate}`;
    const detail = failing.map((g) => `${g.gate}${g.detail ? ` (${g.detail})` : ''}`).join(', ');
    const target = Math.min(state.step, state.good);
    if (target < state.step) {
      const next = applyStep(obs, state, target, { phase: 'paused', reason: why });
      return transition(
        obs,
        'rollback',
        `gate failing: ${detail}; back to step ${target}`,
        desiredRecords(shift, target),
        next,
        [`shift ${shift.name} rolled back to step ${target} and paused: ${detail}`],
      );
    }
    const next: ShiftState = { ...state, phase: 'paused', reason: why };
    return transition(obs, 'pause', `gate failing: ${detail}; paused at step ${state.step}`, null, next, [
      `shift ${shift.name} paused: ${detail}`,
    ]);
  }
  if (state.phase === 'paused') return noop(shift, state, `paused (${state.reason ?? 'manual'})`);

  // 2. The config changed under a running shift: stop and let the operator decide (argo-rollouts#1690).
  if (state.fp !== shiftFingerprint(shift)) {
    const next: ShiftState = { ...state, phase: 'paused', reason: 'config' };
    return transition(obs, 'pause', 'the shift definition changed since it started', null, next, [
      `shift ${shift.name} paused: its steps or targets changed; resume to continue with the new definition`,
    ]);
  }

  // 3. The previous change must have propagated before the next one counts.
  if (state.change && obs.changeStatus !== 'INSYNC') {
    return noop(shift, state, `waiting for change ${state.change} to be INSYNC`);
  }

  // 4. Someone else moved the records: stop rather than fight (external-dns#1698).
  const group = currentGroup(shift, obs.records);
  if (state.step >= 0 && !groupMatches(group, desiredRecords(shift, state.step))) {
    const next: ShiftState = { ...state, phase: 'paused', reason: 'drift' };
    return transition(obs, 'pause', 'records differ from the applied step', null, next, [
      `shift ${shift.name} paused: the records at ${normalizeName(shift.record)} were changed outside switchyard (now ${observedPercent(shift, group) ?? '?'}% kubernetes)`,
    ]);
  }

  const unknownGates = (obs.gates ?? []).filter((g) => g.ok === null);
  const nowS = secs(now);
  if (state.step === -1) {
    const ready = state.at + state.wait;
    if (nowS < ready)
      return noop(shift, state, `waiting out the old TTL until ${new Date(ready * 1000).toISOString()}`);
    if (unknownGates.length > 0)
      return noop(shift, state, `gates unknown: ${unknownGates.map((g) => g.gate).join(', ')}`);
    const next = applyStep(obs, state, 0, {});
    return transition(obs, 'advance', `step 0: ${steps[0]!.label}`, desiredRecords(shift, 0), next);
  }

  const step = steps[Math.min(state.step, last)]!;
  if (step.pauseMinutes === null) return noop(shift, state, `step ${state.step} waits for promote`);
  const until = state.at + step.pauseMinutes * 60;
  if (nowS < until)
    return noop(shift, state, `holding step ${state.step} until ${new Date(until * 1000).toISOString()}`);
  if (unknownGates.length > 0)
    return noop(shift, state, `gates unknown: ${unknownGates.map((g) => g.gate).join(', ')}`);

  if (state.step < last) {
    const to = state.step + 1;
    const next = applyStep(obs, state, to, { good: state.step });
    return transition(obs, 'advance', `step ${to}: ${steps[to]!.label}`, desiredRecords(shift, to), next);
  }
  return planFinish(obs, state);
}

function planFinish(obs: ShiftObservation, state: ShiftState, promoted = false): ShiftPlan {
  const { shift, now } = obs;
  const rc = shift.finish.requestCount;
  const report: string[] = [];
  if (rc !== undefined && !promoted) {
    // The window starts after the last weight change has outlived resolver caches.
    const quietFrom = state.at + shift.ttl + shift.finish.quietMinutes * 60;
    if (secs(now) < quietFrom) {
      return noop(
        shift,
        state,
        `at 100%: legacy quiet window ends no earlier than ${new Date(quietFrom * 1000).toISOString()}`,
      );
    }
    if (obs.legacyRequests === undefined) return noop(shift, state, 'at 100%: legacy request count unknown');
    if (obs.legacyRequests > 0) {
      return noop(
        shift,
        state,
        `at 100%: legacy still received ${obs.legacyRequests} requests in the last ${shift.finish.quietMinutes} min`,
      );
    }
    report.push(
      `shift ${shift.name}: legacy has had no requests for ${shift.finish.quietMinutes} min; the legacy side can be turned off`,
    );
  }
  const next: ShiftState = { ...state, phase: 'done', good: state.step };
  delete next.change;
  delete next.reason;
  const desired = shift.finish.collapse ? [simpleRecord(shift, 'kubernetes')] : null;
  return transition(
    obs,
    'finish',
    shift.finish.collapse ? 'done; collapsed to a simple record' : 'done',
    desired,
    next,
    [...report, `shift ${shift.name} is done: 100% kubernetes`],
  );
}

/** The follow-up when a batch was still PENDING at the tick's deadline: remember its id in the state. */
export function planRecordPending(obs: ShiftObservation, changeId: string): ShiftPlan {
  const { state } = readState(obs.shift, obs.records);
  if (!state) throw new Error(`shift ${obs.shift.name}: no state to record a pending change in`);
  const next: ShiftState = { ...state, change: changeId.replace(/^\/?change\//, '') };
  return transition(obs, 'record-pending', `change ${changeId} still PENDING`, null, next);
}

export class ShiftActionRefused extends Error {}

/** Operator actions: each one batch, honoured in any non-terminal state (abort during a pause included). */
export function planOperatorAction(obs: ShiftObservation, action: OperatorAction): ShiftPlan {
  const { shift, now } = obs;
  const { state, unreadable } = readState(shift, obs.records);
  const steps = expandSteps(shift);
  const last = steps.length - 1;
  if (action === 'start') {
    if (state && (state.phase === 'running' || state.phase === 'paused')) {
      throw new ShiftActionRefused(`shift ${shift.name} is already ${state.phase} at step ${state.step}`);
    }
    return planStart(obs, unreadable);
  }
  if (!state) throw new ShiftActionRefused(`shift ${shift.name} has not been started`);
  if (state.phase === 'done' || state.phase === 'aborted') {
    throw new ShiftActionRefused(`shift ${shift.name} is ${state.phase}; start it again to run it`);
  }
  switch (action) {
    case 'pause': {
      if (state.phase === 'paused') return noop(shift, state, `already paused (${state.reason ?? 'manual'})`);
      return transition(obs, 'pause', 'paused by operator', null, { ...state, phase: 'paused', reason: 'manual' });
    }
    case 'resume': {
      if (state.phase === 'running') return noop(shift, state, 'already running');
      const next: ShiftState = { ...state, phase: 'running', at: secs(now), fp: shiftFingerprint(shift) };
      delete next.reason;
      // Resuming re-applies the current step: after a drift or config pause the records match again.
      const desired = state.step >= 0 ? desiredRecords(shift, state.step) : null;
      return transition(obs, 'resume', `resumed at step ${state.step}`, desired, next);
    }
    case 'promote':
    case 'promote-full': {
      // A full promote clears any pause (argo-rollouts#2648).
      const to = action === 'promote-full' ? last : Math.min(state.step + 1, last);
      if (state.step >= last) {
        return planFinish(obs, { ...state, phase: 'running', step: last }, true);
      }
      const next = applyStep(obs, state, to, { phase: 'running', good: Math.max(state.good, state.step) });
      return transition(obs, 'promote', `promoted to step ${to}: ${steps[to]!.label}`, desiredRecords(shift, to), next);
    }
    case 'abort': {
      const next = applyStep(obs, state, -1, { phase: 'aborted', reason: 'operator' });
      return transition(obs, 'abort', 'aborted: all traffic back to legacy', desiredRecords(shift, -1), next, [
        `shift ${shift.name} aborted: all traffic on legacy`,
      ]);
    }
    case 'rollback': {
      const target = state.good < state.step ? state.good : Math.max(-1, state.step - 1);
      const next = applyStep(obs, state, target, {
        phase: 'paused',
        reason: 'rollback',
        good: Math.min(state.good, target),
      });
      return transition(obs, 'rollback', `rolled back to step ${target}`, desiredRecords(shift, target), next);
    }
  }
}

function planStart(obs: ShiftObservation, replaceUnreadable: boolean): ShiftPlan {
  const { shift, now } = obs;
  const { state: previous } = readState(shift, obs.records);
  const group = currentGroup(shift, obs.records);
  // A name the zone does not serve is most likely a typo: starting would create records for it.
  if (group.length === 0) {
    throw new ShiftActionRefused(
      `shift ${shift.name}: zone ${shift.hostedZoneId} has no ${shift.type} record at ${normalizeName(shift.record)}; check \`record\` and \`type\` (a shift moves traffic of a name that already resolves)`,
    );
  }
  // Guard the group's shape: a routing policy we do not manage under the name is the operator's call.
  const foreign = group.filter((r) => routingPolicy(r) !== 'simple' && !isOurs(shift, r));
  if (foreign.length > 0) {
    throw new ShiftActionRefused(
      `shift ${shift.name}: ${normalizeName(shift.record)} has routed records switchyard does not own (${foreign.map((r) => r.setIdentifier).join(', ')}); remove them first`,
    );
  }
  // Lower the TTL first and wait the old one out, so step 0 is seen within one new TTL (docs/traffic-shifting.md).
  const oldTtl = Math.max(0, ...group.filter((r) => r.alias === undefined).map((r) => r.ttl ?? 0));
  const lowered: RecordSet[] =
    oldTtl > shift.ttl ? group.map((r) => (r.alias ? r : { ...r, ttl: shift.ttl })) : [...group];
  const percent = observedPercent(shift, group) ?? 0;
  const nowS = secs(now);
  const next: ShiftState = {
    phase: 'running',
    step: -1,
    good: -1,
    at: nowS,
    wait: oldTtl > shift.ttl ? oldTtl : 0,
    fp: shiftFingerprint(shift),
    started: nowS,
    history: [[nowS, percent]],
  };
  const why = [
    previous
      ? `restarting a ${previous.phase} shift`
      : replaceUnreadable
        ? 'replacing an unreadable state'
        : 'starting',
  ];
  if (next.wait > 0) why.push(`TTL ${oldTtl}s lowered to ${shift.ttl}s; step 0 after ${oldTtl}s`);
  return transition(obs, 'start', why.join('; '), lowered, next);
}

function isOurs(shift: ShiftConfig, r: RecordSet): boolean {
  const all = [-1, ...expandSteps(shift).map((s) => s.index)].flatMap((i) => desiredRecords(shift, i));
  return all.some((d) => d.setIdentifier === r.setIdentifier);
}
