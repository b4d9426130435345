import { commentMarker } from '../../domain/naming.ts';
import type { PreviewRecord } from '../../domain/preview/preview-record.ts';
import { renderComment } from '../../domain/preview/preview-report.ts';
import type { PreviewClusterPort } from '../../ports/preview-cluster.ts';
import type { PreviewApp, PreviewDeps } from './preview-deps.ts';
import { releasePreviewHost } from './preview-dns.ts';

export interface TeardownOutcome {
  namespace: 'deleting' | 'absent';
  dnsDeleted: boolean;
  /** Why the host's DNS record was left untouched (it is not this preview's), when it was. */
  dnsNotOwned?: string;
  deploymentInactive: boolean;
  commented: boolean;
}

/**
 * Removes a preview: the namespace (and with it every object), its DNS record, then tells GitHub (the
 * deployment goes inactive, the comment says why). A namespace already terminating was torn down by an
 * earlier run, so GitHub is not told twice.
 */
export async function teardownPreview(
  deps: PreviewDeps,
  app: PreviewApp | undefined,
  cluster: PreviewClusterPort,
  record: PreviewRecord,
  reason: string,
  time: string,
): Promise<TeardownOutcome> {
  if (record.deleting) return { namespace: 'deleting', dnsDeleted: false, deploymentInactive: false, commented: false };
  const namespace = await cluster.deleteNamespace(record.namespace);
  const dns = await releasePreviewHost(deps, app, record);
  const dnsDeleted = dns.deleted;
  let deploymentInactive = false;
  if (record.deploymentId !== null && record.repo) {
    await deps.scm.setDeploymentStatus({
      repo: record.repo,
      deploymentId: record.deploymentId,
      state: 'inactive',
      description: `Preview removed: ${reason}`,
    });
    deploymentInactive = true;
  }
  let commented = false;
  if (record.repo) {
    await deps.scm.upsertComment(
      record.repo,
      record.pr,
      commentMarker(record.app),
      renderComment({
        app: record.app,
        state: 'removed',
        sha: record.deployedSha ?? record.headSha ?? '0000000',
        deployedSha: null,
        url: null,
        message: `The preview was removed: ${reason}.${dns.notOwned ? ` Its DNS record was left untouched: ${dns.notOwned}.` : ''}`,
        time,
      }),
    );
    commented = true;
  }
  deps.logger.info('preview removed', { app: record.app, pr: record.pr, namespace: record.namespace, reason });
  return {
    namespace,
    dnsDeleted,
    deploymentInactive,
    commented,
    ...(dns.notOwned ? { dnsNotOwned: dns.notOwned } : {}),
  };
}
