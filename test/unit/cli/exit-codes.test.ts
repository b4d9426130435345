import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InvokeCommand, type InvokeCommandOutput, LambdaClient } from '@aws-sdk/client-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { main } from '../../../cli/main.ts';
import { handler } from '../../../functions/ops.ts';
import { resetConfigCache } from '../../../shared/config/load-config.ts';

const lambda = mockClient(LambdaClient);
const env = { SWITCHYARD_OPS_FUNCTION: 'switchyard-test-ops' };
let out: string[];
let err: string[];
const io = { out: (s: string) => out.push(s), err: (s: string) => err.push(s) };
// The SDK hands back a Uint8Array with helpers added; the CLI reads it as bytes.
const payload = (value: unknown) =>
  new TextEncoder().encode(JSON.stringify(value)) as unknown as NonNullable<InvokeCommandOutput['Payload']>;

beforeEach(() => {
  lambda.reset();
  out = [];
  err = [];
});
afterEach(() => {
  resetConfigCache();
});

describe('CLI exit codes, as the README documents them (2 bad input, 3 retry)', () => {
  it('a config the ops function cannot load is bad input: the handler answers it typed, the CLI exits 2', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'switchyard-badconfig-'));
    writeFileSync(join(dir, 'switchyard.config.yml'), 'shifts:\n  - name: Not Valid\n');
    const saved = process.env['SWITCHYARD_CONFIG'];
    process.env['SWITCHYARD_CONFIG'] = join(dir, 'switchyard.config.yml');
    const answer = await handler({ command: 'status', args: {}, dryRun: false }).finally(() => {
      if (saved === undefined) delete process.env['SWITCHYARD_CONFIG'];
      else process.env['SWITCHYARD_CONFIG'] = saved;
    });
    expect(answer).toMatchObject({ ok: false, error: { type: 'ValidationError', retryable: false } });
    lambda.on(InvokeCommand).resolves({ StatusCode: 200, Payload: payload(answer) });
    expect(await main(['status'], env, io)).toBe(2);
    expect(err.join('\n')).toMatch(/switchyard status: .*is invalid/);
  });

  it('a function error with a typed errorType (an older ops function failing its setup) exits by that type', async () => {
    lambda.on(InvokeCommand).resolves({
      StatusCode: 200,
      FunctionError: 'Unhandled',
      Payload: payload({ errorType: 'ValidationError', errorMessage: 'switchyard.config.yml is invalid' }),
    });
    expect(await main(['shifts', 'status'], env, io)).toBe(2);
    expect(err.join('\n')).not.toMatch(/cannot reach/);
  });

  it('an unreachable ops function is temporary: exit 3', async () => {
    lambda.on(InvokeCommand).rejects(Object.assign(new Error('connect ECONNREFUSED'), { name: 'Error' }));
    expect(await main(['status'], env, io)).toBe(3);
    expect(err.join('\n')).toMatch(/cannot reach switchyard-test-ops/);
  });

  it('an unknown function error type is a plain failure: exit 1', async () => {
    lambda.on(InvokeCommand).resolves({
      StatusCode: 200,
      FunctionError: 'Unhandled',
      Payload: payload({ errorType: 'Runtime.ImportModuleError', errorMessage: 'Cannot find module' }),
    });
    expect(await main(['status'], env, io)).toBe(1);
  });
});
