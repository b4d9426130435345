import type { EnvironmentConfig } from '../../config/release-schema.ts';
import { CI_NOTIFICATION_CHECK, type CiVerdict, ciVerdict, type RequiredChecks } from '../../domain/ci/ci-verdict.ts';
import type { CompareStatus } from '../../domain/ci/commit-order.ts';
import { STATUS_CONTEXT_PREFIX } from '../../domain/naming.ts';
import type { ReleaseDeps } from './release-deps.ts';

/**
 * GitHub's answers about commits for one delivery, each asked at most once: environments bound to the
 * same branch share the required checks, the checks of the SHA and the comparisons (issue #10: a
 * bounded number of reads per delivery, however many environments).
 */
export interface CommitFacts {
  compare(repo: string, base: string, head: string): Promise<CompareStatus | null>;
  /** `notified`: the result of a signed CI notification carried by this delivery, if any. */
  verdict(repo: string, sha: string, env: EnvironmentConfig, notified?: 'success' | 'failure'): Promise<CiVerdict>;
}

export function commitFacts(deps: ReleaseDeps): CommitFacts {
  const memo = new Map<string, Promise<unknown>>();
  const once = <T>(key: string, read: () => Promise<T>): Promise<T> => {
    let value = memo.get(key) as Promise<T> | undefined;
    if (!value) {
      value = read();
      // A failed read is not remembered: the next caller asks again.
      value.catch(() => memo.delete(key));
      memo.set(key, value);
    }
    return value;
  };
  const ignored = [STATUS_CONTEXT_PREFIX, ...(deps.ignoreStatusContexts ?? [])];

  async function required(repo: string, env: EnvironmentConfig): Promise<RequiredChecks> {
    if (env.requiredChecks) return { source: 'config', names: env.requiredChecks };
    const names = await once(`required ${repo} ${env.branch}`, () => deps.scm.getRequiredChecks(repo, env.branch));
    return names.length > 0 ? { source: 'branch', names } : { source: 'all' };
  }

  return {
    compare: (repo, base, head) =>
      once(`compare ${repo} ${base}...${head}`, () => deps.scm.compareCommits(repo, base, head)),
    async verdict(repo, sha, env, notified) {
      const rule = await required(repo, env);
      // Workflow names can only be required by name in the config; otherwise skip the extra read.
      const workflows = rule.source === 'config';
      const checks = await once(`checks ${repo} ${sha} ${workflows}`, () =>
        deps.scm.getCommitChecks(repo, sha, { workflows }),
      );
      const withNotification = notified
        ? { ...checks, statuses: [...checks.statuses, { context: CI_NOTIFICATION_CHECK, state: notified, url: null }] }
        : checks;
      return ciVerdict(withNotification, rule, ignored);
    },
  };
}
