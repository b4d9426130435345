import type { ShiftConfig } from '../../config/shift-schema.ts';

/** One step of a shift, whatever the model: the Kubernetes share after it and how long it is held. */
export interface ShiftStep {
  index: number;
  /** Kubernetes share in percent (geolocation: share of the listed countries, the default last). */
  percent: number;
  /** Minutes to hold before the next step; null waits for an operator's promote. */
  pauseMinutes: number | null;
  label: string;
}

/**
 * Expands the configured model into explicit steps (Argo's step list is the common form; CodeDeploy's
 * linear and canary presets become lists). The last step always reaches 100%.
 */
export function expandSteps(shift: ShiftConfig): ShiftStep[] {
  const routing = shift.routing;
  if (routing.policy === 'geolocation') {
    const n = routing.countries.length;
    const steps: ShiftStep[] = routing.countries.map((country, index) => ({
      index,
      percent: Math.floor(((index + 1) * 100) / (n + 1)),
      pauseMinutes: shift.intervalMinutes,
      label: `${country} to kubernetes`,
    }));
    steps.push({ index: n, percent: 100, pauseMinutes: shift.intervalMinutes, label: 'default (*) to kubernetes' });
    return steps;
  }
  if (routing.policy === 'failover') {
    return [
      { index: 0, percent: 100, pauseMinutes: shift.intervalMinutes, label: 'primary kubernetes, secondary legacy' },
    ];
  }
  const steps = shift.steps;
  const out: ShiftStep[] = [];
  const push = (percent: number, pauseMinutes: number | null) =>
    out.push({ index: out.length, percent, pauseMinutes, label: `${percent}% to kubernetes` });
  if (steps.model === 'list') {
    for (const s of steps.weights) {
      if (typeof s === 'number') push(s, shift.intervalMinutes);
      else push(s.weight, s.pause === undefined ? shift.intervalMinutes : s.pause === 'indefinite' ? null : s.pause);
    }
  } else if (steps.model === 'linear') {
    for (let p = steps.percent; ; p += steps.percent) {
      const percent = Math.min(100, p);
      push(percent, steps.holdAt.includes(percent) ? null : steps.everyMinutes);
      if (percent === 100) break;
    }
  } else {
    push(steps.percent, steps.confirm ? null : steps.minutes);
    push(100, shift.intervalMinutes);
  }
  return out;
}
