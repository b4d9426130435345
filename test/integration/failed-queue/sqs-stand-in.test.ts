import {
  ChangeMessageVisibilityCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SqsServer, startSqsServer } from '../../support/sqs/server.ts';

// The stand-in against what the SQS API reference documents, through the real SDK (which also checks
// the MD5 digests of what it sends and receives).
let t = Date.parse('2026-11-23T08:00:00Z');
let sqs: SqsServer;
let client: SQSClient;

beforeAll(async () => {
  sqs = await startSqsServer({ now: () => t });
  client = new SQSClient({
    endpoint: sqs.url,
    region: 'eu-west-1',
    maxAttempts: 1,
    credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'secret' },
  });
});
afterAll(async () => {
  await sqs.close();
});

const failure = (p: Promise<unknown>) =>
  p.then(
    () => null,
    (e: { name: string }) => e.name,
  );

describe('SQS stand-in', () => {
  it('hides a received message for its visibility timeout, then delivers it again with a higher count', async () => {
    const QueueUrl = sqs.control.createQueue('visibility');
    const sent = await client.send(new SendMessageCommand({ QueueUrl, MessageBody: 'hello' }));
    expect(sent.MessageId).toBeTruthy();
    const first = await client.send(
      new ReceiveMessageCommand({ QueueUrl, VisibilityTimeout: 30, MessageSystemAttributeNames: ['All'] }),
    );
    expect(first.Messages?.[0]).toMatchObject({ Body: 'hello', Attributes: { ApproximateReceiveCount: '1' } });
    expect((await client.send(new ReceiveMessageCommand({ QueueUrl }))).Messages).toBeUndefined();
    const attributes = await client.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['All'] }));
    expect(attributes.Attributes).toMatchObject({
      ApproximateNumberOfMessages: '0',
      ApproximateNumberOfMessagesNotVisible: '1',
    });
    t += 31_000;
    const again = await client.send(
      new ReceiveMessageCommand({ QueueUrl, MessageSystemAttributeNames: ['ApproximateReceiveCount'] }),
    );
    expect(again.Messages?.[0]?.Attributes).toEqual({ ApproximateReceiveCount: '2' });
  });

  it('refuses what SQS refuses', async () => {
    const QueueUrl = sqs.control.createQueue('limits');
    expect(await failure(client.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 11 })))).toBe(
      'InvalidParameterValue',
    );
    expect(await failure(client.send(new SendMessageCommand({ QueueUrl, MessageBody: 'x'.repeat(262_145) })))).toBe(
      'InvalidParameterValue',
    );
    expect(await failure(client.send(new SendMessageCommand({ QueueUrl, MessageBody: 'bell \u0007' })))).toBe(
      'InvalidMessageContents',
    );
    sqs.control.send(QueueUrl, 'm');
    const [m] = (await client.send(new ReceiveMessageCommand({ QueueUrl, VisibilityTimeout: 0 }))).Messages ?? [];
    // Received with a zero timeout, the message is not in flight: its visibility cannot be changed.
    expect(
      await failure(
        client.send(
          new ChangeMessageVisibilityCommand({ QueueUrl, ReceiptHandle: m!.ReceiptHandle, VisibilityTimeout: 10 }),
        ),
      ),
    ).toBe('MessageNotInflight');
    expect(
      await failure(client.send(new GetQueueAttributesCommand({ QueueUrl: `${sqs.url}/123456789012/gone` }))),
    ).toBe('QueueDoesNotExist');
  });

  it('drops messages older than the retention period', async () => {
    const QueueUrl = sqs.control.createQueue('retention', { retentionSeconds: 60 });
    sqs.control.send(QueueUrl, 'old');
    t += 61_000;
    expect((await client.send(new ReceiveMessageCommand({ QueueUrl }))).Messages).toBeUndefined();
  });
});
