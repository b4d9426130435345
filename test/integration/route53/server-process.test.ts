import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { GetHostedZoneCommand } from '@aws-sdk/client-route-53';
import { afterAll, describe, expect, it } from 'vitest';
import { route53ClientFromEnv, useRoute53Endpoint } from '../../support/route53/sdk-env.ts';

let child: ChildProcess | undefined;
afterAll(() => {
  if (child?.pid !== undefined && child.exitCode === null) child.kill('SIGTERM');
});

describe('Route 53 test server as a process (sandbox)', () => {
  it('prints its URL and zones on one JSON line and answers the SDK', async () => {
    child = spawn(
      process.execPath,
      [
        '--experimental-strip-types',
        '--no-warnings',
        'test/support/route53/main.ts',
        '--zone',
        'sandbox.example=ZSANDBOX',
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    const line = await new Promise<string>((resolve, reject) => {
      const rl = createInterface({ input: child!.stdout! });
      rl.once('line', resolve);
      child!.once('exit', (code) => reject(new Error(`exited with ${code}`)));
    });
    const started = JSON.parse(line) as { url: string; zones: { id: string; name: string }[] };
    expect(started.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(started.zones).toEqual([{ id: 'ZSANDBOX', name: 'sandbox.example.' }]);
    useRoute53Endpoint(started.url);
    const zone = await route53ClientFromEnv().send(new GetHostedZoneCommand({ Id: 'ZSANDBOX' }));
    expect(zone.HostedZone?.Name).toBe('sandbox.example.');
    const exited = new Promise<number | null>((resolve) => child!.once('exit', resolve));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });
});
