import { createHealthCluster } from '../../shared/adapters/k8s/health-cluster.ts';
import { resolveWebhookUrl } from '../../shared/adapters/notify/resolve-webhook-url.ts';
import { createWebhookNotifier } from '../../shared/adapters/notify/webhook-notifier.ts';
import type { HealthDeps } from '../../shared/app/releases/index.ts';
import type { NotifierPort } from '../../shared/ports/notifier.ts';
import { lazyPort, part } from './container.ts';
import { kubeConfigs } from './kube.ts';

/** The alert targets `healthCheck.notify` names, their URLs read (from the environment or SSM) once. */
export const notifier = part<NotifierPort>('notifier', async ({ config, env }) => {
  const targets = await Promise.all(
    config.notifications
      .filter((n) => config.healthCheck.notify.includes(n.name))
      .map(async (n) => ({ name: n.name, type: n.type, url: await resolveWebhookUrl(n.name, n.url, env) })),
  );
  return createWebhookNotifier(targets);
});

/**
 * The fleet health check's ports: every configured cluster and the notifier, whose URLs are read on
 * the first alert (a dry run, as the status page does, never reads them).
 */
export const health = part<HealthDeps>('health', async (c) => {
  const kubeConfig = await c.get(kubeConfigs);
  const { healthCheck } = c.config;
  return {
    clusters: await Promise.all(
      c.config.clusters.map(async (cl) => ({ name: cl.name, port: createHealthCluster(await kubeConfig(cl.name)) })),
    ),
    selector: healthCheck.selector,
    minReadyEndpoints: healthCheck.minReadyEndpoints,
    ...(healthCheck.proxyDeployment ? { proxyDeployment: healthCheck.proxyDeployment } : {}),
    notifier: lazyPort(c, notifier),
    clock: c.clock,
    logger: c.logger,
  };
});
