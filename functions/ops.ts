import { type OperationRegistry, type OperationResponse, runOperation } from '../shared/app/ops/run-operation.ts';
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
  cold ??= createHandler(buildOperations(production(functionContainer('ops'))));
  return cold(request);
};
