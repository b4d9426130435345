import type { ScheduledEvent } from 'aws-lambda';
import { CloudWatchGates } from '../shared/adapters/cloudwatch/cloudwatch-gates.ts';
import { createLogger } from '../shared/adapters/log/powertools-logger.ts';
import { Route53Dns } from '../shared/adapters/route53/route53-dns.ts';
import { type TickReport, tickShifts } from '../shared/app/traffic/tick-shifts.ts';
import type { TrafficDeps } from '../shared/app/traffic/traffic-deps.ts';
import { loadConfig } from '../shared/config/load-config.ts';
import type { ShiftConfig } from '../shared/config/shift-schema.ts';
import { systemClock } from '../shared/ports/clock.ts';
import type { LoggerPort } from '../shared/ports/logger.ts';
import type { DeploymentAvailabilityPort } from '../shared/ports/traffic-gates.ts';

export interface TrafficShiftDeps {
  traffic: TrafficDeps;
  shifts: () => readonly ShiftConfig[];
}

/** `trafficShift` (schedule): one stateless tick over every configured shift. */
export function createHandler(deps: TrafficShiftDeps) {
  return (_event?: ScheduledEvent | Record<string, unknown>): Promise<TickReport> =>
    tickShifts(deps.traffic, deps.shifts());
}

/**
 * Production traffic deps (also for the ops Lambda and the status page). The Deployment gate needs a
 * DeploymentAvailabilityPort from the k8s side: pass it in; without it a deployment gate reads as
 * unknown and its shift holds (it never advances blind).
 */
export function trafficDepsFromEnv(logger: LoggerPort, deployments?: DeploymentAvailabilityPort): TrafficDeps {
  const route53 = new Route53Dns();
  const cloudwatch = new CloudWatchGates();
  return {
    dns: route53,
    health: route53,
    alarms: cloudwatch,
    requests: cloudwatch,
    ...(deployments ? { deployments } : {}),
    clock: systemClock,
    logger,
  };
}

function defaultDeps(env = process.env): TrafficShiftDeps {
  return {
    shifts: () => loadConfig(env).config.shifts,
    traffic: trafficDepsFromEnv(createLogger('trafficShift')),
  };
}

let cold: ReturnType<typeof createHandler> | undefined;
export const handler = async (event: ScheduledEvent): Promise<TickReport> => {
  cold ??= createHandler(defaultDeps());
  return cold(event);
};
