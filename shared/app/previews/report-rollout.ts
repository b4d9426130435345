import { commentMarker, Keys, PREVIEW_STATUS_CONTEXT, previewHost } from '../../domain/naming.ts';
import { type PreviewRecord, reportedAnnotations } from '../../domain/preview/preview-record.ts';
import { describe, previewUrl, renderComment } from '../../domain/preview/preview-report.ts';
import type { RolloutSummary } from '../../domain/preview/rollout-summary.ts';
import { ConflictError } from '../../errors.ts';
import type { PreviewClusterPort } from '../../ports/preview-cluster.ts';
import type { PreviewApp, PreviewDeps } from './preview-deps.ts';

export function hostOf(app: PreviewApp, record: PreviewRecord): string {
  return record.host ?? previewHost(app.preview.host, { app: app.name, pr: record.pr, branch: record.branch ?? '' });
}

/**
 * Posts the final outcome of a rollout (deployment status, commit status, comment). The `reported`
 * annotation is written first and conditionally, so the worker and rolloutWatcher never both report
 * the same rollout; if GitHub then fails, the annotation is cleared so the watcher tries again.
 * Returns false when someone else reported first (or a newer commit was claimed).
 */
export async function reportRollout(
  deps: PreviewDeps,
  app: PreviewApp,
  cluster: PreviewClusterPort,
  record: PreviewRecord,
  summary: RolloutSummary,
): Promise<boolean> {
  const sha = record.deployedSha;
  if (!sha || (summary.phase !== 'complete' && summary.phase !== 'failed')) return false;
  const outcome = summary.phase;
  let rv: string;
  try {
    rv = (
      await cluster.updateNamespace(record.namespace, record.resourceVersion, {
        annotations: reportedAnnotations(sha, outcome, summary.message),
      })
    ).resourceVersion;
  } catch (error) {
    if (error instanceof ConflictError) return false;
    throw error;
  }
  const url = previewUrl(hostOf(app, record));
  const ok = outcome === 'complete';
  try {
    if (record.deploymentId !== null) {
      await deps.scm.setDeploymentStatus({
        repo: record.repo,
        deploymentId: record.deploymentId,
        state: ok ? 'success' : 'failure',
        description: ok ? describe.ready(sha) : describe.failed(sha, summary.message),
        environmentUrl: url,
      });
    }
    await deps.scm.setCommitStatus({
      repo: record.repo,
      sha,
      context: PREVIEW_STATUS_CONTEXT,
      state: ok ? 'success' : 'failure',
      description: ok ? describe.ready(sha) : describe.failed(sha, summary.message),
      targetUrl: url,
    });
    await deps.scm.upsertComment(
      record.repo,
      record.pr,
      commentMarker(app.name),
      renderComment({
        app: app.name,
        state: ok ? 'ready' : 'failed',
        sha,
        deployedSha: sha,
        url,
        message: ok
          ? `The preview runs \`${sha.slice(0, 7)}\`: ${summary.message}.`
          : `Rollout failed: ${summary.message}`,
        time: deps.clock.now().toISOString(),
      }),
    );
  } catch (error) {
    // Give the report back to rolloutWatcher; if the namespace moved on meanwhile, the newer claim reports.
    await cluster
      .updateNamespace(record.namespace, rv, { annotations: { [Keys.reported]: null } })
      .catch(() => undefined);
    throw error;
  }
  deps.logger.info('preview rollout reported', {
    app: app.name,
    pr: record.pr,
    sha,
    outcome,
    message: summary.message,
  });
  return true;
}
