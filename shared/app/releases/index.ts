/** Releases: deploy on tested merge, track promotion, gray releases, rollback, and fleet health. */
export { checkHealth, type HealthDeps, type HealthResult, type HealthRowOut } from './check-health.ts';
export { deployCommit } from './deploy-commit.ts';
export { type CiReleaseResult, type EnvironmentRelease, handleCiResult } from './handle-ci-result.ts';
export { handlePush } from './handle-push.ts';
export { type PromoteResult, promoteRelease } from './promote-release.ts';
export type { ReleaseDeps, ReleaseRunOptions, ReleaseScm } from './release-deps.ts';
export { type ReleaseStatusRow, releaseStatus } from './release-status.ts';
export { type RollbackResult, rollback } from './rollback-release.ts';
export type { TickOutcome } from './tick-environment.ts';
export { type WatchResult, watchReleases } from './watch-releases.ts';
