import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CloudWatchGates } from '../../../shared/adapters/cloudwatch/cloudwatch-gates.ts';
import { type CloudWatchServer, startCloudWatchServer } from '../../support/route53/cloudwatch-server.ts';

let server: CloudWatchServer;
let gates: CloudWatchGates;

beforeAll(async () => {
  server = await startCloudWatchServer();
  // The SDK's own variable, as in production: no endpoint in code.
  process.env['AWS_ENDPOINT_URL_CLOUDWATCH'] = server.url;
  process.env['AWS_ACCESS_KEY_ID'] ??= 'AKIDTEST';
  process.env['AWS_SECRET_ACCESS_KEY'] ??= 'secret';
  gates = new CloudWatchGates({ clientFor: (region) => new CloudWatchClient({ region: region ?? 'us-east-1' }) });
});
afterAll(async () => {
  await server.close();
});

describe('CloudWatch gates through the real SDK (JSON 1.0 protocol)', () => {
  it('sums RequestCount in the window; periods without datapoints count as zero', async () => {
    const dims = { LoadBalancer: 'app/legacy/abc' };
    server.control.put('AWS/ApplicationELB', 'RequestCount', dims, [
      { at: new Date('2026-11-23T08:01:00Z'), value: 5 },
      { at: new Date('2026-11-23T08:07:30Z'), value: 2 },
      { at: new Date('2026-11-23T09:00:00Z'), value: 100 },
    ]);
    const q = {
      namespace: 'AWS/ApplicationELB',
      metricName: 'RequestCount',
      dimensions: dims,
      periodSeconds: 60,
    };
    expect(
      await gates.sum({ ...q, start: new Date('2026-11-23T08:00:00Z'), end: new Date('2026-11-23T08:15:00Z') }),
    ).toBe(7);
    expect(
      await gates.sum({ ...q, start: new Date('2026-11-23T08:20:00Z'), end: new Date('2026-11-23T08:35:00Z') }),
    ).toBe(0);
  });

  it('reads alarm states', async () => {
    server.control.setAlarm('k8s-5xx', 'ALARM');
    server.control.setAlarm('k8s-latency', 'OK');
    expect(await gates.alarmState('k8s-5xx')).toBe('ALARM');
    expect(await gates.alarmState('k8s-latency', 'eu-west-1')).toBe('OK');
    await expect(gates.alarmState('missing')).rejects.toThrow(/no CloudWatch alarm named "missing"/);
    expect(server.control.calls()).toContain('DescribeAlarms');
  });
});
