import {
  ChangeMessageVisibilityCommand,
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { NotFoundError, TransientError, ValidationError } from '../../errors.ts';
import type { FailedEventQueuePort, QueueDepth, QueuedMessage } from '../../ports/failed-event-queue.ts';

export interface SqsFailedEventQueueOptions {
  queueUrl: string;
  /** By default one from the environment (region, credentials, AWS_ENDPOINT_URL_SQS). */
  client?: SQSClient;
}

/** Maps an SQS error into the project taxonomy. */
function wrapSqsError(error: unknown, what: string): Error {
  const e = error as { name?: string; message?: string; $metadata?: { httpStatusCode?: number } };
  const name = e?.name ?? 'Error';
  const message = `${what}: ${name}: ${e?.message ?? String(error)}`;
  if (name === 'QueueDoesNotExist' || name === 'AWS.SimpleQueueService.NonExistentQueue') {
    return new NotFoundError(message, { cause: error });
  }
  if (name === 'ReceiptHandleIsInvalid' || name === 'InvalidParameterValue' || name === 'MessageNotInflight') {
    return new ValidationError(message, [], { cause: error });
  }
  return new TransientError(message, { cause: error });
}

/**
 * The failed-event queue on Amazon SQS: ReceiveMessage (short poll), DeleteMessage,
 * ChangeMessageVisibility (timeout 0 releases a message) and GetQueueAttributes for the depth.
 */
export class SqsFailedEventQueue implements FailedEventQueuePort {
  private readonly client: SQSClient;
  private readonly queueUrl: string;

  constructor(options: SqsFailedEventQueueOptions) {
    this.queueUrl = options.queueUrl;
    this.client = options.client ?? new SQSClient({});
  }

  private async send<T>(what: string, call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (error) {
      throw wrapSqsError(error, what);
    }
  }

  async receive(max: number, hideSeconds: number): Promise<QueuedMessage[]> {
    const out = await this.send('receive failed events', () =>
      this.client.send(
        new ReceiveMessageCommand({
          QueueUrl: this.queueUrl,
          MaxNumberOfMessages: max,
          VisibilityTimeout: hideSeconds,
          WaitTimeSeconds: 0,
          MessageSystemAttributeNames: ['ApproximateReceiveCount', 'SentTimestamp'],
        }),
      ),
    );
    return (out.Messages ?? []).map((m) => ({
      id: m.MessageId ?? '',
      receipt: m.ReceiptHandle ?? '',
      body: m.Body ?? '',
      receiveCount: Number(m.Attributes?.ApproximateReceiveCount ?? 0),
      sentAt: new Date(Number(m.Attributes?.SentTimestamp ?? 0)),
    }));
  }

  async delete(receipt: string): Promise<void> {
    await this.send('delete a failed event', () =>
      this.client.send(new DeleteMessageCommand({ QueueUrl: this.queueUrl, ReceiptHandle: receipt })),
    );
  }

  async release(receipt: string): Promise<void> {
    await this.send('release a failed event', () =>
      this.client.send(
        new ChangeMessageVisibilityCommand({ QueueUrl: this.queueUrl, ReceiptHandle: receipt, VisibilityTimeout: 0 }),
      ),
    );
  }

  async depth(): Promise<QueueDepth> {
    const out = await this.send('read the failed-event queue depth', () =>
      this.client.send(
        new GetQueueAttributesCommand({
          QueueUrl: this.queueUrl,
          AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
        }),
      ),
    );
    return {
      visible: Number(out.Attributes?.ApproximateNumberOfMessages ?? 0),
      inFlight: Number(out.Attributes?.ApproximateNumberOfMessagesNotVisible ?? 0),
    };
  }
}
