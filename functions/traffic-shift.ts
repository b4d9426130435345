import type { ScheduledEvent } from 'aws-lambda';
import { CloudWatchGates } from '../shared/adapters/cloudwatch/cloudwatch-gates.ts';
import { createLogger } from '../shared/adapters/log/powertools-logger.ts';
import { Route53Dns } from '../shared/adapters/route53/route53-dns.ts';
import { type TickReport, tickShifts } from '../shared/app/traffic/tick-shifts.ts';
import type { TrafficDeps } from '../shared/app/traffic/traffic-deps.ts';
import { loadConfig } from '../shared/config/load-config.ts';
import type { ShiftConfig } from '../shared/config/shift-schema.ts';
import { systemClock } from '../shared/ports/clock.ts';

export interface TrafficShiftDeps {
  traffic: TrafficDeps;
  shifts: () => readonly ShiftConfig[];
}

/** `trafficShift` (schedule): one stateless tick over every configured shift. */
export function createHandler(deps: TrafficShiftDeps) {
  return (_event?: ScheduledEvent | Record<string, unknown>): Promise<TickReport> =>
    tickShifts(deps.traffic, deps.shifts());
}

function defaultDeps(env = process.env): TrafficShiftDeps {
  const route53 = new Route53Dns();
  return {
    shifts: () => loadConfig(env).config.shifts,
    traffic: {
      dns: route53,
      health: route53,
      alarms: new CloudWatchGates(),
      requests: new CloudWatchGates(),
      // The Deployment gate is wired by the lead to the k8s adapter (DeploymentAvailabilityPort);
      // until then a deployment gate reads as unknown and its shift holds (never advances blind).
      clock: systemClock,
      logger: createLogger('trafficShift'),
    },
  };
}

let cold: ReturnType<typeof createHandler> | undefined;
export const handler = async (event: ScheduledEvent): Promise<TickReport> => {
  cold ??= createHandler(defaultDeps());
  return cold(event);
};
