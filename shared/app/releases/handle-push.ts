import type { PushIntent } from '../../domain/intents.ts';
import { sameRepo } from '../../domain/naming.ts';
import { commitFacts } from './commit-facts.ts';
import { type EnvironmentRelease, releaseCommit } from './release-commit.ts';
import type { ReleaseDeps, ReleaseRunOptions } from './release-deps.ts';

/**
 * A push moved an environment's branch: evaluate its new head. Checks that finished before the commit
 * reached the branch (a merge queue tests the very commit it then fast-forwards the branch to, and a
 * rebase-merge can land an already tested commit) send no further check event, so without this the
 * tested commit would wait for the next one. The push is a hint like any other: the verdict, the
 * branch and the order are still read from GitHub.
 */
export async function handlePush(
  deps: ReleaseDeps,
  intent: PushIntent,
  options: ReleaseRunOptions = {},
): Promise<{ sha: string; environments: EnvironmentRelease[] }> {
  const sha = intent.after;
  if (intent.deleted || !/^[0-9a-f]{40}$/.test(sha) || /^0+$/.test(sha)) return { sha, environments: [] };
  const facts = commitFacts(deps);
  const work = deps.apps
    .filter((a) => sameRepo(a.repo, intent.repo))
    .flatMap((app) => app.environments.filter((e) => e.branch === intent.branch).map((env) => ({ app, env })));
  const environments = await Promise.all(
    work.map(({ app, env }) =>
      releaseCommit(
        deps,
        facts,
        app,
        env,
        { sha, image: `${app.image}:${sha}`, eventTime: intent.eventTime, deliveryId: intent.deliveryId },
        options,
      ),
    ),
  );
  return { sha, environments };
}
