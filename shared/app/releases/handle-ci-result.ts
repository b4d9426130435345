import { imageAllowed } from '../../domain/ci/image-repository.ts';
import type { CiResultIntent } from '../../domain/intents.ts';
import { sameRepo } from '../../domain/naming.ts';
import { commitFacts } from './commit-facts.ts';
import { type EnvironmentRelease, releaseCommit } from './release-commit.ts';
import type { ReleaseDeps, ReleaseRunOptions } from './release-deps.ts';

export type { EnvironmentRelease } from './release-commit.ts';

export interface CiReleaseResult {
  sha: string;
  environments: EnvironmentRelease[];
  /** Why the event was not a release signal at all. */
  ignored?: string;
}

/**
 * Deploy on a tested merge. A CI event is only a hint that the commit's checks changed: each
 * environment of the repository's apps asks GitHub whether the commit passed the checks it requires,
 * is on its branch and descends from what runs there (shared/app/releases/release-commit.ts), never
 * trusting the event's branch or result. Events whose code came from another repository (fork PRs)
 * are not release signals. With a deadline, waits for the rollouts and runs one watcher tick.
 */
export async function handleCiResult(
  deps: ReleaseDeps,
  intent: CiResultIntent,
  options: ReleaseRunOptions = {},
): Promise<CiReleaseResult> {
  const result: CiReleaseResult = { sha: intent.sha, environments: [] };
  const ignore = (reason: string): CiReleaseResult => {
    deps.logger.info('not a release signal', { sha: intent.sha, deliveryId: intent.deliveryId, reason });
    return { ...result, ignored: reason };
  };
  if (intent.headRepo !== undefined && (intent.headRepo === null || !sameRepo(intent.headRepo, intent.repo))) {
    return ignore(`the code came from ${intent.headRepo ?? 'a deleted repository'}, not ${intent.repo}`);
  }
  const facts = commitFacts(deps);
  const work = deps.apps
    .filter((a) => sameRepo(a.repo, intent.repo))
    .flatMap((app) => app.environments.map((env) => ({ app, env })));
  // Environments are independent (their own namespaces, GitHub deployments and statuses): in parallel.
  result.environments = await Promise.all(
    work.map(({ app, env }) => {
      const image = intent.image ?? `${app.image}:${intent.sha}`;
      // The ingress checks this too; a queued intent from before a config change is checked again.
      if (!imageAllowed(image, [app.image, ...app.imageRepositories])) {
        const reason = `image ${image} is not in ${[app.image, ...app.imageRepositories].join(', ')}`;
        deps.logger.warn('release refused', { app: app.name, environment: env.name, sha: intent.sha, reason });
        return { app: app.name, environment: env.name, sha: intent.sha, action: 'refused', reason, deployments: [] };
      }
      const commit = {
        sha: intent.sha,
        image,
        eventTime: intent.eventTime,
        deliveryId: intent.deliveryId,
        ...(intent.source === 'ci_notification' ? { notified: intent.result } : {}),
      };
      return releaseCommit(deps, facts, app, env, commit, options);
    }),
  );
  return result;
}
