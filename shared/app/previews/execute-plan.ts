import {
  commentMarker,
  PREVIEW_STATUS_CONTEXT,
  previewHost,
  STATUS_CONTEXT_PREFIX,
  shortSha,
} from '../../domain/naming.ts';
import type { PreviewPlan, PreviewStep } from '../../domain/preview/plan-preview.ts';
import { objectRecordKey } from '../../domain/preview/preview-record.ts';
import { describe, renderComment } from '../../domain/preview/preview-report.ts';
import { type DeployOutcome, deployPreview, renderPreview } from './deploy-preview.ts';
import { ensureDns } from './ensure-dns.ts';
import { type PreviewDeps, type PreviewRunOptions, rolloutWaitSeconds } from './preview-deps.ts';
import type { PreviewState } from './read-preview-state.ts';
import { hostOf, type ReportResult, reportRollout } from './report-rollout.ts';
import { type TeardownOutcome, teardownPreview } from './teardown-preview.ts';

/** What one use case run did for one app's preview of one PR. */
export interface PreviewResult {
  app: string;
  pr: number;
  namespace: string;
  plan: PreviewPlan;
  dryRun: boolean;
  /** One entry per executed step, in order. */
  done: Array<
    | { kind: 'await-ci' | 'ci-failed' | 'refuse'; sha: string }
    | { kind: 'deploy'; result: DeployOutcome }
    | { kind: 'teardown'; result: TeardownOutcome }
    | { kind: 'report'; sha: string; result: ReportResult['kind'] }
    | { kind: 'ensure-dns'; host: string; written: boolean }
  >;
  /** On a dry run: the changes the plan would make (objects applied, DNS change, GitHub writes). */
  changes?: string[];
}

/** Logs the plan, then (unless dry run) carries it out step by step. */
export async function executePlan(
  deps: PreviewDeps,
  state: PreviewState,
  plan: PreviewPlan,
  eventTime: string,
  opts: PreviewRunOptions,
): Promise<PreviewResult> {
  const { app, repo, prNumber: pr, namespace, record } = state;
  const dryRun = opts.dryRun ?? false;
  deps.logger.info('preview plan', {
    app: app.name,
    pr,
    namespace,
    steps: plan.steps.map((s) => s.kind),
    skipped: plan.skipped,
    dryRun,
  });
  const result: PreviewResult = { app: app.name, pr, namespace, plan, dryRun, done: [] };
  if (dryRun) {
    result.changes = await describeChanges(deps, state, plan);
    deps.logger.info('preview dry run', { app: app.name, pr, namespace, changes: result.changes });
    return result;
  }
  const url = record ? `https://${hostOf(app, record)}` : null;
  const comment = async (s: Parameters<typeof renderComment>[0]) => {
    await deps.scm.writeComment(repo, pr, commentMarker(app.name), renderComment(s), record?.commentId ?? null);
  };

  for (const step of plan.steps) {
    switch (step.kind) {
      case 'await-ci':
        await deps.scm.setCommitStatus({
          repo,
          sha: step.sha,
          context: PREVIEW_STATUS_CONTEXT,
          state: 'pending',
          description: describe.awaitCi(step.sha),
        });
        await comment({
          app: app.name,
          state: 'waiting-ci',
          sha: step.sha,
          deployedSha: record?.deployedSha ?? null,
          url: record?.deployedSha ? url : null,
          message: `The preview will be ${record?.deployedSha ? 'updated' : 'created'} once CI passes on \`${shortSha(step.sha)}\`.`,
          time: eventTime,
        });
        result.done.push({ kind: step.kind, sha: step.sha });
        break;
      case 'ci-failed': {
        // check_suite payloads carry no link: ask GitHub for the failing run's page.
        const ciUrl =
          step.url ??
          (deps.scm.ciFailureUrl
            ? await deps.scm.ciFailureUrl(repo, step.sha, [STATUS_CONTEXT_PREFIX, ...deps.config.ignoreStatusContexts])
            : null);
        await deps.scm.setCommitStatus({
          repo,
          sha: step.sha,
          context: PREVIEW_STATUS_CONTEXT,
          state: 'failure',
          description: describe.ciFailed(step.sha, step.check),
          ...(ciUrl ? { targetUrl: ciUrl } : {}),
        });
        await comment({
          app: app.name,
          state: 'ci-failed',
          sha: step.sha,
          deployedSha: record?.deployedSha ?? null,
          url: record?.deployedSha ? url : null,
          message: record?.deployedSha
            ? `CI failed on \`${shortSha(step.sha)}\`; the preview keeps running \`${shortSha(record.deployedSha)}\`.`
            : `CI failed on \`${shortSha(step.sha)}\`; no preview until it passes.`,
          time: eventTime,
          ciUrl,
        });
        result.done.push({ kind: step.kind, sha: step.sha });
        break;
      }
      case 'refuse':
        await comment({
          app: app.name,
          state: 'refused',
          sha: step.sha,
          deployedSha: record?.deployedSha ?? null,
          url: record?.deployedSha ? url : null,
          message: record?.deployedSha
            ? `Preview not updated (it keeps running \`${shortSha(record.deployedSha)}\`): ${step.reason}.`
            : `No preview: ${step.reason}.`,
          time: eventTime,
        });
        result.done.push({ kind: step.kind, sha: step.sha });
        break;
      case 'deploy':
        result.done.push({
          kind: 'deploy',
          result: await deployPreview(
            deps,
            app,
            state.cluster,
            { repo, pr, namespace, record },
            step,
            deployRun(app, opts, deps.clock.now()),
          ),
        });
        break;
      case 'report': {
        if (!record) break;
        const summary = await state.cluster.readRollouts(namespace);
        deps.logger.info('preview rollout read', { app: app.name, pr, sha: step.sha, phase: summary.phase });
        const report = await reportRollout(deps, app, state.cluster, record, summary, { findDeployment: true });
        result.done.push({ kind: 'report', sha: step.sha, result: report.kind });
        break;
      }
      case 'ensure-dns':
        result.done.push({
          kind: 'ensure-dns',
          host: step.host,
          written: await ensureDns(deps, app, { repo, pr, host: step.host }),
        });
        break;
      case 'teardown':
        if (record) {
          result.done.push({
            kind: 'teardown',
            result: await teardownPreview(deps, app, state.cluster, record, step.reason, eventTime),
          });
        }
        break;
      default:
        assertNever(step);
    }
  }
  return result;
}

/** The rollout wait and the claim's lease of a deploy run. */
function deployRun(app: PreviewState['app'], opts: PreviewRunOptions, now: Date) {
  const waitSeconds = rolloutWaitSeconds(app.preview.waitSeconds, opts, now.getTime());
  // Without a deadline (the CLI, tests) the run is presumed over a minute after its rollout wait.
  const lease = new Date(opts.deadline ?? now.getTime() + (waitSeconds + 60) * 1000);
  return { waitSeconds, lease };
}

/** What a plan would change, in words, for dry runs: the objects it would apply, DNS, GitHub writes. */
async function describeChanges(deps: PreviewDeps, state: PreviewState, plan: PreviewPlan): Promise<string[]> {
  const { app, prNumber: pr, namespace, record } = state;
  const out: string[] = [];
  const dnsLine = (host: string) =>
    app.preview.dns ? [`DNS: UPSERT CNAME ${host} -> ${app.preview.dns.target} (TTL ${app.preview.dns.ttl})`] : [];
  for (const step of plan.steps) {
    switch (step.kind) {
      case 'await-ci':
      case 'ci-failed':
        out.push(
          `GitHub: commit status ${step.kind === 'await-ci' ? 'pending' : 'failure'} on ${shortSha(step.sha)}`,
          'GitHub: PR comment',
        );
        break;
      case 'refuse':
        out.push('GitHub: PR comment');
        break;
      case 'deploy': {
        const host = previewHost(app.preview.host, { app: app.name, pr, branch: step.branch });
        const objects = await renderPreview(deps, app, pr, namespace, {
          ...step,
          host,
        });
        const now = new Set(objects.map(objectRecordKey));
        out.push(
          `Kubernetes: ${record ? 'claim' : 'create'} namespace ${namespace} for ${shortSha(step.sha)}`,
          ...objects.map((o) => `Kubernetes: apply ${o.kind}/${o.metadata.name}`),
          ...(record?.objects ?? []).filter((k) => !now.has(k)).map((k) => `Kubernetes: prune ${k}`),
          ...dnsLine(host),
          `GitHub: commit status success or failure on ${shortSha(step.sha)} once the rollout finished`,
          'GitHub: deployment and its status, previous deployment inactive, PR comment',
        );
        break;
      }
      case 'report':
        out.push(`GitHub: report the rollout of ${shortSha(step.sha)} once finished (status, deployment, comment)`);
        break;
      case 'ensure-dns':
        out.push(...dnsLine(step.host).map((l) => `${l} if missing or different`));
        break;
      case 'teardown':
        out.push(
          `Kubernetes: delete namespace ${namespace}`,
          ...(app.preview.dns && record?.host ? [`DNS: DELETE CNAME ${record.host}`] : []),
          ...(record?.deploymentId ? [`GitHub: deployment ${record.deploymentId} inactive`] : []),
          'GitHub: PR comment',
        );
        break;
      default:
        assertNever(step);
    }
  }
  return out;
}

function assertNever(step: never): never {
  throw new Error(`unknown preview step ${JSON.stringify(step as PreviewStep)}`);
}
