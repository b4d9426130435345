import {
  CloudWatchClient,
  DescribeAlarmsCommand,
  type DescribeAlarmsCommandOutput,
  GetMetricDataCommand,
  type GetMetricDataCommandOutput,
} from '@aws-sdk/client-cloudwatch';
import { NotFoundError, TransientError } from '../../errors.ts';
import type { AlarmState, AlarmStatePort, RequestCountPort, RequestCountQuery } from '../../ports/traffic-gates.ts';

export interface CloudWatchGatesOptions {
  /** Builds the client of a region (tests inject one with an endpoint); default: SDK defaults + region. */
  clientFor?: (region: string | undefined) => CloudWatchClient;
}

/** Alarm state (a shift gate) and the legacy load balancer's request count (the finish check). */
export class CloudWatchGates implements AlarmStatePort, RequestCountPort {
  private readonly clients = new Map<string, CloudWatchClient>();
  private readonly clientFor: (region: string | undefined) => CloudWatchClient;

  constructor(options: CloudWatchGatesOptions = {}) {
    this.clientFor = options.clientFor ?? ((region) => new CloudWatchClient(region !== undefined ? { region } : {}));
  }

  private client(region: string | undefined): CloudWatchClient {
    const key = region ?? '';
    let c = this.clients.get(key);
    if (!c) {
      c = this.clientFor(region);
      this.clients.set(key, c);
    }
    return c;
  }

  async alarmState(alarmName: string, region?: string): Promise<AlarmState> {
    let out: DescribeAlarmsCommandOutput;
    try {
      out = await this.client(region).send(
        new DescribeAlarmsCommand({ AlarmNames: [alarmName], AlarmTypes: ['MetricAlarm', 'CompositeAlarm'] }),
      );
    } catch (error) {
      throw new TransientError(`CloudWatch DescribeAlarms ${alarmName}: ${(error as Error).message}`, { cause: error });
    }
    const alarm = out.MetricAlarms?.[0] ?? out.CompositeAlarms?.[0];
    if (!alarm) throw new NotFoundError(`no CloudWatch alarm named "${alarmName}"${region ? ` in ${region}` : ''}`);
    const state = alarm.StateValue;
    return state === 'ALARM' || state === 'OK' ? state : 'INSUFFICIENT_DATA';
  }

  /**
   * ELB publishes RequestCount only while requests flow ("If there are no requests ... the metric is not
   * reported"), so an empty result is zero requests, not missing knowledge.
   */
  async sum(query: RequestCountQuery): Promise<number> {
    let total = 0;
    let nextToken: string | undefined;
    do {
      let out: GetMetricDataCommandOutput;
      try {
        out = await this.client(query.region).send(
          new GetMetricDataCommand({
            StartTime: query.start,
            EndTime: query.end,
            MetricDataQueries: [
              {
                Id: 'requests',
                MetricStat: {
                  Metric: {
                    Namespace: query.namespace,
                    MetricName: query.metricName,
                    Dimensions: Object.entries(query.dimensions).map(([Name, Value]) => ({ Name, Value })),
                  },
                  Period: query.periodSeconds,
                  Stat: 'Sum',
                },
                ReturnData: true,
              },
            ],
            ...(nextToken !== undefined ? { NextToken: nextToken } : {}),
          }),
        );
      } catch (error) {
        throw new TransientError(`CloudWatch GetMetricData ${query.metricName}: ${(error as Error).message}`, {
          cause: error,
        });
      }
      for (const r of out.MetricDataResults ?? []) for (const v of r.Values ?? []) total += v;
      nextToken = out.NextToken;
    } while (nextToken);
    return total;
  }
}
