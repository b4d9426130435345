import { createGitHubScm } from '../../shared/adapters/github/github-scm.ts';
import { loadKubeConfig } from '../../shared/adapters/k8s/kube-client.ts';
import { createPreviewCluster } from '../../shared/adapters/k8s/preview-cluster.ts';
import { createTemplateFolderSource } from '../../shared/adapters/k8s/preview-template-files.ts';
import { Route53Dns } from '../../shared/adapters/route53/route53-dns.ts';
import { allPreviewApps, type PreviewDeps } from '../../shared/app/previews/preview-deps.ts';
import { loadConfig } from '../../shared/config/load-config.ts';
import { ValidationError } from '../../shared/errors.ts';
import { systemClock } from '../../shared/ports/clock.ts';
import type { LoggerPort } from '../../shared/ports/logger.ts';
import type { PreviewClusterPort } from '../../shared/ports/preview-cluster.ts';
import type { ScmPort } from '../../shared/ports/scm.ts';
import { githubOptions } from './github-options.ts';

/**
 * The GitHub ScmPort from the environment: `GITHUB_TOKEN`, or `GITHUB_APP_ID` + `GITHUB_APP_PRIVATE_KEY`
 * (each also as `<NAME>_SSM`), and `GITHUB_API_URL` for GitHub Enterprise or the local stand-in.
 * (Added by the preview engineer as a separate file; the lead may move it.)
 */
export async function buildScm(env: NodeJS.ProcessEnv, logger: LoggerPort): Promise<ScmPort> {
  return createGitHubScm(await githubOptions(env, logger));
}

/** PreviewDeps with production adapters, built once per cold start. */
export async function buildPreviewDeps(
  env: NodeJS.ProcessEnv,
  logger: LoggerPort,
  scm?: ScmPort,
): Promise<PreviewDeps> {
  const { config, baseDir } = loadConfig(env);
  const apps = allPreviewApps(config);
  const clusters = new Map<string, PreviewClusterPort>();
  for (const name of new Set(apps.map((a) => a.cluster))) {
    const cluster = config.clusters.find((c) => c.name === name);
    if (!cluster) throw new ValidationError(`no cluster named "${name}" in the config`);
    clusters.set(name, createPreviewCluster(await loadKubeConfig(cluster, { kubeconfigEnv: env['KUBECONFIG'] })));
  }
  return {
    config,
    scm: scm ?? (await buildScm(env, logger)),
    cluster(name) {
      const port = clusters.get(name);
      if (!port) throw new ValidationError(`cluster "${name}" has no preview apps configured`);
      return port;
    },
    templates: createTemplateFolderSource(baseDir),
    dns: apps.some((a) => a.preview.dns) ? new Route53Dns() : undefined,
    clock: systemClock,
    logger,
  };
}
