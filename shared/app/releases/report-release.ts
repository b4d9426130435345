import { withActor, withAutomaticRollback } from '../../domain/delivery/audit-actor.ts';
import { releaseEnvironment, releaseStatusContext, shortSha } from '../../domain/naming.ts';
import type { ReleaseEvent } from '../../domain/release/release-plan.ts';
import type { CommitState, DeploymentState } from '../../ports/scm.ts';
import type { ReleaseDeps } from './release-deps.ts';

/**
 * GitHub reporting of releases. Reporting never stops a release: a GitHub failure is logged and the
 * cluster work goes on (the next watcher tick reports again from the records).
 */
export async function openGithubDeployment(
  deps: ReleaseDeps,
  input: {
    repo: string;
    app: string;
    environment: string;
    production: boolean;
    /** Who asked for it (audit trail in the deployment's description and statuses); absent: automatic. */
    actor?: string;
    sha: string;
    image: string;
    description: string;
    rollbackOf?: string;
    /** Release of a commit: a GitHub deployment of this SHA to this environment is reused, not duplicated. */
    reuseExisting?: boolean;
  },
): Promise<number | undefined> {
  try {
    // One GitHub deployment per SHA and environment: a retry or a later delivery reuses it.
    if (input.reuseExisting) {
      const environment = releaseEnvironment(input.app, input.environment);
      const existing = await deps.scm.findDeployment(input.repo, input.sha, environment);
      if (existing !== null) return existing;
    }
    const id = await deps.scm.createDeployment({
      repo: input.repo,
      ref: input.sha,
      environment: releaseEnvironment(input.app, input.environment),
      description: withActor(input.description, input.actor),
      transient: false,
      production: input.production,
      payload: {
        app: input.app,
        environment: input.environment,
        image: input.image,
        ...(input.rollbackOf ? { rollbackOf: input.rollbackOf } : {}),
      },
    });
    await deps.scm.setDeploymentStatus({
      repo: input.repo,
      deploymentId: id,
      state: 'in_progress',
      description: withActor(input.description, input.actor),
    });
    await deps.scm.setCommitStatus({
      repo: input.repo,
      sha: input.sha,
      context: releaseStatusContext(input.environment),
      state: 'pending',
      description: input.description,
    });
    return id;
  } catch (error) {
    deps.logger.warn('could not report the release to GitHub', {
      app: input.app,
      environment: input.environment,
      sha: input.sha,
      error: String(error),
    });
    return undefined;
  }
}

const deploymentState: Record<ReleaseEvent['kind'], DeploymentState> = {
  started: 'in_progress',
  promoted: 'in_progress',
  waiting: 'in_progress',
  released: 'success',
  failed: 'failure',
  'rolled-back': 'failure',
};
const commitState: Partial<Record<ReleaseEvent['kind'], CommitState>> = {
  released: 'success',
  failed: 'failure',
  'rolled-back': 'failure',
};

/** Deployment statuses and the commit status for what happened in a tick. */
export async function reportEvents(
  deps: ReleaseDeps,
  input: { repo: string; app: string; environment: string },
  events: readonly ReleaseEvent[],
): Promise<void> {
  for (const event of events) {
    try {
      if (event.githubDeploymentId !== undefined) {
        await deps.scm.setDeploymentStatus({
          repo: input.repo,
          deploymentId: event.githubDeploymentId,
          state: deploymentState[event.kind],
          // Ticks are the schedule's or the webhook's doing: the audit trail says automatic.
          description:
            event.kind === 'rolled-back' ? withAutomaticRollback(event.message) : withActor(event.message, undefined),
        });
      }
      const state = commitState[event.kind];
      if (state && event.sha !== '') {
        await deps.scm.setCommitStatus({
          repo: input.repo,
          sha: event.sha,
          context: releaseStatusContext(input.environment),
          state,
          description: `${shortSha(event.sha)}: ${event.message}`,
        });
      }
    } catch (error) {
      deps.logger.warn('could not report a release event to GitHub', {
        ...input,
        kind: event.kind,
        error: String(error),
      });
    }
  }
}
