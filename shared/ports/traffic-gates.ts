/** The gates a traffic shift checks before (and while) moving weights, each a narrow port. */

/** Route 53's verdict on a health check, or `INSUFFICIENT_DATA` when there is nothing recent to read. */
export type HealthCheckReading = 'HEALTHY' | 'UNHEALTHY' | 'INSUFFICIENT_DATA';

export interface HealthCheckStatusPort {
  healthCheckStatus(healthCheckId: string): Promise<HealthCheckReading>;
}

export type AlarmState = 'OK' | 'ALARM' | 'INSUFFICIENT_DATA';

export interface AlarmStatePort {
  alarmState(alarmName: string, region?: string): Promise<AlarmState>;
}

export interface DeploymentAvailabilityPort {
  /** True when the Deployment exists and its Available condition is True. */
  isAvailable(namespace: string, name: string, cluster?: string): Promise<boolean>;
}

export interface RequestCountQuery {
  namespace: string;
  metricName: string;
  dimensions: Record<string, string>;
  region?: string;
  start: Date;
  end: Date;
  periodSeconds: number;
}

export interface RequestCountPort {
  /** Sum over the window; periods with no datapoint count as zero (ELB publishes nothing when idle). */
  sum(query: RequestCountQuery): Promise<number>;
}
