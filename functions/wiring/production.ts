import { CloudWatchGates } from '../../shared/adapters/cloudwatch/cloudwatch-gates.ts';
import { createDeploymentAvailability } from '../../shared/adapters/k8s/deployment-availability.ts';
import { loadKubeConfig } from '../../shared/adapters/k8s/kube-client.ts';
import { releaseClusters } from '../../shared/adapters/k8s/release-clusters.ts';
import { resolveWebhookUrl } from '../../shared/adapters/notify/resolve-webhook-url.ts';
import { createWebhookNotifier } from '../../shared/adapters/notify/webhook-notifier.ts';
import { Route53Dns } from '../../shared/adapters/route53/route53-dns.ts';
import type { DeliveryDeps } from '../../shared/app/delivery/read-delivery.ts';
import type { PreviewDeps } from '../../shared/app/previews/index.ts';
import type { HealthDeps, ReleaseDeps } from '../../shared/app/releases/index.ts';
import type { TrafficDeps } from '../../shared/app/traffic/traffic-deps.ts';
import { type LoadedConfig, loadConfig } from '../../shared/config/load-config.ts';
import { ValidationError } from '../../shared/errors.ts';
import { systemClock } from '../../shared/ports/clock.ts';
import type { LoggerPort } from '../../shared/ports/logger.ts';
import { buildDeliveryDeps } from './delivery-deps.ts';
import { buildPreviewDeps } from './preview-deps.ts';

/**
 * The use cases' dependencies with production adapters, each built on first use and kept for the
 * life of the Lambda container (one KubeConfig per cluster, one Octokit, one Route 53 client).
 */
export interface Production {
  loaded: LoadedConfig;
  previews(): Promise<PreviewDeps>;
  releases(): Promise<ReleaseDeps>;
  traffic(): TrafficDeps;
  health(): Promise<HealthDeps>;
  delivery(): Promise<DeliveryDeps>;
}

export function production(env: NodeJS.ProcessEnv, logger: LoggerPort): Production {
  const loaded = loadConfig(env);
  const { config } = loaded;
  const kubeOptions = { kubeconfigEnv: env['KUBECONFIG'] };
  const clusters = releaseClusters(config.clusters, kubeOptions);
  const once = <T>(make: () => T): (() => T) => {
    let value: T | undefined;
    return () => {
      value ??= make();
      return value;
    };
  };
  const previews = once(() => buildPreviewDeps(env, logger));
  const route53 = once(() => new Route53Dns());
  const cloudwatch = once(() => new CloudWatchGates());
  return {
    loaded,
    previews,
    delivery: () => buildDeliveryDeps(env, logger, config.apps, clusters.release),
    releases: once(async () => ({
      apps: config.apps,
      cluster: clusters.release,
      scm: (await previews()).scm,
      clock: systemClock,
      logger,
    })),
    traffic: once(() => ({
      dns: route53(),
      health: route53(),
      alarms: cloudwatch(),
      requests: cloudwatch(),
      deployments: createDeploymentAvailability(async (name) => {
        const cluster = name ? config.clusters.find((c) => c.name === name) : config.clusters[0];
        if (!cluster) throw new ValidationError(`no cluster named "${name}" in the config`);
        return loadKubeConfig(cluster, kubeOptions);
      }),
      clock: systemClock,
      logger,
    })),
    health: once(async () => {
      const targets = await Promise.all(
        config.notifications
          .filter((n) => config.healthCheck.notify.includes(n.name))
          .map(async (n) => ({ name: n.name, type: n.type, url: await resolveWebhookUrl(n.name, n.url, env) })),
      );
      return {
        clusters: await Promise.all(
          config.clusters.map(async (c) => ({ name: c.name, port: await clusters.health(c.name) })),
        ),
        selector: config.healthCheck.selector,
        minReadyEndpoints: config.healthCheck.minReadyEndpoints,
        ...(config.healthCheck.proxyDeployment ? { proxyDeployment: config.healthCheck.proxyDeployment } : {}),
        notifier: createWebhookNotifier(targets),
        clock: systemClock,
        logger,
      };
    }),
  };
}
