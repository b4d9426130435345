import { createPreviewCluster } from '../../shared/adapters/k8s/preview-cluster.ts';
import { createTemplateFolderSource } from '../../shared/adapters/k8s/preview-template-files.ts';
import { Route53Dns } from '../../shared/adapters/route53/route53-dns.ts';
import { allPreviewApps, type PreviewDeps } from '../../shared/app/previews/preview-deps.ts';
import { ValidationError } from '../../shared/errors.ts';
import type { PreviewClusterPort } from '../../shared/ports/preview-cluster.ts';
import { lazyPort, part } from './container.ts';
import { github } from './github.ts';
import { kubeConfigs } from './kube.ts';

/** The preview use cases' ports: a preview port per cluster an app previews on, GitHub, templates, DNS. */
export const previews = part<PreviewDeps>('previews', async (c) => {
  const apps = allPreviewApps(c.config);
  const kubeConfig = await c.get(kubeConfigs);
  const clusters = new Map<string, PreviewClusterPort>();
  for (const name of new Set(apps.map((a) => a.cluster))) {
    clusters.set(name, createPreviewCluster(await kubeConfig(name)));
  }
  return {
    config: c.config,
    scm: lazyPort(c, github),
    cluster(name) {
      const port = clusters.get(name);
      if (!port) throw new ValidationError(`cluster "${name}" has no preview apps configured`);
      return port;
    },
    templates: createTemplateFolderSource(c.baseDir),
    dns: apps.some((a) => a.preview.dns) ? new Route53Dns() : undefined,
    clock: c.clock,
    logger: c.logger,
  };
});
