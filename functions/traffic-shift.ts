import type { ScheduledEvent } from 'aws-lambda';
import { type TickReport, tickShifts } from '../shared/app/traffic/tick-shifts.ts';
import type { TrafficDeps } from '../shared/app/traffic/traffic-deps.ts';
import type { ShiftConfig } from '../shared/config/shift-schema.ts';
import { functionContainer } from './wiring/function-container.ts';
import { trafficDeps } from './wiring/traffic.ts';

export interface TrafficShiftDeps {
  traffic: TrafficDeps;
  shifts: () => readonly ShiftConfig[];
}

/** `trafficShift` (schedule): one stateless tick over every configured shift. */
export function createHandler(deps: TrafficShiftDeps) {
  return (_event?: ScheduledEvent | Record<string, unknown>): Promise<TickReport> =>
    tickShifts(deps.traffic, deps.shifts());
}

function defaultDeps(): TrafficShiftDeps {
  const c = functionContainer('trafficShift');
  return { shifts: () => c.config.shifts, traffic: trafficDeps(c) };
}

let cold: ReturnType<typeof createHandler> | undefined;
export const handler = async (event: ScheduledEvent): Promise<TickReport> => {
  cold ??= createHandler(defaultDeps());
  return cold(event);
};
