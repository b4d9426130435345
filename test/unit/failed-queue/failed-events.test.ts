import { describe, expect, it } from 'vitest';
import type { FailedDeps } from '../../../shared/app/failed/failed-deps.ts';
import { listFailed } from '../../../shared/app/failed/list-failed.ts';
import { redriveFailed } from '../../../shared/app/failed/redrive-failed.ts';
import { TransientError } from '../../../shared/errors.ts';
import { InMemoryFailedEventQueue } from '../../../shared/ports/in-memory-failed-event-queue.ts';
import type { InvokerPort } from '../../../shared/ports/invoker.ts';
import { silentLogger } from '../../../shared/ports/logger.ts';
import { invocationRecord, workerPayload } from '../../support/sqs/invocation-record.ts';

/** An invoker twin that records each call in the queue's own log, so the order is visible. */
function setup(options: { failInvokes?: number } = {}) {
  let t = Date.parse('2026-11-23T09:00:00Z');
  const queue = new InMemoryFailedEventQueue(() => t);
  let failures = options.failInvokes ?? 0;
  const invoked: unknown[] = [];
  const invoker: InvokerPort = {
    invokeAsync: async (name, payload) => {
      queue.calls.push(`invoke ${name}`);
      if (failures-- > 0) throw new TransientError(`could not invoke ${name}: Rate exceeded`);
      invoked.push(payload);
    },
  };
  const deps: FailedDeps = {
    queue,
    invoker,
    workerFunctionName: 'switchyard-prod-pipelineWorker',
    logger: silentLogger,
  };
  return { queue, deps, invoked, advance: (ms: number) => (t += ms) };
}

describe('failed events: list', () => {
  it('shows what failed, when and why, and leaves every message in the queue', async () => {
    const { queue, deps } = setup();
    queue.send(invocationRecord(workerPayload('d-1')));
    queue.send(invocationRecord(workerPayload('d-2', 7), { condition: 'EventAgeExceeded' }));
    queue.send('not json at all');
    const list = await listFailed(deps);
    expect(list.depth).toEqual({ visible: 3, inFlight: 0 });
    expect(list.events.map((e) => [e.summary, e.condition, e.attempts, e.error])).toEqual([
      [
        'delivery d-1: pull_request acme/shop 42',
        'RetriesExhausted',
        3,
        'TransientError: retryable failures: previews: Kubernetes API unreachable',
      ],
      ['delivery d-2: pull_request acme/shop 7', 'EventAgeExceeded', 0, null],
    ]);
    expect(list.unreadable).toEqual([{ messageId: 'm-3', problem: 'the body is not JSON' }]);
    expect(await queue.depth()).toEqual({ visible: 3, inFlight: 0 });
    expect(queue.calls.filter((c) => c.startsWith('delete'))).toEqual([]);
  });

  it('reads more than one receive (10 at most each) and stops at max', async () => {
    const { queue, deps } = setup();
    for (let i = 0; i < 23; i++) queue.send(invocationRecord(workerPayload(`d-${i}`)));
    expect((await listFailed(deps)).events).toHaveLength(23);
    expect((await listFailed(deps, { max: 12 })).events).toHaveLength(12);
    expect(queue.calls.filter((c) => c.startsWith('receive')).slice(-2)).toEqual(['receive 10', 'receive 2']);
  });
});

describe('failed events: redrive', () => {
  it('invokes the worker with the original payload, then deletes the message (never before)', async () => {
    const { queue, deps, invoked } = setup();
    queue.send(invocationRecord(workerPayload('d-1')));
    const report = await redriveFailed(deps);
    expect(report).toMatchObject({ dryRun: false, redriven: 1, left: 0 });
    expect(invoked).toEqual([workerPayload('d-1')]);
    expect(queue.calls).toEqual(['receive 10', 'receive 10', 'invoke switchyard-prod-pipelineWorker', 'delete m-1#1']);
    expect(queue.bodies()).toEqual([]);
  });

  it('keeps a message whose invoke fails; the next redrive sends it', async () => {
    const { queue, deps, invoked } = setup({ failInvokes: 1 });
    queue.send(invocationRecord(workerPayload('d-1')));
    queue.send(invocationRecord(workerPayload('d-2')));
    const first = await redriveFailed(deps);
    expect(first.items.map((i) => i.outcome)).toEqual(['invoke-failed', 'redriven']);
    expect(first).toMatchObject({ redriven: 1, left: 1 });
    expect(await queue.depth()).toEqual({ visible: 1, inFlight: 0 });
    const second = await redriveFailed(deps);
    expect(second.items.map((i) => i.outcome)).toEqual(['redriven']);
    expect(invoked).toEqual([workerPayload('d-2'), workerPayload('d-1')]);
    expect(queue.bodies()).toEqual([]);
  });

  it('a dry run invokes nothing and deletes nothing', async () => {
    const { queue, deps, invoked } = setup();
    queue.send(invocationRecord(workerPayload('d-1')));
    const report = await redriveFailed(deps, { dryRun: true });
    expect(report.items).toEqual([
      { messageId: 'm-1', outcome: 'would-redrive', summary: 'delivery d-1: pull_request acme/shop 42' },
    ]);
    expect(invoked).toEqual([]);
    expect(queue.calls.some((c) => c.startsWith('delete'))).toBe(false);
    expect(await queue.depth()).toEqual({ visible: 1, inFlight: 0 });
  });

  it('never redrives nor deletes a message that is not a Lambda invocation record', async () => {
    const { queue, deps, invoked } = setup();
    queue.send(JSON.stringify({ hello: 'world' }));
    const report = await redriveFailed(deps);
    expect(report.items[0]).toMatchObject({
      outcome: 'skipped',
      detail: expect.stringMatching(/not a Lambda invocation record/),
    });
    expect(invoked).toEqual([]);
    expect(queue.bodies()).toHaveLength(1);
  });

  it('a delete that fails after the invoke is reported: the message may be redriven again', async () => {
    const { queue, deps } = setup();
    queue.send(invocationRecord(workerPayload('d-1')));
    const failingDelete: FailedDeps = {
      ...deps,
      queue: Object.assign(Object.create(queue) as InMemoryFailedEventQueue, {
        delete: async () => {
          throw new TransientError('SQS unavailable');
        },
      }),
    };
    const report = await redriveFailed(failingDelete);
    expect(report.items[0]).toMatchObject({ outcome: 'redriven-not-deleted', detail: 'SQS unavailable' });
    expect(report).toMatchObject({ redriven: 1, left: 1 });
  });
});
