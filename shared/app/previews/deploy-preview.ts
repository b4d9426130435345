import {
  branchSlug,
  commentMarker,
  Keys,
  MANAGED_BY_LABEL,
  MANAGED_BY_VALUE,
  PREVIEW_STATUS_CONTEXT,
  previewEnvironment,
  previewHost,
  shortSha,
  toLabelValue,
} from '../../domain/naming.ts';
import type { PreviewStep } from '../../domain/preview/plan-preview.ts';
import type { PreviewObject } from '../../domain/preview/preview-object.ts';
import {
  type Claim,
  claimAnnotations,
  deployedAnnotations,
  isStaleClaim,
  type PreviewRecord,
  previewFromNamespace,
  previewLabels,
} from '../../domain/preview/preview-record.ts';
import { describe, previewUrl, renderComment } from '../../domain/preview/preview-report.ts';
import { renderTemplates } from '../../domain/preview/render-templates.ts';
import { ConflictError, TransientError } from '../../errors.ts';
import type { PreviewClusterPort } from '../../ports/preview-cluster.ts';
import type { PreviewApp, PreviewDeps } from './preview-deps.ts';
import { claimPreviewHost } from './preview-dns.ts';
import { readRecord } from './read-preview-state.ts';
import { reportRollout } from './report-rollout.ts';

export type DeployStep = Extract<PreviewStep, { kind: 'deploy' }>;

export interface DeployOutcome {
  outcome: 'ready' | 'failed' | 'deploying' | 'superseded' | 'already-deployed';
  sha: string;
  namespace: string;
  url: string;
  deploymentId: number | null;
  applied: number;
  pruned: string[];
  message: string;
}

/** Labels on every object of a preview: pruning selects exactly these. */
export function objectLabels(app: string, pr: number): Record<string, string> {
  return { [MANAGED_BY_LABEL]: MANAGED_BY_VALUE, [Keys.app]: toLabelValue(app), [Keys.pr]: String(pr) };
}

export function pruneSelector(app: string, pr: number): string {
  return Object.entries(objectLabels(app, pr))
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
}

export async function renderPreview(
  deps: PreviewDeps,
  app: PreviewApp,
  pr: number,
  namespace: string,
  claim: Claim,
): Promise<PreviewObject[]> {
  const files = await deps.templates.load(app.name, app.preview.templates);
  return renderTemplates({
    files,
    vars: {
      pr,
      sha: claim.sha,
      shortSha: shortSha(claim.sha),
      branch: branchSlug(claim.branch),
      image: claim.image,
      host: claim.host,
      app: app.name,
      namespace,
    },
    labels: objectLabels(app.name, pr),
    quota: app.preview.quota,
    allowedKinds: app.preview.allowedKinds,
  });
}

/**
 * Claims the namespace for this commit with a conditional write: creating it, or updating its
 * annotations at the resourceVersion we read. Losing the race means re-reading and re-judging; an
 * older event never takes the namespace from a newer one.
 */
async function claimNamespace(
  deps: PreviewDeps,
  app: PreviewApp,
  cluster: PreviewClusterPort,
  namespace: string,
  repo: string,
  pr: number,
  claim: Claim,
  initial: PreviewRecord | null,
): Promise<PreviewRecord | 'stale' | 'already-deployed'> {
  let record = initial;
  for (let attempt = 0; attempt < 4; attempt++) {
    if (record?.deleting) throw new TransientError(`namespace ${namespace} is still being deleted; retry later`);
    if (isStaleClaim(record, claim.sha, claim.eventTime)) return 'stale';
    if (record?.deployedSha === claim.sha && record.headSha === claim.sha) return 'already-deployed';
    try {
      const ns = record
        ? await cluster.updateNamespace(namespace, record.resourceVersion, {
            annotations: claimAnnotations(app.name, repo, claim),
          })
        : await cluster.createNamespace(namespace, {
            labels: previewLabels(app.name, pr, repo, app.preview.podSecurity),
            annotations: claimAnnotations(app.name, repo, claim),
          });
      const claimed = previewFromNamespace(ns);
      if (!claimed) throw new TransientError(`namespace ${namespace} lost its preview labels`);
      return claimed;
    } catch (error) {
      if (!(error instanceof ConflictError)) throw error;
      deps.logger.info('preview claim lost a race; re-reading', { namespace, sha: claim.sha, attempt });
      record = await readRecord(cluster, namespace);
    }
  }
  throw new ConflictError(`could not claim ${namespace} for ${claim.sha} after 4 attempts`);
}

export async function deployPreview(
  deps: PreviewDeps,
  app: PreviewApp,
  cluster: PreviewClusterPort,
  ctx: { repo: string; pr: number; namespace: string; record: PreviewRecord | null },
  step: DeployStep,
  waitSeconds: number,
): Promise<DeployOutcome> {
  const { repo, pr, namespace } = ctx;
  const host = previewHost(app.preview.host, { app: app.name, pr, branch: step.branch });
  const url = previewUrl(host);
  const claim: Claim = { sha: step.sha, eventTime: step.eventTime, image: step.image, branch: step.branch, host };
  const base = { sha: step.sha, namespace, url, applied: 0, pruned: [] as string[] };
  // Render before claiming: a broken template must not leave a half-claimed namespace behind.
  const objects = await renderPreview(deps, app, pr, namespace, claim);

  // The host first: a name switchyard does not own is reported, and nothing is deployed behind it.
  const notOwned = await claimPreviewHost(deps, app, { repo, pr, host, sha: step.sha, time: step.eventTime });
  if (notOwned) return { ...base, outcome: 'failed', deploymentId: null, message: notOwned };

  const claimed = await claimNamespace(deps, app, cluster, namespace, repo, pr, claim, ctx.record);
  if (claimed === 'stale' || claimed === 'already-deployed') {
    return {
      ...base,
      outcome: claimed === 'stale' ? 'superseded' : 'already-deployed',
      deploymentId: null,
      message: claimed,
    };
  }
  const previousDeployment = ctx.record?.deploymentId ?? null;

  const deploymentId = await deps.scm.createDeployment({
    repo,
    ref: step.sha,
    environment: previewEnvironment(app.name, pr),
    description: `Preview of #${pr} at ${shortSha(step.sha)}`,
    transient: true,
    production: false,
    payload: { app: app.name, pr, namespace },
  });
  await deps.scm.setDeploymentStatus({
    repo,
    deploymentId,
    state: 'queued',
    description: describe.deploying(step.sha),
    environmentUrl: url,
  });

  let applied: Awaited<ReturnType<PreviewClusterPort['applyObjects']>>;
  try {
    applied = await cluster.applyObjects(namespace, objects, pruneSelector(app.name, pr));
  } catch (error) {
    // The claim stays (headSha set, deployedSha not): the next delivery or retry applies again.
    await deps.scm
      .setDeploymentStatus({
        repo,
        deploymentId,
        state: 'error',
        description: `Apply interrupted, will be retried: ${(error as Error).message}`,
        environmentUrl: url,
      })
      .catch(() => undefined);
    throw error;
  }

  let deployed: PreviewRecord | null;
  try {
    deployed = previewFromNamespace(
      await cluster.updateNamespace(namespace, claimed.resourceVersion, {
        annotations: deployedAnnotations(step.sha, deps.clock.now(), deploymentId),
      }),
    );
  } catch (error) {
    if (!(error instanceof ConflictError)) throw error;
    // A newer commit claimed the namespace while we applied: our objects may have landed after its
    // objects, so put the winner's objects back before stepping aside.
    await repairForWinner(deps, app, cluster, namespace, pr);
    await deps.scm.setDeploymentStatus({
      repo,
      deploymentId,
      state: 'inactive',
      description: `Superseded by a newer commit of #${pr}`,
      environmentUrl: url,
    });
    return { ...base, ...applied, outcome: 'superseded', deploymentId, message: 'a newer commit claimed the preview' };
  }
  if (!deployed) throw new TransientError(`namespace ${namespace} lost its preview labels`);

  await deps.scm.setDeploymentStatus({
    repo,
    deploymentId,
    state: 'in_progress',
    description: describe.deploying(step.sha),
    environmentUrl: url,
  });
  if (previousDeployment !== null && previousDeployment !== deploymentId) {
    await deps.scm.setDeploymentStatus({
      repo,
      deploymentId: previousDeployment,
      state: 'inactive',
      description: `Replaced by ${shortSha(step.sha)}`,
    });
  }

  const summary =
    waitSeconds > 0
      ? await cluster.waitForRollouts(namespace, waitSeconds * 1000)
      : await cluster.readRollouts(namespace);
  if (summary.phase === 'complete' || summary.phase === 'failed') {
    await reportRollout(deps, app, cluster, deployed, summary);
    return {
      ...base,
      ...applied,
      outcome: summary.phase === 'complete' ? 'ready' : 'failed',
      deploymentId,
      message: summary.message,
    };
  }
  // Not done within the worker's budget: rolloutWatcher reports it (the `reported` annotation is unset).
  await deps.scm.setCommitStatus({
    repo,
    sha: step.sha,
    context: PREVIEW_STATUS_CONTEXT,
    state: 'pending',
    description: describe.deploying(step.sha),
    targetUrl: url,
  });
  await deps.scm.upsertComment(
    repo,
    pr,
    commentMarker(app.name),
    renderComment({
      app: app.name,
      state: 'deploying',
      sha: step.sha,
      deployedSha: ctx.record?.deployedSha ?? null,
      url,
      message: `Rolling out \`${shortSha(step.sha)}\`: ${summary.message}`,
      time: step.eventTime,
    }),
  );
  return { ...base, ...applied, outcome: 'deploying', deploymentId, message: summary.message };
}

async function repairForWinner(
  deps: PreviewDeps,
  app: PreviewApp,
  cluster: PreviewClusterPort,
  namespace: string,
  pr: number,
): Promise<void> {
  const winner = await readRecord(cluster, namespace);
  if (!winner?.headSha || !winner.image || !winner.host || winner.deleting) return;
  const claim: Claim = {
    sha: winner.headSha,
    eventTime: winner.eventTime ?? '',
    image: winner.image,
    branch: winner.branch ?? '',
    host: winner.host,
  };
  const objects = await renderPreview(deps, app, pr, namespace, claim);
  await cluster.applyObjects(namespace, objects, pruneSelector(app.name, pr));
  deps.logger.info('re-applied the newer claim after losing the race', { namespace, sha: winner.headSha });
}
