/**
 * A record as Lambda sends it to an on-failure destination, in the shape the AWS Lambda developer guide
 * shows ("Capturing records of Lambda asynchronous invocations"): the worker's payload, the failure
 * condition, and the error the function returned.
 */
export function invocationRecord(
  requestPayload: unknown,
  options: { condition?: 'RetriesExhausted' | 'EventAgeExceeded'; at?: string; requestId?: string } = {},
): string {
  const condition = options.condition ?? 'RetriesExhausted';
  const record: Record<string, unknown> = {
    version: '1.0',
    timestamp: options.at ?? '2026-11-23T08:15:05.568Z',
    requestContext: {
      requestId: options.requestId ?? 'e4b46cbf-b738-4b8a-8880-a18cdf61200e',
      functionArn: 'arn:aws:lambda:eu-west-1:123456789012:function:switchyard-prod-pipelineWorker:$LATEST',
      condition,
      approximateInvokeCount: condition === 'RetriesExhausted' ? 3 : 0,
    },
    requestPayload,
  };
  if (condition === 'RetriesExhausted') {
    record['responseContext'] = { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' };
    record['responsePayload'] = {
      errorType: 'TransientError',
      errorMessage: 'retryable failures: previews: Kubernetes API unreachable',
      trace: ['TransientError: retryable failures', '    at Runtime.handler (/var/task/index.mjs:1:1)'],
    };
  }
  return JSON.stringify(record);
}

/** A worker payload as the ingress hands it off: one delivery's intents. */
export function workerPayload(deliveryId: string, pr = 42): unknown {
  return {
    deliveryId,
    intents: [
      {
        kind: 'pull_request',
        deliveryId,
        repo: 'acme/shop',
        eventTime: '2026-11-23T08:14:00Z',
        action: 'synchronize',
        pr,
        headSha: 'a'.repeat(40),
        headRef: 'feature',
        baseRef: 'main',
      },
    ],
  };
}
