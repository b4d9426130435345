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

  it('reads HealthCheckStatus: the latest minute decides; only us-east-1 has it; nothing recent is INSUFFICIENT_DATA', async () => {
    const now = new Date('2026-11-23T10:00:00Z');
    const at = (minutesAgo: number) => new Date(now.getTime() - minutesAgo * 60_000);
    const reader = new CloudWatchGates({
      clock: { now: () => now, sleep: async () => {} },
      clientFor: (region) => new CloudWatchClient({ region: region ?? 'eu-west-1' }),
    });
    server.control.putHealthCheckStatus('went-down', [
      { at: at(3), value: 1 },
      { at: at(1), value: 0 },
    ]);
    server.control.putHealthCheckStatus('came-back', [
      { at: at(3), value: 0 },
      { at: at(1), value: 1 },
    ]);
    server.control.putHealthCheckStatus('stale', [{ at: at(20), value: 1 }]);
    server.control.put(
      'AWS/Route53',
      'HealthCheckStatus',
      { HealthCheckId: 'elsewhere' },
      [{ at: at(1), value: 1 }],
      'eu-west-1',
    );
    expect(await reader.healthCheckStatus('went-down')).toBe('UNHEALTHY');
    expect(await reader.healthCheckStatus('came-back')).toBe('HEALTHY');
    expect(await reader.healthCheckStatus('stale')).toBe('INSUFFICIENT_DATA');
    expect(await reader.healthCheckStatus('elsewhere')).toBe('INSUFFICIENT_DATA');
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
