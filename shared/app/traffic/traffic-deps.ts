import type { Clock } from '../../ports/clock.ts';
import type { LoggerPort } from '../../ports/logger.ts';
import type { TrafficDnsPort } from '../../ports/traffic-dns.ts';
import type {
  AlarmStatePort,
  DeploymentAvailabilityPort,
  HealthCheckStatusPort,
  RequestCountPort,
} from '../../ports/traffic-gates.ts';

/** Everything the traffic use cases talk to; a missing gate port makes that gate "unknown" (nothing advances). */
export interface TrafficDeps {
  dns: TrafficDnsPort;
  /** Health-check gates with `source: cloudwatch` (the default): the AWS/Route53 HealthCheckStatus metric. */
  health?: HealthCheckStatusPort;
  /** Health-check gates with `source: route53`: GetHealthCheckStatus (local stand-ins, tests). */
  healthApi?: HealthCheckStatusPort;
  alarms?: AlarmStatePort;
  deployments?: DeploymentAvailabilityPort;
  requests?: RequestCountPort;
  clock: Clock;
  logger: LoggerPort;
  /** Shifts planned and applied at once (Route 53 allows 10 requests/s per account: keep it small). */
  concurrency?: number;
}
