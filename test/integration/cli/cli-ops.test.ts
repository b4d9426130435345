import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Route53Server, startRoute53Server } from '../../support/route53/server.ts';
import { type OfflineStack, startOffline } from '../../support/serverless-offline.ts';
import { invocationRecord, workerPayload } from '../../support/sqs/invocation-record.ts';
import { type SqsServer, startSqsServer } from '../../support/sqs/server.ts';

const root = resolve(import.meta.dirname, '../../..');

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

// The operator CLI as a person runs it (`switchyard ...` in a shell), through the real ops function
// under serverless-offline's Lambda Invoke API, against our Route 53 server.
describe('switchyard CLI -> ops function', () => {
  let route53: Route53Server;
  let sqs: SqsServer;
  let failedQueue: string;
  let stack: OfflineStack;
  let sandboxDir: string;
  let zoneId: string;

  const cli = (...args: string[]): Promise<Run> =>
    new Promise((done) => {
      execFile(
        resolve(root, 'node_modules/.bin/node'),
        [resolve(root, 'bin/switchyard.mjs'), ...args],
        { cwd: root, env: { ...process.env, SWITCHYARD_SANDBOX_DIR: sandboxDir, SWITCHYARD_OPS_FUNCTION: '' } },
        (error, stdout, stderr) => done({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
      );
    });

  beforeAll(async () => {
    route53 = await startRoute53Server();
    zoneId = route53.control.createZone('example.test');
    route53.control.seed(zoneId, [
      {
        action: 'CREATE',
        record: { name: 'www.example.test', type: 'CNAME', ttl: 60, values: ['legacy.example.test'] },
      },
    ]);
    const dir = mkdtempSync(join(tmpdir(), 'switchyard-cli-'));
    const config = join(dir, 'switchyard.config.yml');
    writeFileSync(
      config,
      [
        'clusters: [{ name: local, kubeconfig: /nonexistent }]',
        'shifts:',
        '  - name: www',
        `    hostedZoneId: ${zoneId}`,
        '    record: www.example.test',
        '    type: CNAME',
        '    ttl: 60',
        '    legacy: { values: [legacy.example.test] }',
        '    kubernetes: { values: [k8s.example.test] }',
        '    steps: { model: list, weights: [10, 100] }',
        '',
      ].join('\n'),
    );
    sqs = await startSqsServer();
    failedQueue = sqs.control.createQueue('switchyard-dev-failed-events', { retentionSeconds: 1_209_600 });
    stack = await startOffline({
      SWITCHYARD_CONFIG: config,
      AWS_ENDPOINT_URL_ROUTE_53: route53.url,
      AWS_ENDPOINT_URL_SQS: sqs.url,
      SWITCHYARD_FAILED_QUEUE_URL: failedQueue,
    });
    sandboxDir = dir;
    writeFileSync(
      join(dir, 'cli.json'),
      JSON.stringify({ lambdaEndpoint: stack.lambdaUrl, functionName: 'switchyard-dev-ops' }),
    );
  }, 180_000);

  afterAll(async () => {
    await stack?.stop();
    await route53?.close();
    await sqs?.close();
  });

  it('shows a shift that has not started, as text and as JSON', async () => {
    const text = await cli('status');
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/www \(www\.example\.test\.\) not-started\s+\[\.{20}\] 0% on Kubernetes/);
    const json = await cli('shifts', 'status', '--json');
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toMatchObject({
      ok: true,
      result: [{ name: 'www', weights: { legacy: 100, kubernetes: 0 } }],
    });
  });

  it('prints the exact change batch on --dry-run and changes nothing', async () => {
    const before = route53.control.changeCount(zoneId);
    const run = await cli('shift', 'start', 'www', '--dry-run', '--json');
    expect(run.code).toBe(0);
    const res = JSON.parse(run.stdout) as {
      dryRun: boolean;
      result: { batch: { Changes: Array<{ Action: string }> } };
    };
    expect(res.dryRun).toBe(true);
    expect(res.result.batch.Changes.length).toBeGreaterThan(0);
    expect(route53.control.changeCount(zoneId)).toBe(before);
  });

  it('starts the shift for real, and refuses to start it twice with exit code 2', async () => {
    const start = await cli('shifts', 'start', 'www');
    expect(start.code).toBe(0);
    expect(
      route53.control.records(zoneId).some((r) => r.name === '_switchyard.www.example.test.' && r.type === 'TXT'),
    ).toBe(true);
    const again = await cli('shifts', 'start', 'www');
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/already/);
  });

  it('answers an unknown shift with exit code 4 and bad usage with 2', async () => {
    const missing = await cli('shifts', 'pause', 'nope');
    expect(missing.code).toBe(4);
    expect(missing.stderr).toMatch(/no shift named "nope"/);
    const usage = await cli('shifts', 'pause');
    expect(usage.code).toBe(2);
    expect(usage.stderr).toMatch(/usage: switchyard shifts pause <name>/);
  });

  it('lists the failed events and dry-runs their redrive, changing nothing', async () => {
    sqs.control.send(failedQueue, invocationRecord(workerPayload('d-cli-1')));
    const list = await cli('failed', 'list');
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(/1 waiting, 0 being handled/);
    expect(list.stdout).toMatch(/RetriesExhausted after 3 attempts {2}delivery d-cli-1: pull_request acme\/shop 42/);
    const dry = await cli('failed', 'redrive', '--dry-run', '--json');
    expect(dry.code).toBe(0);
    expect(JSON.parse(dry.stdout)).toMatchObject({
      ok: true,
      dryRun: true,
      result: { items: [{ outcome: 'would-redrive', summary: 'delivery d-cli-1: pull_request acme/shop 42' }] },
    });
    expect(sqs.control.bodies(failedQueue)).toHaveLength(1);
    const bad = await cli('failed', 'list', '--max', 'lots');
    expect(bad.code).toBe(2);
  });
});
