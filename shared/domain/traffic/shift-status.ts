import type { ShiftConfig } from '../../config/shift-schema.ts';
import { planTick, readState } from './plan-shift.ts';
import { normalizeName, type RecordSet } from './record-set.ts';
import { currentGroup, observedPercent } from './shift-records.ts';
import { expandSteps } from './shift-steps.ts';

/** The read model of one shift, for the status page, the CLI and the ops Lambda. */
export interface ShiftStatus {
  name: string;
  zoneId: string;
  record: string;
  type: string;
  policy: ShiftConfig['routing']['policy'];
  state: 'not-started' | 'running' | 'paused' | 'aborted' | 'done' | 'unreadable';
  reason: string | null;
  /** Applied step index (-1: lowering the TTL), null when not started. */
  stepIndex: number | null;
  steps: {
    index: number;
    percent: number;
    label: string;
    pauseMinutes: number | null;
    status: 'done' | 'current' | 'next';
  }[];
  /** What the records in Route 53 give right now, in percent, or null when the name has no records. */
  weights: { legacy: number; kubernetes: number } | null;
  records: {
    setIdentifier: string | null;
    weight: number | null;
    location: string | null;
    failover: string | null;
    target: string;
    healthCheckId: string | null;
  }[];
  /** Kubernetes percent over time (one point per change), to draw. */
  history: { at: string; kubernetes: number }[];
  startedAt: string | null;
  stepAppliedAt: string | null;
  pendingChange: string | null;
  /** What the next tick would do or is waiting for. */
  next: string;
}

function target(r: RecordSet): string {
  return r.alias ? `alias ${r.alias.dnsName}` : (r.values ?? []).join(' ');
}

export function shiftStatus(shift: ShiftConfig, records: readonly RecordSet[], now: Date): ShiftStatus {
  const { state, unreadable } = readState(shift, records);
  const group = currentGroup(shift, records);
  const percent = observedPercent(shift, group);
  const steps = expandSteps(shift);
  const stepIndex = state ? state.step : null;
  let next: string;
  try {
    const plan = planTick({ shift, records, now });
    next = plan.action === 'none' ? plan.reason : `next tick: ${plan.reason}`;
  } catch (error) {
    next = `cannot plan: ${(error as Error).message}`;
  }
  return {
    name: shift.name,
    zoneId: shift.hostedZoneId,
    record: normalizeName(shift.record),
    type: shift.type,
    policy: shift.routing.policy,
    state: unreadable ? 'unreadable' : state ? state.phase : 'not-started',
    reason: state?.reason ?? null,
    stepIndex,
    steps: steps.map((s) => ({
      index: s.index,
      percent: s.percent,
      label: s.label,
      pauseMinutes: s.pauseMinutes,
      status:
        stepIndex === null || s.index > stepIndex
          ? 'next'
          : s.index < stepIndex || state?.phase === 'done'
            ? 'done'
            : 'current',
    })),
    weights: percent === null ? null : { legacy: 100 - percent, kubernetes: percent },
    records: group.map((r) => ({
      setIdentifier: r.setIdentifier ?? null,
      weight: r.weight ?? null,
      location: r.geoLocation ? (r.geoLocation.countryCode ?? r.geoLocation.continentCode ?? null) : null,
      failover: r.failover ?? null,
      target: target(r),
      healthCheckId: r.healthCheckId ?? null,
    })),
    history: (state?.history ?? []).map(([t, p]) => ({ at: new Date(t * 1000).toISOString(), kubernetes: p })),
    startedAt: state ? new Date(state.started * 1000).toISOString() : null,
    stepAppliedAt: state ? new Date(state.at * 1000).toISOString() : null,
    pendingChange: state?.change ?? null,
    next,
  };
}
