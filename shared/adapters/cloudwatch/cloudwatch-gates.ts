import {
  CloudWatchClient,
  DescribeAlarmsCommand,
  type DescribeAlarmsCommandOutput,
  GetMetricDataCommand,
  type GetMetricDataCommandOutput,
} from '@aws-sdk/client-cloudwatch';
import { NotFoundError, TransientError } from '../../errors.ts';
import { type Clock, systemClock } from '../../ports/clock.ts';
import type {
  AlarmState,
  AlarmStatePort,
  HealthCheckReading,
  HealthCheckStatusPort,
  RequestCountPort,
  RequestCountQuery,
} from '../../ports/traffic-gates.ts';

export interface CloudWatchGatesOptions {
  /** Builds the client of a region (tests inject one with an endpoint); default: SDK defaults + region. */
  clientFor?: (region: string | undefined) => CloudWatchClient;
  clock?: Clock;
}

/**
 * Route 53 publishes its health-check metrics in US East (N. Virginia) only, one datapoint a minute:
 * `AWS/Route53` `HealthCheckStatus` with the dimension `HealthCheckId`, 1 healthy and 0 unhealthy
 * (Route 53 developer guide, "Monitoring health checks using CloudWatch"). A window of a few minutes
 * absorbs CloudWatch's ingestion delay; older than that is no longer a reading of now.
 */
export const ROUTE53_METRICS_REGION = 'us-east-1';
const HEALTH_WINDOW_MINUTES = 5;

/**
 * Alarm state and Route 53 health-check status (shift gates), and the legacy load balancer's request
 * count (the finish check).
 */
export class CloudWatchGates implements AlarmStatePort, HealthCheckStatusPort, RequestCountPort {
  private readonly clients = new Map<string, CloudWatchClient>();
  private readonly clientFor: (region: string | undefined) => CloudWatchClient;
  private readonly clock: Clock;

  constructor(options: CloudWatchGatesOptions = {}) {
    this.clientFor = options.clientFor ?? ((region) => new CloudWatchClient(region !== undefined ? { region } : {}));
    this.clock = options.clock ?? systemClock;
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
   * The health check's latest one-minute `Minimum` of HealthCheckStatus (the signal AWS recommends for
   * production, and the only one that covers calculated health checks); no datapoint in the window is
   * INSUFFICIENT_DATA, which the gate's `insufficientData` setting decides about.
   */
  async healthCheckStatus(healthCheckId: string): Promise<HealthCheckReading> {
    const end = this.clock.now();
    const start = new Date(end.getTime() - HEALTH_WINDOW_MINUTES * 60_000);
    let out: GetMetricDataCommandOutput;
    try {
      out = await this.client(ROUTE53_METRICS_REGION).send(
        new GetMetricDataCommand({
          StartTime: start,
          EndTime: end,
          ScanBy: 'TimestampDescending',
          MetricDataQueries: [
            {
              Id: 'health',
              MetricStat: {
                Metric: {
                  Namespace: 'AWS/Route53',
                  MetricName: 'HealthCheckStatus',
                  Dimensions: [{ Name: 'HealthCheckId', Value: healthCheckId }],
                },
                Period: 60,
                Stat: 'Minimum',
              },
              ReturnData: true,
            },
          ],
        }),
      );
    } catch (error) {
      throw new TransientError(`CloudWatch HealthCheckStatus ${healthCheckId}: ${(error as Error).message}`, {
        cause: error,
      });
    }
    const series = out.MetricDataResults?.[0];
    const latest = series?.Timestamps?.map((t, i) => ({ t: new Date(t).getTime(), v: series.Values?.[i] }))
      .filter((p): p is { t: number; v: number } => p.v !== undefined)
      .sort((a, b) => b.t - a.t)[0];
    if (!latest) return 'INSUFFICIENT_DATA';
    return latest.v >= 1 ? 'HEALTHY' : 'UNHEALTHY';
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
