/** The preview use cases, as pipelineWorker, rolloutWatcher, previewJanitor, ops and the CLI call them. */
export { type DeletePreviewResult, deletePreview } from './delete-preview.ts';
export type { DeployOutcome } from './deploy-preview.ts';
export type { PreviewResult } from './execute-plan.ts';
export { type CiResultResult, handleCiResult } from './handle-ci-result.ts';
export { handlePullRequest, type PullRequestResult } from './handle-pull-request.ts';
export { listPreviews, type PreviewView, type PreviewViewState } from './list-previews.ts';
export type { PreviewApp, PreviewDeps, PreviewRunOptions } from './preview-deps.ts';
export { type ReconcileOptions, type ReconcileResult, reconcilePreviews } from './reconcile-previews.ts';
export { type SweepResult, sweepPreviews } from './sweep-previews.ts';
export type { TeardownOutcome } from './teardown-preview.ts';
