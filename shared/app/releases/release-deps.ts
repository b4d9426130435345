import type { AppConfig } from '../../config/schema.ts';
import type { Clock } from '../../ports/clock.ts';
import type { LoggerPort } from '../../ports/logger.ts';
import type { ReleaseClusterPort } from '../../ports/release.ts';
import type { CommitReads, ScmPort } from '../../ports/scm.ts';

/** The part of GitHub releases use: commit statuses, deployments, and the commit reads they decide on. */
export type ReleaseScm = Pick<ScmPort, 'setCommitStatus' | 'createDeployment' | 'setDeploymentStatus'> & CommitReads;

/** What the release use cases run on. */
export interface ReleaseDeps {
  apps: readonly AppConfig[];
  /** The release port of a configured cluster, by its config name. */
  cluster(name: string): Promise<ReleaseClusterPort>;
  scm: ReleaseScm;
  clock: Clock;
  logger: LoggerPort;
  /** Status contexts never counted as CI besides switchyard's own (config `ignoreStatusContexts`). */
  ignoreStatusContexts?: readonly string[];
}

export interface ReleaseRunOptions {
  /** Plan and log, change nothing (no cluster writes, no GitHub writes). */
  dryRun?: boolean;
  /**
   * Epoch milliseconds until which a use case may wait for rollouts (list-then-watch); set from the
   * Lambda's remaining time. Absent: do not wait, leave it to rolloutWatcher.
   */
  deadline?: number;
}
