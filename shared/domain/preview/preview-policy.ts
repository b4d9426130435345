import type { PreviewConfig } from '../../config/preview-schema.ts';
import type { Permission, PullRequestInfo } from '../../ports/scm.ts';

export type DenyCode = 'disabled' | 'closed' | 'opt-out' | 'opt-in' | 'draft' | 'fork' | 'cap';

/** Whether a PR may have a preview, and what to do with the one it has when it may not. */
export type PolicyDecision =
  | { allow: true }
  | {
      allow: false;
      /** Why, as a machine-readable code: forks and the cap are explained on the PR, the rest stay silent. */
      code: DenyCode;
      reason: string;
      /** Remove an existing preview (opt-out label, converted to draft) rather than just not deploying. */
      teardown: boolean;
    };

export interface PolicyInput {
  preview: PreviewConfig;
  pr: PullRequestInfo;
  /** Who applied the fork approval label and their permission; null when not applied or not asked. */
  forkApprover: { login: string; permission: Permission } | null;
  /**
   * The approval was given for the PR's current head (a `switchyard/fork-approval` status on it). A label
   * stays on the PR across pushes; without this, code pushed after the approval would run unreviewed.
   */
  forkApprovalCoversHead?: boolean;
  /** Live previews of this app right now (for the cap). */
  activeCount: number;
  /** This PR already has a preview (the cap never removes an existing one here). */
  hasPreview: boolean;
}

const WRITE: readonly Permission[] = ['admin', 'maintain', 'write'];

export function canApproveForks(permission: Permission): boolean {
  return WRITE.includes(permission);
}

export function isForkPullRequest(pr: PullRequestInfo): boolean {
  return pr.headRepo === null || pr.headRepo.toLowerCase() !== pr.baseRepo.toLowerCase();
}

/** Whether we need to ask GitHub who applied the fork approval label (saves two calls otherwise). */
export function needsForkApprover(preview: PreviewConfig, pr: PullRequestInfo): boolean {
  return isForkPullRequest(pr) && preview.forks.policy === 'label' && pr.labels.includes(preview.forks.label);
}

export function decidePolicy(input: PolicyInput): PolicyDecision {
  const { preview, pr } = input;
  if (!preview.enabled)
    return { allow: false, code: 'disabled', reason: 'previews are disabled for this app', teardown: true };
  if (pr.state !== 'open')
    return { allow: false, code: 'closed', reason: 'the pull request is closed', teardown: true };
  if (pr.labels.includes(preview.skipLabel)) {
    return {
      allow: false,
      code: 'opt-out',
      reason: `the "${preview.skipLabel}" label opts this PR out`,
      teardown: true,
    };
  }
  if (preview.requireLabel !== undefined && !pr.labels.includes(preview.requireLabel)) {
    return {
      allow: false,
      code: 'opt-in',
      reason: `previews need the "${preview.requireLabel}" label`,
      teardown: true,
    };
  }
  if (pr.draft && !preview.drafts) {
    return { allow: false, code: 'draft', reason: 'draft pull requests get no preview', teardown: true };
  }
  if (isForkPullRequest(pr)) {
    // A fork's code would run in our cluster: default deny, or a label applied by someone with write access.
    if (preview.forks.policy === 'deny') {
      return { allow: false, code: 'fork', reason: 'pull requests from forks get no preview', teardown: true };
    }
    const approver = input.forkApprover;
    if (!approver || !WRITE.includes(approver.permission)) {
      const who = approver ? ` (applied by ${approver.login}, who has ${approver.permission} access)` : '';
      return {
        allow: false,
        code: 'fork',
        reason: `fork previews need the "${preview.forks.label}" label applied by someone with write access${who}`,
        teardown: true,
      };
    }
    if (!input.forkApprovalCoversHead) {
      return {
        allow: false,
        code: 'fork',
        reason: `commits were pushed after ${approver.login} approved this fork's preview: remove and re-apply the "${preview.forks.label}" label to approve them`,
        // The running preview is the commit that was approved: it may stay.
        teardown: false,
      };
    }
  }
  if (!input.hasPreview && input.activeCount >= preview.maxPerApp) {
    return {
      allow: false,
      code: 'cap',
      reason: `the cap of ${preview.maxPerApp} previews for this app is reached`,
      teardown: false,
    };
  }
  return { allow: true };
}
