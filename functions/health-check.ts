import { checkHealth, type HealthDeps, type HealthResult } from '../shared/app/releases/index.ts';
import { functionContainer } from './wiring/function-container.ts';
import { health } from './wiring/health.ts';

/** The scheduled event; `dryRun: true` (events/ or `serverless invoke`) checks without writing or alerting. */
export interface HealthCheckEvent {
  dryRun?: boolean;
}

/** `healthCheck` (schedule): fleet health, alerts on transitions. */
export function createHandler(deps: HealthDeps) {
  return (event: HealthCheckEvent | null | undefined): Promise<HealthResult> =>
    checkHealth(deps, { dryRun: event?.dryRun === true });
}

function defaultDeps(): Promise<HealthDeps> {
  return functionContainer('healthCheck').get(health);
}

let cold: ReturnType<typeof createHandler> | undefined;
export const handler = async (event: HealthCheckEvent | null | undefined): Promise<HealthResult> => {
  cold ??= createHandler(await defaultDeps());
  return cold(event);
};
