import { CloudWatchGates } from '../../shared/adapters/cloudwatch/cloudwatch-gates.ts';
import { createDeploymentAvailability } from '../../shared/adapters/k8s/deployment-availability.ts';
import { Route53Dns } from '../../shared/adapters/route53/route53-dns.ts';
import type { TrafficDeps } from '../../shared/app/traffic/traffic-deps.ts';
import { ValidationError } from '../../shared/errors.ts';
import type { Container } from './container.ts';
import { kubeConfigs } from './kube.ts';

/**
 * The traffic use cases' ports. Built synchronously (the clients connect on first call); the
 * Kubernetes Deployment gate reads its KubeConfig from the container's one cache, so a gate check
 * costs no DescribeCluster after the first.
 */
export function trafficDeps(c: Container): TrafficDeps {
  const route53 = new Route53Dns();
  const cloudwatch = new CloudWatchGates();
  return {
    dns: route53,
    // The CloudWatch metric AWS/Route53 HealthCheckStatus by default; GetHealthCheckStatus where a gate
    // says `source: route53` (docs/traffic-shifting.md).
    health: cloudwatch,
    healthApi: route53,
    alarms: cloudwatch,
    requests: cloudwatch,
    deployments: createDeploymentAvailability(async (name) => {
      const kubeConfig = await c.get(kubeConfigs);
      return kubeConfig(gateCluster(c, name));
    }),
    clock: c.clock,
    logger: c.logger,
  };
}

/** A Deployment gate's cluster: the shift's `cluster`, or the only configured one; never a guess. */
function gateCluster(c: Container, name: string | undefined): string {
  if (name) return name;
  const [only, ...more] = c.config.clusters;
  if (only && more.length === 0) return only.name;
  throw new ValidationError('a shift with a Deployment gate must name its cluster (shifts[].cluster)');
}
