import type { CiResultIntent } from '../../domain/intents.ts';
import { planCiResult } from '../../domain/preview/plan-preview.ts';
import type { CiState } from '../../ports/scm.ts';
import { executePlan, type PreviewResult } from './execute-plan.ts';
import { type PreviewDeps, type PreviewRunOptions, previewAppsOf } from './preview-deps.ts';
import { readCiState, readPreviewState } from './read-preview-state.ts';

export interface CiResultResult {
  repo: string;
  sha: string;
  /** PRs whose head is this commit. */
  prs: number[];
  previews: PreviewResult[];
}

/**
 * CI finished for a commit: if it is still the head of an open PR and CI passed (our own contexts never
 * count), deploy it; if CI failed, say so and leave the running preview alone.
 */
export async function handleCiResult(
  deps: PreviewDeps,
  intent: CiResultIntent,
  opts: PreviewRunOptions = {},
): Promise<CiResultResult> {
  const apps = previewAppsOf(deps.config, intent.repo);
  if (apps.length === 0) return { repo: intent.repo, sha: intent.sha, prs: [], previews: [] };
  // Fork heads come with no PR numbers (Checks API): ask which open PRs have this head.
  const prs = intent.prs.length > 0 ? intent.prs : await deps.scm.pullRequestsForCommit(intent.repo, intent.sha);
  const previews: PreviewResult[] = [];
  for (const number of prs) {
    const pr = await deps.scm.getPullRequest(intent.repo, number);
    let ciState: CiState | null = null;
    // Our CI's notification is the verdict; a single check or status success is only one voice among many.
    if (intent.result === 'success' && intent.source !== 'ci_notification' && pr?.headSha === intent.sha) {
      ciState = await readCiState(deps, intent.repo, intent.sha);
    }
    for (const app of apps) {
      const state = await readPreviewState(deps, app, intent.repo, number, pr);
      const plan = planCiResult({ app, intent, pr: state.pr, decision: state.decision, record: state.record, ciState });
      previews.push(await executePlan(deps, state, plan, intent.eventTime, opts));
    }
  }
  return { repo: intent.repo, sha: intent.sha, prs, previews };
}
