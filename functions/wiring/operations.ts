import { z } from 'zod';
import type { OperationRegistry } from '../../shared/app/ops/run-operation.ts';
import { readStatus } from '../../shared/app/status/read-status.ts';
import { buildStatusSources } from './status-sources.ts';

/** Every operator command, wired to its use case with production adapters. */
export async function buildOperations(env: NodeJS.ProcessEnv): Promise<OperationRegistry> {
  const sources = await buildStatusSources(env);
  return {
    status: {
      summary: 'previews, releases, traffic shifts and health at a glance',
      args: z.object({}).strict(),
      run: () => readStatus(sources, new Date()),
    },
  };
}
