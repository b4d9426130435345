import type { PullRequestIntent } from '../../domain/intents.ts';
import { FORK_APPROVAL_CONTEXT } from '../../domain/naming.ts';
import { planPullRequest } from '../../domain/preview/plan-preview.ts';
import { canApproveForks, isForkPullRequest } from '../../domain/preview/preview-policy.ts';
import type { CiState, PullRequestInfo } from '../../ports/scm.ts';
import { executePlan, type PreviewResult } from './execute-plan.ts';
import { type PreviewApp, type PreviewDeps, type PreviewRunOptions, previewAppsOf } from './preview-deps.ts';
import { readCiState, readPreviewState } from './read-preview-state.ts';

export interface PullRequestResult {
  repo: string;
  pr: number;
  action: PullRequestIntent['action'];
  /** One per app of the repository that has previews. */
  previews: PreviewResult[];
}

/**
 * A pull request event: opened/reopened/ready/synchronize post a pending status and wait for CI (or
 * deploy at once when CI already passed for the head); closed/merged tear down; labels and drafts go
 * through the policy. The PR is re-read from GitHub: the event only says "look at PR N".
 */
export async function handlePullRequest(
  deps: PreviewDeps,
  intent: PullRequestIntent,
  opts: PreviewRunOptions = {},
): Promise<PullRequestResult> {
  const apps = previewAppsOf(deps.config, intent.repo);
  const pr = apps.length > 0 ? await deps.scm.getPullRequest(intent.repo, intent.pr) : null;
  const previews: PreviewResult[] = [];
  for (const app of apps) {
    if (pr && !opts.dryRun) await recordForkApproval(deps, app, intent, pr);
    const state = await readPreviewState(deps, app, intent.repo, intent.pr, pr);
    let ciState: CiState | null = null;
    const head = state.pr?.headSha;
    const alreadyDeployed = state.record?.deployedSha === head && state.record?.headSha === head;
    if (head && state.decision?.allow && !alreadyDeployed) ciState = await readCiState(deps, intent.repo, head);
    const plan = planPullRequest({
      app,
      intent,
      pr: state.pr,
      decision: state.decision,
      record: state.record,
      ciState,
    });
    previews.push(await executePlan(deps, state, plan, intent.eventTime, opts));
  }
  return { repo: intent.repo, pr: intent.pr, action: intent.action, previews };
}

/**
 * A fork approval label binds to the commit that was the head when it was applied (the labeled
 * webhook's head SHA, if it is still the head): a `switchyard/fork-approval` success status on that
 * commit. Commits pushed later are not approved until the label is applied again.
 */
async function recordForkApproval(
  deps: PreviewDeps,
  app: PreviewApp,
  intent: PullRequestIntent,
  pr: PullRequestInfo,
): Promise<void> {
  const forks = app.preview.forks;
  if (intent.action !== 'labeled' || forks.policy !== 'label' || intent.label !== forks.label) return;
  if (pr.state !== 'open' || !isForkPullRequest(pr) || pr.headSha !== intent.headSha) return;
  const login = await deps.scm.whoLabeled(intent.repo, intent.pr, forks.label);
  if (!login || !canApproveForks(await deps.scm.getPermission(intent.repo, login))) return;
  await deps.scm.setCommitStatus({
    repo: intent.repo,
    sha: pr.headSha,
    context: FORK_APPROVAL_CONTEXT,
    state: 'success',
    description: `Preview of this fork commit approved by ${login}`,
  });
  deps.logger.info('fork preview approved', { repo: intent.repo, pr: intent.pr, sha: pr.headSha, by: login });
}
