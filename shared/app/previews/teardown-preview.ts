import { commentMarker, previewEnvironment } from '../../domain/naming.ts';
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
 * Removes a preview: GitHub is told first (the deployments go inactive, the comment says why), then the
 * DNS record and the namespace (with every object in it) go. In that order the record on the namespace
 * outlives every write that needs it: if GitHub fails, the namespace is still there and the next run
 * tells it again. A namespace already terminating was torn down by an earlier run.
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
  // The DNS record first (its outcome goes into the comment), then GitHub, then the namespace.
  const dns = await releasePreviewHost(deps, app, record);
  let deploymentInactive = false;
  let commented = false;
  if (record.repo) {
    const deployments = new Set<number>();
    if (record.deploymentId !== null) deployments.add(record.deploymentId);
    // A claim that was never reported may have created a deployment that nothing recorded yet.
    if (record.headSha && record.headSha !== record.reportedSha) {
      const orphan = await deps.scm.findDeployment(
        record.repo,
        record.headSha,
        previewEnvironment(record.app, record.pr),
      );
      if (orphan !== null) deployments.add(orphan);
    }
    for (const deploymentId of deployments) {
      await deps.scm.setDeploymentStatus({
        repo: record.repo,
        deploymentId,
        state: 'inactive',
        description: `Preview removed: ${reason}`,
      });
      deploymentInactive = true;
    }
    await deps.scm.writeComment(
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
      record.commentId,
    );
    commented = true;
  }
  const namespace = await cluster.deleteNamespace(record.namespace);
  deps.logger.info('preview removed', { app: record.app, pr: record.pr, namespace: record.namespace, reason });
  return {
    namespace,
    dnsDeleted: dns.deleted,
    deploymentInactive,
    commented,
    ...(dns.notOwned ? { dnsNotOwned: dns.notOwned } : {}),
  };
}
