import { CloudWatchClient, DescribeAlarmsCommand, GetMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { CloudWatchGates } from '../../../shared/adapters/cloudwatch/cloudwatch-gates.ts';
import { NotFoundError, TransientError } from '../../../shared/errors.ts';

const mock = mockClient(CloudWatchClient);
let gates: CloudWatchGates;
beforeEach(() => {
  mock.reset();
  gates = new CloudWatchGates({ clientFor: () => new CloudWatchClient({ region: 'eu-west-1' }) });
});

const window = {
  namespace: 'AWS/ApplicationELB',
  metricName: 'RequestCount',
  dimensions: { LoadBalancer: 'app/legacy/1' },
  start: new Date('2026-11-23T08:00:00Z'),
  end: new Date('2026-11-23T08:15:00Z'),
  periodSeconds: 60,
};

describe('CloudWatch gates', () => {
  it('sums RequestCount across pages; no datapoints means zero requests', async () => {
    mock
      .on(GetMetricDataCommand)
      .resolvesOnce({ MetricDataResults: [{ Id: 'requests', Values: [3, 4] }], NextToken: 't' })
      .resolvesOnce({ MetricDataResults: [{ Id: 'requests', Values: [5] }] });
    expect(await gates.sum(window)).toBe(12);
    const first = mock.commandCalls(GetMetricDataCommand)[0]!.args[0].input;
    expect(first.MetricDataQueries?.[0]?.MetricStat).toMatchObject({
      Stat: 'Sum',
      Period: 60,
      Metric: {
        Namespace: 'AWS/ApplicationELB',
        MetricName: 'RequestCount',
        Dimensions: [{ Name: 'LoadBalancer', Value: 'app/legacy/1' }],
      },
    });
    mock.on(GetMetricDataCommand).resolves({ MetricDataResults: [{ Id: 'requests', Values: [] }] });
    expect(await gates.sum(window)).toBe(0);
  });

  it('reads an alarm state; a missing alarm is NotFound, an SDK failure Transient', async () => {
    mock
      .on(DescribeAlarmsCommand)
      .resolvesOnce({ MetricAlarms: [{ AlarmName: 'errors', StateValue: 'ALARM' }] })
      .resolvesOnce({ MetricAlarms: [], CompositeAlarms: [] })
      .rejectsOnce(new Error('socket hang up'));
    expect(await gates.alarmState('errors')).toBe('ALARM');
    await expect(gates.alarmState('nope')).rejects.toBeInstanceOf(NotFoundError);
    await expect(gates.alarmState('errors')).rejects.toBeInstanceOf(TransientError);
  });
});
