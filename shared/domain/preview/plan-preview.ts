import type { CiState, PullRequestInfo } from '../../ports/scm.ts';
import type { CiResultIntent, PullRequestIntent } from '../intents.ts';
import { shortSha } from '../naming.ts';
import type { PolicyDecision } from './preview-policy.ts';
import { claimInFlight, isStaleClaim, type PreviewRecord } from './preview-record.ts';

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
  | { kind: 'refuse'; sha: string; reason: string }
  /** The deployed commit's rollout was never reported: read it, and report it once it finished. */
  | { kind: 'report'; sha: string }
  /** The preview's DNS record must exist and point at the configured target. */
  | { kind: 'ensure-dns'; host: string };

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

/**
 * GitHub answers 404 for a PR it will not show us (the App was uninstalled, the token lost access) as
 * well as for one that does not exist: either way we do not know, and a preview is never removed on it.
 */
const UNKNOWN_PR = 'GitHub did not show the pull request (404): its state is unknown, the preview is kept';

export function planPullRequest(input: PullRequestPlanInput): PreviewPlan {
  const { pr, record, decision } = input;
  if (!pr) return none(UNKNOWN_PR);
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
  if (!pr) return none(UNKNOWN_PR);
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

export interface ReconcilePlanInput {
  app: AppRef & { dns: boolean };
  record: PreviewRecord;
  /** The PR as GitHub reports it; null when GitHub would not say (404, 401, 403): unknown, never gone. */
  pr: PullRequestInfo | null;
  decision: PolicyDecision | null;
  /** CI verdict of the PR's head when it differs from what the preview claimed; null when not read. */
  ciState: CiState | null;
  /** The preview's host, as the record or the host pattern gives it. */
  host: string;
  now: Date;
  /** How long a claim without a lease is presumed in flight after its event time. */
  leaseFallbackMs: number;
}

/**
 * The schedule's planner: the preview as the cluster holds it against the PR as GitHub reports it now.
 * It repairs what a lost event or a fault left behind: a claim nobody finished (objects missing), a
 * rollout nobody reported, a missing DNS record, a head whose CI passed without us hearing of it, a
 * closed PR's preview. A claim still inside its worker's lease is left to that worker.
 */
export function planReconcile(input: ReconcilePlanInput): PreviewPlan {
  const { record, pr, now } = input;
  if (record.deleting) return none('the namespace is being deleted');
  if (!pr) return none(UNKNOWN_PR);
  if (pr.state === 'closed')
    return plan({ kind: 'teardown', reason: pr.merged ? 'merged' : 'closed', merged: pr.merged });
  if (claimInFlight(record, now, input.leaseFallbackMs)) return none('a worker is still deploying the claimed commit');
  const unfinished = record.headSha !== null && record.headSha !== record.deployedSha;
  if (pr.headSha !== record.headSha && input.ciState === 'success' && input.decision?.allow) {
    return plan({
      kind: 'deploy',
      sha: pr.headSha,
      image: defaultImage(input.app, pr.headSha),
      branch: pr.headRef,
      eventTime: now.toISOString(),
    });
  }
  if (unfinished && record.headSha === pr.headSha && record.image) {
    return plan({
      kind: 'deploy',
      sha: record.headSha,
      image: record.image,
      branch: record.branch ?? pr.headRef,
      eventTime: record.eventTime ?? now.toISOString(),
    });
  }
  if (record.deployedSha && record.reportedSha !== record.deployedSha) {
    return plan({ kind: 'report', sha: record.deployedSha });
  }
  if (record.deployedSha && input.app.dns) return plan({ kind: 'ensure-dns', host: input.host });
  return none('nothing to repair');
}
