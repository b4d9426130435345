import { createLogger } from '../shared/adapters/log/powertools-logger.ts';
import { checkHealth, type HealthDeps, type HealthResult } from '../shared/app/releases/index.ts';
import { production } from './wiring/production.ts';

/** The scheduled event; `dryRun: true` (events/ or `serverless invoke`) checks without writing or alerting. */
export interface HealthCheckEvent {
  dryRun?: boolean;
}

/** `healthCheck` (schedule): fleet health, alerts on transitions. */
export function createHandler(deps: HealthDeps) {
  return (event: HealthCheckEvent | null | undefined): Promise<HealthResult> =>
    checkHealth(deps, { dryRun: event?.dryRun === true });
}

function defaultDeps(env = process.env): Promise<HealthDeps> {
  return production(env, createLogger('healthCheck')).health();
}

let cold: ReturnType<typeof createHandler> | undefined;
export const handler = async (event: HealthCheckEvent | null | undefined): Promise<HealthResult> => {
  cold ??= createHandler(await defaultDeps());
  return cold(event);
};
