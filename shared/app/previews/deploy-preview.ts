import {
  branchSlug,
  Keys,
  MANAGED_BY_LABEL,
  MANAGED_BY_VALUE,
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
  objectRecordKey,
  type PreviewRecord,
  previewFromNamespace,
  previewLabels,
} from '../../domain/preview/preview-record.ts';
import { previewUrl } from '../../domain/preview/preview-report.ts';
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
  });
}

/**
 * Claims the namespace for this commit with a conditional write: creating it, or updating its
 * annotations at the resourceVersion we read. Losing the race means re-reading and re-judging; an
 * older event never takes the namespace from a newer one. The claim records every object the apply
 * may leave behind before anything is applied, so a run that dies half-way leaks nothing.
 */
async function claimNamespace(
  deps: PreviewDeps,
  app: PreviewApp,
  cluster: PreviewClusterPort,
  ctx: { namespace: string; repo: string; pr: number },
  claim: Claim,
  objects: readonly string[],
  lease: Date,
  initial: PreviewRecord | null,
): Promise<{ claimed: PreviewRecord; before: PreviewRecord | null } | 'stale' | 'already-deployed'> {
  const { namespace, repo, pr } = ctx;
  let record = initial;
  for (let attempt = 0; attempt < 4; attempt++) {
    if (record?.deleting) throw new TransientError(`namespace ${namespace} is still being deleted; retry later`);
    if (isStaleClaim(record, claim.sha, claim.eventTime)) return 'stale';
    // Done only when it was also reported: a deploy that stopped before that is carried on, not skipped.
    if (record?.deployedSha === claim.sha && record.headSha === claim.sha && record.reportedSha === claim.sha) {
      return 'already-deployed';
    }
    const annotations = claimAnnotations(app.name, repo, claim, {
      objects: [...(record?.objects ?? []), ...objects],
      lease,
    });
    try {
      const ns = record
        ? await cluster.updateNamespace(namespace, record.resourceVersion, { annotations })
        : await cluster.createNamespace(namespace, {
            labels: previewLabels(app.name, pr, repo, app.preview.podSecurity),
            annotations,
          });
      const claimed = previewFromNamespace(ns);
      if (!claimed) throw new TransientError(`namespace ${namespace} lost its preview labels`);
      return { claimed, before: record };
    } catch (error) {
      if (!(error instanceof ConflictError)) throw error;
      deps.logger.info('preview claim lost a race; re-reading', { namespace, sha: claim.sha, attempt });
      record = await readRecord(cluster, namespace);
    }
  }
  throw new ConflictError(`could not claim ${namespace} for ${claim.sha} after 4 attempts`);
}

export interface DeployRun {
  /** Seconds to wait for the rollout before leaving it to the schedule. */
  waitSeconds: number;
  /** When this run ends: the schedule leaves the claim alone until then. */
  lease: Date;
}

/**
 * Claim, apply (pruning only what was recorded), DNS, then wait for the rollout and report it with
 * the commit status first. Kubernetes requests for a first deploy: read, claim, one apply per object,
 * the rollout watch (list + watch) and one final annotation write; no prune lists.
 */
export async function deployPreview(
  deps: PreviewDeps,
  app: PreviewApp,
  cluster: PreviewClusterPort,
  ctx: { repo: string; pr: number; namespace: string; record: PreviewRecord | null },
  step: DeployStep,
  run: DeployRun,
): Promise<DeployOutcome> {
  const { pr, namespace } = ctx;
  const host = previewHost(app.preview.host, { app: app.name, pr, branch: step.branch });
  const url = previewUrl(host);
  const claim: Claim = { sha: step.sha, eventTime: step.eventTime, image: step.image, branch: step.branch, host };
  const base = { sha: step.sha, namespace, url, applied: 0, pruned: [] as string[] };
  // Render before claiming: a broken template must not leave a half-claimed namespace behind.
  const objects = await renderPreview(deps, app, pr, namespace, claim);
  const keys = objects.map(objectRecordKey);

  // The host first: a name switchyard does not own is reported, and nothing is deployed behind it.
  const notOwned = await claimPreviewHost(deps, app, { repo: ctx.repo, pr, host, sha: step.sha, time: step.eventTime });
  if (notOwned) return { ...base, outcome: 'failed', deploymentId: null, message: notOwned };

  const claimResult = await claimNamespace(deps, app, cluster, ctx, claim, keys, run.lease, ctx.record);
  if (claimResult === 'stale' || claimResult === 'already-deployed') {
    return {
      ...base,
      outcome: claimResult === 'stale' ? 'superseded' : 'already-deployed',
      deploymentId: null,
      message: claimResult,
    };
  }
  const { claimed, before } = claimResult;
  // A namespace we just created holds nothing to prune; a preview from before objects were recorded is
  // pruned by listing; otherwise what the claim recorded (earlier objects and these) minus these.
  const previous = before && before.objects === null ? null : claimed.objects;
  const applied = await cluster.applyObjects(namespace, objects, { selector: pruneSelector(app.name, pr), previous });

  const summary =
    run.waitSeconds > 0
      ? await cluster.waitForRollouts(namespace, run.waitSeconds * 1000)
      : await cluster.readRollouts(namespace);
  const deployed = { sha: step.sha, objects: keys, at: deps.clock.now() };
  if (summary.phase === 'complete' || summary.phase === 'failed') {
    const report = await reportRollout(deps, app, cluster, claimed, summary, {
      deployed,
      // A claim of this commit was made before (a retry): its deployment may exist already.
      findDeployment: before?.headSha === step.sha,
    });
    if (report.kind === 'superseded') {
      await repairForWinner(deps, app, cluster, namespace, pr);
      return {
        ...base,
        ...applied,
        outcome: 'superseded',
        deploymentId: report.deploymentId,
        message: 'a newer commit claimed the preview',
      };
    }
    return {
      ...base,
      ...applied,
      outcome: summary.phase === 'complete' ? 'ready' : 'failed',
      deploymentId: report.kind === 'reported' ? report.deploymentId : null,
      message: summary.message,
    };
  }
  // Not done within the worker's budget: the schedule reports it (the `reported` annotation is unset).
  try {
    await cluster.updateNamespace(namespace, claimed.resourceVersion, {
      annotations: deployedAnnotations(step.sha, deployed.at, keys),
    });
  } catch (error) {
    if (!(error instanceof ConflictError)) throw error;
    await repairForWinner(deps, app, cluster, namespace, pr);
    return {
      ...base,
      ...applied,
      outcome: 'superseded',
      deploymentId: null,
      message: 'a newer commit claimed the preview',
    };
  }
  return { ...base, ...applied, outcome: 'deploying', deploymentId: null, message: summary.message };
}

/**
 * A newer commit claimed the namespace while we applied: our objects may have landed after its
 * objects, so put the winner's objects back before stepping aside.
 */
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
  await cluster.applyObjects(namespace, objects, { selector: pruneSelector(app.name, pr), previous: [] });
  deps.logger.info('re-applied the newer claim after losing the race', { namespace, sha: winner.headSha });
}
