import { ValidationError } from '../../errors.ts';
import { commitFacts } from './commit-facts.ts';
import { findEnvironment } from './find-environment.ts';
import { type EnvironmentRelease, releaseCommit } from './release-commit.ts';
import type { ReleaseDeps, ReleaseRunOptions } from './release-deps.ts';

/**
 * `switchyard release deploy <app> <env> <sha>`: the operator's way to run a commit that order would
 * refuse (older than or diverged from what runs, or rolled back before). Only order and the rollback
 * mark are waived: the commit must still be on the environment's branch and pass its required checks,
 * as GitHub reports them. Try it with --dry-run first: it plans and changes nothing.
 */
export async function deployCommit(
  deps: ReleaseDeps,
  appName: string,
  envName: string,
  sha: string,
  options: ReleaseRunOptions = {},
): Promise<EnvironmentRelease> {
  if (!/^[0-9a-f]{40}$/.test(sha)) {
    throw new ValidationError('sha must be a full 40-character lowercase commit SHA', [`sha: ${sha}`]);
  }
  const { app, env } = findEnvironment(deps.apps, appName, envName);
  const commit = {
    sha,
    image: `${app.image}:${sha}`,
    eventTime: deps.clock.now().toISOString(),
    deliveryId: `operator-deploy-${sha.slice(0, 12)}`,
    force: true,
  };
  return releaseCommit(deps, commitFacts(deps), app, env, commit, options);
}
