import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { type OperationRegistry, runOperation } from '../../../shared/app/ops/run-operation.ts';
import { TransientError } from '../../../shared/errors.ts';

const calls: unknown[] = [];
const registry: OperationRegistry = {
  'shift.pause': {
    summary: 'pause',
    args: z.object({ name: z.string().min(1) }).strict(),
    run: async (args, opts) => {
      calls.push({ args, opts });
      return { paused: args['name'] };
    },
  },
  flaky: {
    summary: 'x',
    args: z.object({}),
    run: async () => Promise.reject(new TransientError('Route 53 throttled')),
  },
};

describe('runOperation', () => {
  it('runs a command with validated args and the dry-run flag', async () => {
    const res = await runOperation(registry, { command: 'shift.pause', args: { name: 'web' }, dryRun: true });
    expect(res).toEqual({ ok: true, command: 'shift.pause', dryRun: true, result: { paused: 'web' } });
    expect(calls.at(-1)).toEqual({ args: { name: 'web' }, opts: { dryRun: true } });
  });

  it('names the bad argument and runs nothing', async () => {
    const before = calls.length;
    const res = await runOperation(registry, { command: 'shift.pause', args: { name: '' } });
    expect(res.ok).toBe(false);
    expect(!res.ok && res.error).toMatchObject({ type: 'ValidationError', message: expect.stringMatching(/name/) });
    expect(calls.length).toBe(before);
  });

  it('lists the known commands for an unknown one', async () => {
    const res = await runOperation(registry, { command: 'nope' });
    expect(!res.ok && res.error.message).toMatch(/unknown command "nope"; known: flaky, shift.pause/);
  });

  it('reports retryable failures as such', async () => {
    const res = await runOperation(registry, { command: 'flaky' });
    expect(!res.ok && res.error).toEqual({ type: 'TransientError', message: 'Route 53 throttled', retryable: true });
  });
});
