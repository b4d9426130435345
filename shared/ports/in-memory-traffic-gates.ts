import type { AlarmState, AlarmStatePort, HealthCheckReading, HealthCheckStatusPort } from './traffic-gates.ts';

/** Alarm states and health-check readings set by the test; an unknown name has no data. */
export class InMemoryTrafficGates implements AlarmStatePort, HealthCheckStatusPort {
  readonly alarms = new Map<string, AlarmState>();
  readonly healthChecks = new Map<string, HealthCheckReading>();
  readonly reads: string[] = [];

  async alarmState(alarmName: string): Promise<AlarmState> {
    this.reads.push(`alarm:${alarmName}`);
    return this.alarms.get(alarmName) ?? 'INSUFFICIENT_DATA';
  }

  async healthCheckStatus(healthCheckId: string): Promise<HealthCheckReading> {
    this.reads.push(`health:${healthCheckId}`);
    return this.healthChecks.get(healthCheckId) ?? 'INSUFFICIENT_DATA';
  }
}
