import type { CiState, PullRequestInfo } from '../../ports/scm.ts';
import type { CiResultIntent, PullRequestIntent } from '../intents.ts';
import { shortSha } from '../naming.ts';
import type { PolicyDecision } from './preview-policy.ts';
import { isStaleClaim, type PreviewRecord } from './preview-record.ts';

/**
 * Pure planners: an event, the PR as GitHub says it is NOW, the policy verdict and the preview as the
 * cluster holds it, in; the steps to take, out. Webhooks are hints: the fresh PR decides.
 */

export type PreviewStep =
  /** Post `switchyard/preview` pending for the head: its CI has not passed yet. */
  | { kind: 'await-ci'; sha: string }
  /** Claim, render, apply, report. */
  | { kind: 'deploy'; sha: string; image: string; branch: string; eventTime: string }
  /** CI failed for the head: failure status with the CI link; the running preview is left alone. */
  | { kind: 'ci-failed'; sha: string; url: string | null; check: string | null }
  /** Delete namespace, DNS record; deployment inactive; comment updated. */
  | { kind: 'teardown'; reason: string; merged: boolean }
  /** Tell the PR why it gets no preview (forks, cap). */
  | { kind: 'refuse'; sha: string; reason: string };

export interface PreviewPlan {
  steps: PreviewStep[];
  /** Why nothing is done, when steps is empty. */
  skipped: string | null;
}

const none = (skipped: string): PreviewPlan => ({ steps: [], skipped });
const plan = (...steps: PreviewStep[]): PreviewPlan => ({ steps, skipped: null });

export interface AppRef {
  name: string;
  /** Image repository: a PR commit runs `<image>:<sha>` unless CI named another image. */
  image: string;
}

export function defaultImage(app: AppRef, sha: string): string {
  return `${app.image}:${sha}`;
}

export interface PullRequestPlanInput {
  app: AppRef;
  intent: PullRequestIntent;
  pr: PullRequestInfo | null;
  /** Null when the PR is closed or missing (policy not evaluated). */
  decision: PolicyDecision | null;
  record: PreviewRecord | null;
  /** CI verdict of the fresh head, ignoring our contexts; null when not read. */
  ciState: CiState | null;
}

export function planPullRequest(input: PullRequestPlanInput): PreviewPlan {
  const { pr, record, decision } = input;
  if (!pr)
    return record
      ? plan({ kind: 'teardown', reason: 'the pull request no longer exists', merged: false })
      : none('pull request not found');
  if (pr.state === 'closed') {
    if (!record) return none('pull request closed and it has no preview');
    return plan({ kind: 'teardown', reason: pr.merged ? 'merged' : 'closed', merged: pr.merged });
  }
  if (!decision) return none('no policy decision');
  if (!decision.allow) {
    if (decision.teardown && record) return plan({ kind: 'teardown', reason: decision.reason, merged: false });
    if (decision.code === 'fork' || decision.code === 'cap')
      return plan({ kind: 'refuse', sha: pr.headSha, reason: decision.reason });
    return none(decision.reason);
  }
  const head = pr.headSha;
  if (record?.deployedSha === head && record.headSha === head) return none(`${shortSha(head)} is already deployed`);
  if (input.ciState === 'success') {
    if (isStaleClaim(record, head, input.intent.eventTime)) return none('a newer event already claimed the preview');
    return plan({
      kind: 'deploy',
      sha: head,
      image: defaultImage(input.app, head),
      branch: pr.headRef,
      eventTime: input.intent.eventTime,
    });
  }
  if (input.ciState === 'failure') return plan({ kind: 'ci-failed', sha: head, url: null, check: null });
  return plan({ kind: 'await-ci', sha: head });
}

export interface CiResultPlanInput {
  app: AppRef;
  intent: CiResultIntent;
  pr: PullRequestInfo | null;
  decision: PolicyDecision | null;
  record: PreviewRecord | null;
  /** The commit's overall CI verdict (other checks may still run); null when the intent alone decides. */
  ciState: CiState | null;
}

export function planCiResult(input: CiResultPlanInput): PreviewPlan {
  const { intent, pr, record, decision } = input;
  if (!pr) return none('pull request not found');
  if (pr.state !== 'open') return none('pull request is closed');
  // Only the PR's current head may be deployed: an older commit's CI finishing late changes nothing.
  if (pr.headSha !== intent.sha) return none(`${shortSha(intent.sha)} is no longer the head of #${pr.number}`);
  if (!decision) return none('no policy decision');
  if (!decision.allow) return none(decision.reason);
  const verdict: CiState = intent.result === 'failure' ? 'failure' : (input.ciState ?? 'success');
  if (verdict === 'failure') return plan({ kind: 'ci-failed', sha: intent.sha, url: intent.url, check: intent.name });
  if (verdict === 'pending') return none('other checks of this commit are still running');
  if (record?.deployedSha === intent.sha && record.headSha === intent.sha) {
    return none(`${shortSha(intent.sha)} is already deployed`);
  }
  if (isStaleClaim(record, intent.sha, intent.eventTime)) return none('a newer event already claimed the preview');
  return plan({
    kind: 'deploy',
    sha: intent.sha,
    image: intent.image ?? defaultImage(input.app, intent.sha),
    // The PR as GitHub says it now names the branch; a CI payload's branch may be stale or absent (forks).
    branch: pr.headRef,
    eventTime: intent.eventTime,
  });
}
