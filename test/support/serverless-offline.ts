import { type ChildProcess, spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { freePort } from './free-port.ts';

export interface OfflineStack {
  httpUrl: string;
  lambdaUrl: string;
  /** Everything serverless-offline and the functions printed so far. */
  output(): string;
  /** Calls `listener` with everything printed from now on. */
  onOutput(listener: (text: string) => void): void;
  /** Resolves when the output contains `text` (or rejects after `ms`). */
  waitFor(text: string | RegExp, ms?: number): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Runs `serverless offline start` with every function (HTTP on one port, the Lambda Invoke API on
 * another), both on 127.0.0.1, with the given environment for the functions.
 */
export async function startOffline(
  env: Record<string, string>,
  opts: { cwd?: string; timeoutMs?: number } = {},
): Promise<OfflineStack> {
  const cwd = opts.cwd ?? resolve(import.meta.dirname, '../..');
  const httpPort = await freePort();
  const lambdaPort = await freePort();
  const child: ChildProcess = spawn(
    resolve(cwd, 'node_modules/.bin/serverless'),
    ['offline', 'start', '--localEnvironment'],
    {
      cwd,
      env: {
        ...process.env,
        // The functions run on the project's Node 24 (the npm package `node`), like nodejs24.x.
        PATH: `${resolve(cwd, 'node_modules/.bin')}:${process.env['PATH'] ?? ''}`,
        AWS_ACCESS_KEY_ID: 'test',
        AWS_SECRET_ACCESS_KEY: 'test',
        AWS_REGION: 'eu-west-1',
        AWS_ENDPOINT_URL_LAMBDA: `http://127.0.0.1:${lambdaPort}`,
        SWITCHYARD_HTTP_PORT: String(httpPort),
        SWITCHYARD_LAMBDA_PORT: String(lambdaPort),
        // Callers tick the schedules themselves; serverless-offline's own cron would overlap them.
        SWITCHYARD_SCHEDULES: 'false',
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    },
  );
  let out = '';
  const waiters: Array<() => void> = [];
  const listeners: Array<(text: string) => void> = [];
  const onData = (d: Buffer) => {
    out += d.toString();
    for (const l of listeners) l(d.toString());
    for (const w of [...waiters]) w();
  };
  child.stdout?.on('data', onData);
  child.stderr?.on('data', onData);
  const exited = new Promise<void>((res) => child.once('exit', () => res()));

  const waitFor = (text: string | RegExp, ms = 60_000) =>
    new Promise<void>((res, rej) => {
      const test = () => (typeof text === 'string' ? out.includes(text) : text.test(out));
      if (test()) return res();
      const timer = setTimeout(() => rej(new Error(`timed out waiting for ${text}; output:\n${out.slice(-4000)}`)), ms);
      const check = () => {
        if (test()) {
          clearTimeout(timer);
          waiters.splice(waiters.indexOf(check), 1);
          res();
        }
      };
      waiters.push(check);
      child.once('exit', () => {
        clearTimeout(timer);
        if (!test()) rej(new Error(`serverless offline exited; output:\n${out.slice(-4000)}`));
      });
    });

  const stop = async () => {
    if (child.exitCode === null && child.pid) {
      try {
        process.kill(-child.pid, 'SIGTERM');
      } catch {
        // already gone
      }
      const timer = setTimeout(() => child.pid && process.kill(-child.pid, 'SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    }
  };

  try {
    // Both servers must listen: the Invoke API announces itself first, the HTTP API's route table is
    // printed before it listens, and only "Server ready" follows the listen.
    await waitFor(`Offline [http for lambda] listening on http://127.0.0.1:${lambdaPort}`, opts.timeoutMs ?? 120_000);
    await waitFor(`Server ready: http://127.0.0.1:${httpPort}`, opts.timeoutMs ?? 120_000);
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    httpUrl: `http://127.0.0.1:${httpPort}`,
    lambdaUrl: `http://127.0.0.1:${lambdaPort}`,
    output: () => out,
    onOutput: (listener: (text: string) => void) => void listeners.push(listener),
    waitFor,
    stop,
  };
}
