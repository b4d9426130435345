import { SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildFailedOperations, FAILED_QUEUE_URL_ENV } from '../../../functions/wiring/failed-operations.ts';
import { SqsFailedEventQueue } from '../../../shared/adapters/sqs/sqs-failed-event-queue.ts';
import { runOperation } from '../../../shared/app/ops/run-operation.ts';
import { NotFoundError, TransientError, ValidationError } from '../../../shared/errors.ts';
import { silentLogger } from '../../../shared/ports/logger.ts';
import { type InvokeServer, startInvokeServer } from '../../support/lambda/invoke-server.ts';
import { invocationRecord, workerPayload } from '../../support/sqs/invocation-record.ts';
import { type SqsServer, startSqsServer } from '../../support/sqs/server.ts';

const WORKER = 'switchyard-test-pipelineWorker';
let sqs: SqsServer;
let lambda: InvokeServer;

beforeAll(async () => {
  sqs = await startSqsServer();
  lambda = await startInvokeServer([WORKER]);
  // The SDKs' own variables, as in production: no endpoints in code.
  process.env['AWS_ENDPOINT_URL_SQS'] = sqs.url;
  process.env['AWS_ENDPOINT_URL_LAMBDA'] = lambda.url;
  process.env['AWS_REGION'] ??= 'eu-west-1';
  process.env['AWS_ACCESS_KEY_ID'] ??= 'AKIDTEST';
  process.env['AWS_SECRET_ACCESS_KEY'] ??= 'secret';
});
afterAll(async () => {
  await sqs.close();
  await lambda.close();
});

describe('the SQS adapter through the real @aws-sdk/client-sqs (JSON protocol)', () => {
  it('receives with a hold, releases, deletes, and reads the depth', async () => {
    const url = sqs.control.createQueue('adapter');
    const queue = new SqsFailedEventQueue({ queueUrl: url });
    sqs.control.send(url, 'one');
    sqs.control.send(url, 'two');
    const [first, second] = await queue.receive(10, 60);
    expect([first?.body, second?.body]).toEqual(['one', 'two']);
    expect(first?.receiveCount).toBe(1);
    expect(await queue.receive(10, 60)).toEqual([]);
    expect(await queue.depth()).toEqual({ visible: 0, inFlight: 2 });
    await queue.release(first!.receipt);
    await queue.delete(second!.receipt);
    expect(await queue.depth()).toEqual({ visible: 1, inFlight: 0 });
    const again = await queue.receive(10, 60);
    expect(again.map((m) => [m.body, m.receiveCount])).toEqual([['one', 2]]);
  });

  it('maps SQS errors: no queue is NotFound, a bad receipt is Validation, a 500 storm is Transient', async () => {
    const missing = new SqsFailedEventQueue({ queueUrl: `${sqs.url}/123456789012/nope` });
    await expect(missing.depth()).rejects.toBeInstanceOf(NotFoundError);
    const url = sqs.control.createQueue('errors');
    const queue = new SqsFailedEventQueue({ queueUrl: url, client: new SQSClient({ maxAttempts: 1 }) });
    await expect(queue.delete('!')).rejects.toBeInstanceOf(ValidationError);
    sqs.control.inject(1, 'ReceiveMessage');
    await expect(queue.receive(1, 30)).rejects.toBeInstanceOf(TransientError);
  });
});

describe('switchyard failed list|redrive through the ops operations', () => {
  const env = () => ({
    [FAILED_QUEUE_URL_ENV]: sqs.control.createQueue('switchyard-test-failed-events', { retentionSeconds: 1_209_600 }),
    WORKER_FUNCTION_NAME: WORKER,
  });

  it('lists, dry-runs, then redrives: the worker gets the original payloads, the queue ends empty', async () => {
    const e = env();
    const url = e[FAILED_QUEUE_URL_ENV]!;
    sqs.control.send(url, invocationRecord(workerPayload('d-1')));
    sqs.control.send(url, invocationRecord(workerPayload('d-2', 7), { condition: 'EventAgeExceeded' }));
    const ops = buildFailedOperations(e, silentLogger);
    const list = await runOperation(ops, { command: 'failed.list', args: { max: '50' } });
    expect(list).toMatchObject({ ok: true, result: { depth: { visible: 2 }, unreadable: [] } });
    const dry = await runOperation(ops, { command: 'failed.redrive', args: {}, dryRun: true });
    expect(dry).toMatchObject({ ok: true, dryRun: true, result: { redriven: 0, left: 2 } });
    expect(lambda.invoked(WORKER)).toEqual([]);
    expect(sqs.control.bodies(url)).toHaveLength(2);
    lambda.throttle(1);
    // The SDK's own retry absorbs one throttle; the invoke is then accepted.
    const run = await runOperation(ops, { command: 'failed.redrive', args: {} });
    expect(run).toMatchObject({ ok: true, result: { redriven: 2, left: 0 } });
    expect(lambda.invoked(WORKER)).toEqual([workerPayload('d-1'), workerPayload('d-2', 7)]);
    expect(sqs.control.bodies(url)).toEqual([]);
  });

  it('an invoke that keeps failing leaves the event in the queue', async () => {
    const e = env();
    const url = e[FAILED_QUEUE_URL_ENV]!;
    sqs.control.send(url, invocationRecord(workerPayload('d-3')));
    const ops = buildFailedOperations({ ...e, WORKER_FUNCTION_NAME: 'no-such-function' }, silentLogger);
    const run = await runOperation(ops, { command: 'failed.redrive', args: {} });
    expect(run).toMatchObject({ ok: true, result: { redriven: 0, left: 1, items: [{ outcome: 'invoke-failed' }] } });
    expect(sqs.control.bodies(url)).toHaveLength(1);
  });

  it('without SWITCHYARD_FAILED_QUEUE_URL the command answers a ValidationError naming the variable', async () => {
    const ops = buildFailedOperations({ WORKER_FUNCTION_NAME: WORKER }, silentLogger);
    const run = await runOperation(ops, { command: 'failed.list', args: {} });
    expect(run).toMatchObject({ ok: false, error: { type: 'ValidationError' } });
    expect(JSON.stringify(run)).toMatch(/SWITCHYARD_FAILED_QUEUE_URL/);
    const bad = await runOperation(ops, { command: 'failed.redrive', args: { max: 'lots' } });
    expect(bad).toMatchObject({ ok: false, error: { type: 'ValidationError' } });
  });
});
