import {
  errorResponse,
  type OperationRegistry,
  type OperationResponse,
  runOperation,
} from '../shared/app/ops/run-operation.ts';
import { buildFailedOperations } from './wiring/failed-operations.ts';
import { functionContainer } from './wiring/function-container.ts';
import { buildOperations } from './wiring/operations.ts';
import { production } from './wiring/production.ts';

/**
 * The operator CLI's entry in AWS (`switchyard` invokes it with @aws-sdk/client-lambda). Not exposed
 * over HTTP: invoking it needs lambda:InvokeFunction on this function, which is the access control.
 */
export function createHandler(registry: OperationRegistry) {
  return (request: unknown): Promise<OperationResponse> => runOperation(registry, request);
}

let cold: ReturnType<typeof createHandler> | undefined;
export const handler = async (request: unknown): Promise<OperationResponse> => {
  try {
    if (!cold) {
      const container = functionContainer('ops');
      cold = createHandler({
        ...buildOperations(production(container)),
        ...buildFailedOperations(process.env, container.logger),
      });
    }
  } catch (error) {
    // A bad config or environment answers like any other failure (typed, so the CLI exits 2), and
    // nothing is kept: the next invocation builds again.
    const command = (request as { command?: unknown } | null)?.command;
    return errorResponse(typeof command === 'string' ? command : '(none)', error);
  }
  return cold(request);
};
