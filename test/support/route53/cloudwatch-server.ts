import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A minimal CloudWatch stand-in for the two calls traffic shifting makes: GetMetricData and
 * DescribeAlarms. @aws-sdk/client-cloudwatch 3.1164 speaks the JSON 1.0 protocol
 * (`X-Amz-Target: GraniteServiceVersion20100801.<Operation>`, query-compatible errors), timestamps as
 * epoch seconds. Like ELB, a metric has no datapoint for a period without requests. Statistics are
 * computed per period (Sum, Minimum, Maximum, Average, SampleCount) and ordered by `ScanBy` (default
 * TimestampDescending), as the GetMetricData reference describes. A metric lives in one region: the
 * region is read from the request's SigV4 credential scope, and Route 53's health-check metrics are
 * published in us-east-1 only, so a query from any other region finds nothing there, as in AWS.
 */

export interface Datapoint {
  at: Date;
  value: number;
}

export interface CloudWatchControl {
  /** Datapoints of a metric; `region` defaults to any region (the series answers every caller). */
  put(
    namespace: string,
    metricName: string,
    dimensions: Record<string, string>,
    points: Datapoint[],
    region?: string,
  ): void;
  /** Route 53's `AWS/Route53` `HealthCheckStatus` (1 healthy, 0 unhealthy), published in us-east-1. */
  putHealthCheckStatus(healthCheckId: string, points: Datapoint[]): void;
  setAlarm(name: string, state: 'OK' | 'ALARM' | 'INSUFFICIENT_DATA'): void;
  calls(): string[];
}

export interface CloudWatchServer {
  url: string;
  control: CloudWatchControl;
  close(): Promise<void>;
}

interface JsonMetricQuery {
  Id: string;
  MetricStat?: {
    Metric: { Namespace: string; MetricName: string; Dimensions?: { Name: string; Value: string }[] };
    Period: number;
    Stat: string;
  };
  ReturnData?: boolean;
}

function seriesKey(namespace: string, metricName: string, dimensions: Record<string, string>): string {
  const dims = Object.entries(dimensions)
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
  return `${namespace}|${metricName}|${dims}`;
}

function statistic(stat: string, values: number[]): number {
  switch (stat) {
    case 'Minimum':
      return Math.min(...values);
    case 'Maximum':
      return Math.max(...values);
    case 'Average':
      return values.reduce((a, b) => a + b, 0) / values.length;
    case 'SampleCount':
      return values.length;
    case 'Sum':
      return values.reduce((a, b) => a + b, 0);
    default:
      throw new Error(`The statistic ${stat} is not supported by this stand-in`);
  }
}

export async function startCloudWatchServer(): Promise<CloudWatchServer> {
  const series = new Map<string, Datapoint[]>();
  const alarms = new Map<string, string>();
  const calls: string[] = [];

  const control: CloudWatchControl = {
    put: (namespace, metricName, dimensions, points, region) => {
      const key = `${region ?? '*'}|${seriesKey(namespace, metricName, dimensions)}`;
      series.set(key, [...(series.get(key) ?? []), ...points]);
    },
    putHealthCheckStatus: (healthCheckId, points) =>
      control.put('AWS/Route53', 'HealthCheckStatus', { HealthCheckId: healthCheckId }, points, 'us-east-1'),
    setAlarm: (name, state) => {
      alarms.set(name, state);
    },
    calls: () => [...calls],
  };

  function getMetricData(
    input: { MetricDataQueries: JsonMetricQuery[]; StartTime: number; EndTime: number; ScanBy?: string },
    region: string,
  ) {
    const start = input.StartTime * 1000;
    const end = input.EndTime * 1000;
    return {
      MetricDataResults: input.MetricDataQueries.filter((q) => q.ReturnData !== false).map((q) => {
        const stat = q.MetricStat!;
        const dims = Object.fromEntries((stat.Metric.Dimensions ?? []).map((d) => [d.Name, d.Value]));
        const key = seriesKey(stat.Metric.Namespace, stat.Metric.MetricName, dims);
        const points = [...(series.get(`*|${key}`) ?? []), ...(series.get(`${region}|${key}`) ?? [])];
        const buckets = new Map<number, number[]>();
        for (const p of points) {
          const t = p.at.getTime();
          if (t < start || t >= end) continue;
          const bucket = start + Math.floor((t - start) / (stat.Period * 1000)) * stat.Period * 1000;
          buckets.set(bucket, [...(buckets.get(bucket) ?? []), p.value]);
        }
        const ascending = input.ScanBy === 'TimestampAscending';
        const times = [...buckets.keys()].sort((a, b) => (ascending ? a - b : b - a));
        return {
          Id: q.Id,
          Label: stat.Metric.MetricName,
          Timestamps: times.map((t) => t / 1000),
          Values: times.map((t) => statistic(stat.Stat, buckets.get(t)!)),
          StatusCode: 'Complete',
        };
      }),
      Messages: [],
    };
  }

  function describeAlarms(input: { AlarmNames?: string[] }) {
    const names = input.AlarmNames ?? [...alarms.keys()];
    return {
      MetricAlarms: names
        .filter((n) => alarms.has(n))
        .map((n) => ({ AlarmName: n, StateValue: alarms.get(n), StateReason: 'set by the test' })),
      CompositeAlarms: [],
    };
  }

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const target = String(req.headers['x-amz-target'] ?? '');
      const op = target.replace(/^GraniteServiceVersion20100801\./, '');
      calls.push(op);
      const reply = (status: number, body: unknown, headers: Record<string, string> = {}) => {
        res.writeHead(status, { 'content-type': 'application/x-amz-json-1.0', ...headers });
        res.end(JSON.stringify(body));
      };
      try {
        const input = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
        const region = /Credential=[^/]+\/\d{8}\/([^/]+)\//.exec(String(req.headers.authorization ?? ''))?.[1] ?? '';
        if (op === 'GetMetricData') return reply(200, getMetricData(input, region));
        if (op === 'DescribeAlarms') return reply(200, describeAlarms(input));
        return reply(
          400,
          { __type: 'InvalidAction', message: `unsupported ${op}` },
          { 'x-amzn-query-error': 'InvalidAction;Sender' },
        );
      } catch (error) {
        return reply(400, { __type: 'InvalidParameterValue', message: String(error) });
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    control,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((e) => (e ? reject(e) : resolve()));
      }),
  };
}
