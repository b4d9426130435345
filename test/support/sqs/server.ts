import { createHash, randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * An Amazon SQS stand-in for the calls the failed-event queue makes, in the AWS JSON 1.0 protocol the
 * current SDK speaks (`X-Amz-Target: AmazonSQS.<Operation>`, errors as `__type` plus the
 * `x-amzn-query-error` header the SDK reads in query-compatible mode). It follows the SQS API
 * reference: ReceiveMessage hides each message for the visibility timeout and returns at most 10,
 * DeleteMessage needs a receipt handle, ChangeMessageVisibility needs a message in flight,
 * GetQueueAttributes reports approximate counts, SendMessage bodies are 1 byte to 256 KiB, messages
 * older than the retention period are gone. MD5 digests are real (the SDK checks them).
 */

export type SqsOperation =
  | 'SendMessage'
  | 'ReceiveMessage'
  | 'DeleteMessage'
  | 'ChangeMessageVisibility'
  | 'GetQueueAttributes';

export interface SqsServerOptions {
  now?: () => number;
}

interface Message {
  id: string;
  body: string;
  sentAt: number;
  visibleAt: number;
  receiveCount: number;
  firstReceivedAt: number | null;
  /** The handle of the latest receive (older handles still delete, as SQS allows on standard queues). */
  receipt: string | null;
  handles: Set<string>;
}

interface Queue {
  name: string;
  url: string;
  visibilityTimeout: number;
  retentionSeconds: number;
  messages: Message[];
}

export interface SqsControl {
  /** Creates a queue; returns its URL. Retention defaults to 4 days, as in SQS. */
  createQueue(name: string, options?: { retentionSeconds?: number; visibilityTimeout?: number }): string;
  /** Sends a message body directly (seeding), as a destination would. */
  send(queueUrl: string, body: string): string;
  bodies(queueUrl: string): string[];
  /** The next `times` calls of the operation (any when none is named) fail with 500 InternalError. */
  inject(times: number, operation?: SqsOperation): void;
  calls(): { operation: string; status: number; code?: string }[];
}

export interface SqsServer {
  url: string;
  control: SqsControl;
  close(): Promise<void>;
}

class SqsError extends Error {
  readonly status: number;
  readonly type: string;
  readonly queryCode: string;
  constructor(status: number, type: string, queryCode: string, message: string) {
    super(message);
    this.status = status;
    this.type = type;
    this.queryCode = queryCode;
  }
}

const md5 = (s: string) => createHash('md5').update(s, 'utf8').digest('hex');

const invalid = (message: string) =>
  new SqsError(400, 'com.amazonaws.sqs#InvalidParameterValue', 'InvalidParameterValue', message);

function intIn(value: unknown, name: string, min: number, max: number, fallback: number): number {
  if (value === undefined || value === null) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw invalid(
      `Value ${String(value)} for parameter ${name} is invalid. Reason: Must be between ${min} and ${max}.`,
    );
  }
  return value;
}

export async function startSqsServer(options: SqsServerOptions = {}): Promise<SqsServer> {
  const now = options.now ?? Date.now;
  const queues = new Map<string, Queue>();
  const calls: { operation: string; status: number; code?: string }[] = [];
  let failures: { remaining: number; operation?: SqsOperation }[] = [];
  let base = '';

  function queueOf(input: { QueueUrl?: unknown }): Queue {
    const url = String(input.QueueUrl ?? '');
    const queue = [...queues.values()].find((q) => q.url === url || url.endsWith(`/${q.name}`));
    if (!queue) {
      throw new SqsError(
        400,
        'com.amazonaws.sqs#QueueDoesNotExist',
        'AWS.SimpleQueueService.NonExistentQueue',
        'The specified queue does not exist.',
      );
    }
    const t = now();
    queue.messages = queue.messages.filter((m) => t - m.sentAt < queue.retentionSeconds * 1000);
    return queue;
  }

  function byHandle(queue: Queue, handle: unknown): Message | undefined {
    const h = String(handle ?? '');
    if (!/^[A-Za-z0-9+/=_-]{16,}$/.test(h)) {
      throw new SqsError(
        400,
        'com.amazonaws.sqs#ReceiptHandleIsInvalid',
        'ReceiptHandleIsInvalid',
        `The input receipt handle "${h}" is not a valid receipt handle.`,
      );
    }
    return queue.messages.find((m) => m.handles.has(h));
  }

  function enqueue(queue: Queue, body: string, delaySeconds = 0): Message {
    const t = now();
    const message: Message = {
      id: randomUUID(),
      body,
      sentAt: t,
      visibleAt: t + delaySeconds * 1000,
      receiveCount: 0,
      firstReceivedAt: null,
      receipt: null,
      handles: new Set(),
    };
    queue.messages.push(message);
    return message;
  }

  const operations: Record<SqsOperation, (input: Record<string, unknown>) => unknown> = {
    SendMessage: (input) => {
      const queue = queueOf(input);
      const body = input['MessageBody'];
      if (typeof body !== 'string' || body.length === 0)
        throw invalid('The request must contain the parameter MessageBody.');
      // SQS accepts #x9 | #xA | #xD | #x20 to #xD7FF | #xE000 to #xFFFD | #x10000 to #x10FFFF only.
      if (/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u.test(body)) {
        throw new SqsError(
          400,
          'com.amazonaws.sqs#InvalidMessageContents',
          'InvalidMessageContents',
          'Invalid characters found. Valid unicode characters are #x9 | #xA | #xD | #x20 to #xD7FF | #xE000 to #xFFFD | #x10000 to #x10FFFF',
        );
      }
      if (Buffer.byteLength(body, 'utf8') > 262_144) {
        throw invalid('One or more parameters are invalid. Reason: Message must be shorter than 262144 bytes.');
      }
      const message = enqueue(queue, body, intIn(input['DelaySeconds'], 'DelaySeconds', 0, 900, 0));
      return { MessageId: message.id, MD5OfMessageBody: md5(body) };
    },
    ReceiveMessage: (input) => {
      const queue = queueOf(input);
      const max = intIn(input['MaxNumberOfMessages'], 'MaxNumberOfMessages', 1, 10, 1);
      const hide = intIn(input['VisibilityTimeout'], 'VisibilityTimeout', 0, 43_200, queue.visibilityTimeout);
      intIn(input['WaitTimeSeconds'], 'WaitTimeSeconds', 0, 20, 0);
      const wanted = new Set([
        ...((input['MessageSystemAttributeNames'] as string[] | undefined) ?? []),
        ...((input['AttributeNames'] as string[] | undefined) ?? []),
      ]);
      const t = now();
      const out = queue.messages
        .filter((m) => m.visibleAt <= t)
        .slice(0, max)
        .map((m) => {
          m.receiveCount++;
          m.firstReceivedAt ??= t;
          m.visibleAt = t + hide * 1000;
          m.receipt = Buffer.from(`${m.id}:${randomUUID()}`).toString('base64');
          m.handles.add(m.receipt);
          const all: Record<string, string> = {
            ApproximateReceiveCount: String(m.receiveCount),
            SentTimestamp: String(m.sentAt),
            ApproximateFirstReceiveTimestamp: String(m.firstReceivedAt),
          };
          const attributes = Object.fromEntries(
            Object.entries(all).filter(([k]) => wanted.has('All') || wanted.has(k)),
          );
          return {
            MessageId: m.id,
            ReceiptHandle: m.receipt,
            MD5OfBody: md5(m.body),
            Body: m.body,
            ...(Object.keys(attributes).length > 0 ? { Attributes: attributes } : {}),
          };
        });
      return out.length > 0 ? { Messages: out } : {};
    },
    DeleteMessage: (input) => {
      const queue = queueOf(input);
      const message = byHandle(queue, input['ReceiptHandle']);
      // A handle of a message already deleted succeeds again (the call is idempotent in SQS).
      if (message) queue.messages.splice(queue.messages.indexOf(message), 1);
      return {};
    },
    ChangeMessageVisibility: (input) => {
      const queue = queueOf(input);
      const message = byHandle(queue, input['ReceiptHandle']);
      const timeout = intIn(input['VisibilityTimeout'], 'VisibilityTimeout', 0, 43_200, -1);
      if (timeout < 0) throw invalid('The request must contain the parameter VisibilityTimeout.');
      if (!message || message.visibleAt <= now()) {
        throw new SqsError(
          400,
          'com.amazonaws.sqs#MessageNotInflight',
          'AWS.SimpleQueueService.MessageNotInflight',
          'The message referred to is not in flight.',
        );
      }
      message.visibleAt = now() + timeout * 1000;
      return {};
    },
    GetQueueAttributes: (input) => {
      const queue = queueOf(input);
      const t = now();
      const all: Record<string, string> = {
        ApproximateNumberOfMessages: String(queue.messages.filter((m) => m.visibleAt <= t).length),
        ApproximateNumberOfMessagesNotVisible: String(
          queue.messages.filter((m) => m.visibleAt > t && m.receiveCount > 0).length,
        ),
        ApproximateNumberOfMessagesDelayed: String(
          queue.messages.filter((m) => m.visibleAt > t && m.receiveCount === 0).length,
        ),
        MessageRetentionPeriod: String(queue.retentionSeconds),
        VisibilityTimeout: String(queue.visibilityTimeout),
      };
      const names = (input['AttributeNames'] as string[] | undefined) ?? [];
      const unknown = names.find((n) => n !== 'All' && !(n in all));
      if (unknown) {
        throw new SqsError(
          400,
          'com.amazonaws.sqs#InvalidAttributeName',
          'InvalidAttributeName',
          `Unknown Attribute ${unknown}.`,
        );
      }
      return {
        Attributes: Object.fromEntries(Object.entries(all).filter(([k]) => names.includes('All') || names.includes(k))),
      };
    },
  };

  const control: SqsControl = {
    createQueue: (name, opts = {}) => {
      const queue: Queue = {
        name,
        url: `${base}/123456789012/${name}`,
        visibilityTimeout: opts.visibilityTimeout ?? 30,
        retentionSeconds: opts.retentionSeconds ?? 345_600,
        messages: [],
      };
      queues.set(name, queue);
      return queue.url;
    },
    send: (queueUrl, body) => enqueue(queueOf({ QueueUrl: queueUrl }), body).id,
    bodies: (queueUrl) => queueOf({ QueueUrl: queueUrl }).messages.map((m) => m.body),
    inject: (times, operation) => {
      failures.push({ remaining: times, ...(operation ? { operation } : {}) });
    },
    calls: () => [...calls],
  };

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const target = String(req.headers['x-amz-target'] ?? '');
      const operation = target.replace(/^AmazonSQS\./, '');
      const reply = (status: number, body: unknown, headers: Record<string, string> = {}, code?: string) => {
        calls.push({ operation, status, ...(code ? { code } : {}) });
        res.writeHead(status, {
          'content-type': 'application/x-amz-json-1.0',
          'x-amzn-requestid': randomUUID(),
          ...headers,
        });
        res.end(JSON.stringify(body));
      };
      try {
        const run = operations[operation as SqsOperation];
        if (!target.startsWith('AmazonSQS.') || !run) {
          throw new SqsError(
            400,
            'com.amazonaws.sqs#UnsupportedOperation',
            'AWS.SimpleQueueService.UnsupportedOperation',
            `${operation} is not supported by this stand-in.`,
          );
        }
        const failure = failures.find(
          (f) => f.remaining > 0 && (f.operation === undefined || f.operation === operation),
        );
        if (failure) {
          failure.remaining--;
          failures = failures.filter((f) => f.remaining > 0);
          throw new SqsError(
            500,
            'com.amazonaws.sqs#InternalError',
            'InternalError',
            'We encountered an internal error. Please try again.',
          );
        }
        const input = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Record<string, unknown>;
        reply(200, run(input));
      } catch (error) {
        const e =
          error instanceof SqsError
            ? error
            : new SqsError(400, 'com.amazonaws.sqs#InvalidParameterValue', 'InvalidParameterValue', String(error));
        reply(
          e.status,
          { __type: e.type, message: e.message },
          { 'x-amzn-query-error': `${e.queryCode};${e.status >= 500 ? 'Receiver' : 'Sender'}` },
          e.queryCode,
        );
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: base,
    control,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((e) => (e ? reject(e) : resolve()));
      }),
  };
}
