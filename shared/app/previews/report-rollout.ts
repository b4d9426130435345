import {
  commentMarker,
  PREVIEW_STATUS_CONTEXT,
  previewEnvironment,
  previewHost,
  shortSha,
} from '../../domain/naming.ts';
import {
  deployedAnnotations,
  type PreviewRecord,
  previewFromNamespace,
  reportedAnnotations,
  statusKey,
} from '../../domain/preview/preview-record.ts';
import { describe, previewUrl, renderComment } from '../../domain/preview/preview-report.ts';
import type { RolloutSummary } from '../../domain/preview/rollout-summary.ts';
import { ConflictError } from '../../errors.ts';
import type { PreviewClusterPort } from '../../ports/preview-cluster.ts';
import type { PreviewApp, PreviewDeps } from './preview-deps.ts';

export function hostOf(app: PreviewApp, record: PreviewRecord): string {
  return record.host ?? previewHost(app.preview.host, { app: app.name, pr: record.pr, branch: record.branch ?? '' });
}

const emptyNamespace = { name: '', labels: {}, annotations: {}, resourceVersion: '', createdAt: null, deleting: false };

export type ReportResult =
  | { kind: 'reported'; deploymentId: number | null }
  /** A newer commit claimed the namespace meanwhile; our deployment was marked inactive. */
  | { kind: 'superseded'; deploymentId: number | null }
  | { kind: 'not-finished' };

export interface ReportOptions {
  /** The commit the caller has just applied, when its `deployed` annotations are not written yet. */
  deployed?: { sha: string; objects: readonly string[]; at: Date };
  /** Look for an existing deployment of the commit before creating one (a retry may have made it). */
  findDeployment: boolean;
}

/**
 * Tells GitHub the outcome of a rollout, the commit status first (what reviewers and merge rules wait
 * on), then the deployment and its status, the previous deployment going inactive, and the comment.
 * Only then are the `deployed`/`reported` annotations written, conditionally on the version read: if
 * GitHub fails half-way nothing is recorded and the next run tells it again (a deployment of the same
 * commit is found, not created twice; the commit status is compared with the last one recorded).
 */
export async function reportRollout(
  deps: PreviewDeps,
  app: PreviewApp,
  cluster: PreviewClusterPort,
  record: PreviewRecord,
  summary: RolloutSummary,
  opts: ReportOptions,
): Promise<ReportResult> {
  const sha = opts.deployed?.sha ?? record.deployedSha;
  if (!sha || (summary.phase !== 'complete' && summary.phase !== 'failed')) return { kind: 'not-finished' };
  const ok = summary.phase === 'complete';
  const url = previewUrl(hostOf(app, record));
  const description = ok ? describe.ready(sha) : describe.failed(sha, summary.message);
  const state = ok ? 'success' : 'failure';

  const status = statusKey(sha, state);
  if (record.lastStatus !== status) {
    await deps.scm.postCommitStatus({
      repo: record.repo,
      sha,
      context: PREVIEW_STATUS_CONTEXT,
      state,
      description,
      targetUrl: url,
    });
  }

  const environment = previewEnvironment(app.name, record.pr);
  const found = opts.findDeployment ? await deps.scm.findDeployment(record.repo, sha, environment) : null;
  const deploymentId =
    found ??
    (await deps.scm.createDeployment({
      repo: record.repo,
      ref: sha,
      environment,
      description: `Preview of #${record.pr} at ${shortSha(sha)}`,
      transient: true,
      production: false,
      payload: { app: app.name, pr: record.pr, namespace: record.namespace },
    }));
  await deps.scm.setDeploymentStatus({
    repo: record.repo,
    deploymentId,
    state,
    description,
    environmentUrl: url,
  });
  // Transient environments are not made inactive by GitHub (auto_inactive covers non-transient ones).
  if (record.deploymentId !== null && record.deploymentId !== deploymentId) {
    await deps.scm.setDeploymentStatus({
      repo: record.repo,
      deploymentId: record.deploymentId,
      state: 'inactive',
      description: `Replaced by ${shortSha(sha)}`,
    });
  }
  const commentId = await deps.scm.writeComment(
    record.repo,
    record.pr,
    commentMarker(app.name),
    renderComment({
      app: app.name,
      state: ok ? 'ready' : 'failed',
      sha,
      deployedSha: sha,
      url,
      message: ok ? `The preview runs \`${shortSha(sha)}\`: ${summary.message}.` : `Rollout failed: ${summary.message}`,
      time: deps.clock.now().toISOString(),
    }),
    record.commentId,
  );

  try {
    await cluster.updateNamespace(record.namespace, record.resourceVersion, {
      annotations: {
        ...(opts.deployed ? deployedAnnotations(sha, opts.deployed.at, opts.deployed.objects) : {}),
        ...reportedAnnotations({
          sha,
          outcome: summary.phase,
          message: summary.message,
          deploymentId,
          commentId,
          status,
        }),
      },
    });
  } catch (error) {
    if (!(error instanceof ConflictError)) throw error;
    // Someone wrote the namespace meanwhile: a newer claim (which reports itself) or a concurrent run
    // that reported this commit. A deployment we created that the winner does not record must not
    // stay "active" on the PR.
    const now = previewFromNamespace((await cluster.getNamespace(record.namespace)) ?? emptyNamespace);
    if (found === null && now?.deploymentId !== deploymentId) {
      await deps.scm.setDeploymentStatus({
        repo: record.repo,
        deploymentId,
        state: 'inactive',
        description: `Superseded by a newer commit of #${record.pr}`,
        environmentUrl: url,
      });
    }
    return now?.headSha === sha ? { kind: 'reported', deploymentId } : { kind: 'superseded', deploymentId };
  }
  deps.logger.info('preview rollout reported', {
    app: app.name,
    pr: record.pr,
    sha,
    outcome: summary.phase,
    message: summary.message,
  });
  return { kind: 'reported', deploymentId };
}
