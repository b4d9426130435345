import { InvokeCommand, type InvokeCommandOutput, LambdaClient } from '@aws-sdk/client-lambda';
import { TransientError } from '../../errors.ts';
import type { InvokerPort } from '../../ports/invoker.ts';

/**
 * Asynchronous Lambda invocation. The endpoint comes from the SDK's own configuration
 * (AWS_ENDPOINT_URL_LAMBDA in the sandbox and tests), never from us.
 */
export function createLambdaInvoker(client: LambdaClient = new LambdaClient({})): InvokerPort {
  return {
    async invokeAsync(functionName, payload) {
      try {
        const res = await client.send(
          new InvokeCommand({
            FunctionName: functionName,
            InvocationType: 'Event',
            Payload: Buffer.from(JSON.stringify(payload)),
          }),
        );
        if (res.FunctionError) throw new Error(`function error ${res.FunctionError}`);
      } catch (error) {
        throw new TransientError(`could not invoke ${functionName}: ${(error as Error).message}`, { cause: error });
      }
    },
  };
}

/**
 * The invoked function ran and failed (Lambda's `FunctionError`, with the runtime's `errorType` and
 * `errorMessage` in the payload): the function is reachable, so this is not a transport problem.
 */
export class RemoteFunctionError extends Error {
  readonly errorType: string;
  constructor(errorType: string, message: string) {
    super(message);
    this.name = 'RemoteFunctionError';
    this.errorType = errorType;
  }
}

/** Synchronous invocation (the operator CLI calling the ops function). */
export async function invokeSync(client: LambdaClient, functionName: string, payload: unknown): Promise<unknown> {
  let res: InvokeCommandOutput;
  try {
    res = await client.send(
      new InvokeCommand({
        FunctionName: functionName,
        InvocationType: 'RequestResponse',
        Payload: Buffer.from(JSON.stringify(payload)),
      }),
    );
  } catch (error) {
    throw new TransientError(`could not invoke ${functionName}: ${(error as Error).message}`, { cause: error });
  }
  const text = res.Payload ? Buffer.from(res.Payload).toString('utf8') : 'null';
  const body = JSON.parse(text) as unknown;
  if (res.FunctionError) {
    const error = body as { errorType?: string; errorMessage?: string } | null;
    throw new RemoteFunctionError(error?.errorType ?? res.FunctionError, error?.errorMessage ?? res.FunctionError);
  }
  return body;
}
