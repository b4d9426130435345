import { createGitHubScm } from '../../shared/adapters/github/github-scm.ts';
import { loadKubeConfig } from '../../shared/adapters/k8s/kube-client.ts';
import { createPreviewCluster } from '../../shared/adapters/k8s/preview-cluster.ts';
import { createTemplateFolderSource } from '../../shared/adapters/k8s/preview-template-files.ts';
import { Route53Dns } from '../../shared/adapters/route53/route53-dns.ts';
import { resolveSecret } from '../../shared/adapters/ssm/ssm-secrets.ts';
import { allPreviewApps, type PreviewDeps } from '../../shared/app/previews/preview-deps.ts';
import { loadConfig } from '../../shared/config/load-config.ts';
import { ValidationError } from '../../shared/errors.ts';
import { systemClock } from '../../shared/ports/clock.ts';
import type { LoggerPort } from '../../shared/ports/logger.ts';
import type { PreviewClusterPort } from '../../shared/ports/preview-cluster.ts';
import type { ScmPort } from '../../shared/ports/scm.ts';

/**
 * The GitHub ScmPort from the environment: `GITHUB_TOKEN`, or `GITHUB_APP_ID` + `GITHUB_APP_PRIVATE_KEY`
 * (each also as `<NAME>_SSM`), and `GITHUB_API_URL` for GitHub Enterprise or the local stand-in.
 * (Added by the preview engineer as a separate file; the lead may move it.)
 */
export async function buildScm(env: NodeJS.ProcessEnv, logger: LoggerPort): Promise<ScmPort> {
  const baseUrl = env['GITHUB_API_URL'] || undefined;
  const appId = await resolveSecret(env, 'GITHUB_APP_ID');
  // SWITCHYARD_GITHUB_THROTTLE=off: no client-side write pacing (the local stand-in has no limits to respect).
  const throttle = env['SWITCHYARD_GITHUB_THROTTLE'] !== 'off';
  const common = { logger, throttle, ...(baseUrl ? { baseUrl } : {}) };
  if (appId) {
    const privateKey = await resolveSecret(env, 'GITHUB_APP_PRIVATE_KEY');
    if (!privateKey) throw new ValidationError('GITHUB_APP_ID is set but GITHUB_APP_PRIVATE_KEY is not');
    return createGitHubScm({ ...common, auth: { kind: 'app', appId, privateKey: privateKey.replace(/\\n/g, '\n') } });
  }
  const token = await resolveSecret(env, 'GITHUB_TOKEN');
  if (!token) throw new ValidationError('set GITHUB_TOKEN, or GITHUB_APP_ID and GITHUB_APP_PRIVATE_KEY');
  return createGitHubScm({ ...common, auth: { kind: 'token', token } });
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
