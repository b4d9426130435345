import type { StatusSources } from '../../shared/app/status/read-status.ts';

/** Builds each status section's reader from the config and production adapters. */
export async function buildStatusSources(_env: NodeJS.ProcessEnv): Promise<StatusSources> {
  return {};
}
