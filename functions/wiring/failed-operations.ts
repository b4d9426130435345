import { z } from 'zod';
import { createLambdaInvoker } from '../../shared/adapters/lambda/lambda-invoker.ts';
import { SqsFailedEventQueue } from '../../shared/adapters/sqs/sqs-failed-event-queue.ts';
import type { FailedDeps } from '../../shared/app/failed/failed-deps.ts';
import { listFailed } from '../../shared/app/failed/list-failed.ts';
import { redriveFailed } from '../../shared/app/failed/redrive-failed.ts';
import type { OperationRegistry } from '../../shared/app/ops/run-operation.ts';
import { requireEnv, workerFunctionName } from '../../shared/config/env.ts';
import type { LoggerPort } from '../../shared/ports/logger.ts';

/** The queue that serverless.yml gives the worker as its on-failure destination. */
export const FAILED_QUEUE_URL_ENV = 'SWITCHYARD_FAILED_QUEUE_URL';

/** `--max` arrives from the CLI as text: 1 to 1000 messages per run. */
const Max = z.object({ max: z.coerce.number().int().min(1).max(1000).optional() }).strict();

/**
 * `failed.list` and `failed.redrive`. The dependencies are built per call from the environment, so a
 * missing SWITCHYARD_FAILED_QUEUE_URL is an answer to these commands only, not a broken ops function.
 */
export function buildFailedOperations(
  env: NodeJS.ProcessEnv,
  logger: LoggerPort,
  make: (env: NodeJS.ProcessEnv) => FailedDeps = (e) => ({
    queue: new SqsFailedEventQueue({ queueUrl: requireEnv(e, FAILED_QUEUE_URL_ENV) }),
    invoker: createLambdaInvoker(),
    workerFunctionName: workerFunctionName(e),
    logger,
  }),
): OperationRegistry {
  const max = (args: Record<string, unknown>) => (args['max'] === undefined ? {} : { max: args['max'] as number });
  return {
    'failed.list': {
      summary: "the worker's failed events kept in the queue",
      args: Max,
      run: async (args) => listFailed(make(env), max(args)),
    },
    'failed.redrive': {
      summary: 'invoke the worker again with each failed event, deleting it once accepted',
      args: Max,
      run: async (args, opts) => redriveFailed(make(env), { ...max(args), dryRun: opts.dryRun }),
    },
  };
}
