import { releaseClusters } from '../shared/adapters/k8s/release-clusters.ts';
import { createLogger } from '../shared/adapters/log/powertools-logger.ts';
import { resolveWebhookUrl } from '../shared/adapters/notify/resolve-webhook-url.ts';
import { createWebhookNotifier } from '../shared/adapters/notify/webhook-notifier.ts';
import { checkHealth, type HealthDeps, type HealthResult } from '../shared/app/releases/index.ts';
import { loadConfig } from '../shared/config/load-config.ts';
import { systemClock } from '../shared/ports/clock.ts';

/** The scheduled event; `dryRun: true` (events/ or `serverless invoke`) checks without writing or alerting. */
export interface HealthCheckEvent {
  dryRun?: boolean;
}

/** `healthCheck` (schedule): fleet health, alerts on transitions. */
export function createHandler(deps: HealthDeps) {
  return (event: HealthCheckEvent | null | undefined): Promise<HealthResult> =>
    checkHealth(deps, { dryRun: event?.dryRun === true });
}

async function defaultDeps(env = process.env): Promise<HealthDeps> {
  const { config } = loadConfig(env);
  const clusters = releaseClusters(config.clusters, { kubeconfigEnv: env['KUBECONFIG'] });
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
    logger: createLogger('healthCheck'),
  };
}

let cold: ReturnType<typeof createHandler> | undefined;
export const handler = async (event: HealthCheckEvent | null | undefined): Promise<HealthResult> => {
  cold ??= createHandler(await defaultDeps());
  return cold(event);
};
