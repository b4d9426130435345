/** The gates a traffic shift checks before (and while) moving weights, each a narrow port. */

export interface HealthCheckStatusPort {
  /** True when Route 53 considers the endpoint healthy (more than 18% of checkers report healthy). */
  isHealthy(healthCheckId: string): Promise<boolean>;
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
