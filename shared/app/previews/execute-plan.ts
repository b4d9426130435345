import { commentMarker, PREVIEW_STATUS_CONTEXT, STATUS_CONTEXT_PREFIX, shortSha } from '../../domain/naming.ts';
import type { PreviewPlan, PreviewStep } from '../../domain/preview/plan-preview.ts';
import { describe, renderComment } from '../../domain/preview/preview-report.ts';
import { type DeployOutcome, deployPreview } from './deploy-preview.ts';
import { type PreviewDeps, type PreviewRunOptions, rolloutWaitSeconds } from './preview-deps.ts';
import type { PreviewState } from './read-preview-state.ts';
import { hostOf } from './report-rollout.ts';
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
  >;
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
  if (dryRun) return result;
  const url = record ? `https://${hostOf(app, record)}` : null;
  const comment = (s: Parameters<typeof renderComment>[0]) =>
    deps.scm.upsertComment(repo, pr, commentMarker(app.name), renderComment(s));

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
            rolloutWaitSeconds(app.preview.waitSeconds, opts, deps.clock.now().getTime()),
          ),
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

function assertNever(step: never): never {
  throw new Error(`unknown preview step ${JSON.stringify(step as PreviewStep)}`);
}
