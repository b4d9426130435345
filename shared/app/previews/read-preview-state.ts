import { ciVerdict } from '../../domain/ci/ci-verdict.ts';
import {
  FORK_APPROVAL_CONTEXT,
  previewNamespace,
  previewSelector,
  STATUS_CONTEXT_PREFIX,
} from '../../domain/naming.ts';
import {
  canApproveForks,
  decidePolicy,
  needsForkApprover,
  type PolicyDecision,
} from '../../domain/preview/preview-policy.ts';
import { type PreviewRecord, previewFromNamespace } from '../../domain/preview/preview-record.ts';
import type { PreviewClusterPort } from '../../ports/preview-cluster.ts';
import type { CiState, PullRequestInfo } from '../../ports/scm.ts';
import type { PreviewApp, PreviewDeps } from './preview-deps.ts';

/** What a use case knows about one PR's preview of one app before planning. */
export interface PreviewState {
  app: PreviewApp;
  repo: string;
  prNumber: number;
  namespace: string;
  cluster: PreviewClusterPort;
  pr: PullRequestInfo | null;
  record: PreviewRecord | null;
  decision: PolicyDecision | null;
}

export async function readRecord(cluster: PreviewClusterPort, namespace: string): Promise<PreviewRecord | null> {
  const ns = await cluster.getNamespace(namespace);
  return ns ? previewFromNamespace(ns) : null;
}

/** Reads the PR fresh from GitHub (webhooks arrive late and out of order), the preview, and the policy. */
export async function readPreviewState(
  deps: PreviewDeps,
  app: PreviewApp,
  repo: string,
  prNumber: number,
  knownPr?: PullRequestInfo | null,
  knownRecord?: PreviewRecord | null,
): Promise<PreviewState> {
  const cluster = deps.cluster(app.cluster);
  const namespace = previewNamespace(app.name, prNumber);
  const [pr, record] = await Promise.all([
    knownPr !== undefined ? Promise.resolve(knownPr) : deps.scm.getPullRequest(repo, prNumber),
    knownRecord !== undefined ? Promise.resolve(knownRecord) : readRecord(cluster, namespace),
  ]);
  let decision: PolicyDecision | null = null;
  if (pr && pr.state === 'open') {
    let forkApprover: { login: string; permission: Awaited<ReturnType<PreviewDeps['scm']['getPermission']>> } | null =
      null;
    let forkApprovalCoversHead = false;
    if (needsForkApprover(app.preview, pr)) {
      const login = await deps.scm.whoLabeled(repo, prNumber, app.preview.forks.label);
      if (login) forkApprover = { login, permission: await deps.scm.getPermission(repo, login) };
      if (forkApprover && canApproveForks(forkApprover.permission) && deps.scm.getStatusState) {
        forkApprovalCoversHead = (await deps.scm.getStatusState(repo, pr.headSha, FORK_APPROVAL_CONTEXT)) === 'success';
      }
    }
    const hasPreview = record !== null && !record.deleting;
    const activeCount = hasPreview
      ? 0
      : (await cluster.listNamespaces(previewSelector(app.name))).filter((n) => !n.deleting).length;
    decision = decidePolicy({
      preview: app.preview,
      pr,
      forkApprover,
      forkApprovalCoversHead,
      activeCount,
      hasPreview,
    });
  }
  return { app, repo, prNumber, namespace, cluster, pr, record, decision };
}

/**
 * The CI verdict of a commit (the one rule set releases use, shared/domain/ci, with every check of the
 * commit required), never counting our own contexts nor the configured ignored ones.
 */
export async function readCiState(deps: PreviewDeps, repo: string, sha: string): Promise<CiState> {
  const ignored = [STATUS_CONTEXT_PREFIX, ...deps.config.ignoreStatusContexts];
  return ciVerdict(await deps.scm.getCommitChecks(repo, sha), { source: 'all' }, ignored).state;
}
