import type { CommitChecks } from '../../../shared/domain/ci/ci-verdict.ts';
import type { CompareStatus } from '../../../shared/domain/ci/commit-order.ts';
import type { CommitReads } from '../../../shared/ports/scm.ts';

/**
 * In-memory twin of the commit reads (a Git history, checks per commit, branch rules, deployments),
 * answering as GitHub's compare does. Counts every read so cost can be asserted.
 */
export function fakeCommits() {
  const parents = new Map<string, string[]>();
  const branches = new Map<string, string>();
  const checks = new Map<string, CommitChecks>();
  const required = new Map<string, string[]>();
  const deployments: Array<{ sha: string; environment: string; id: number }> = [];
  const reads = { compare: 0, checks: 0, required: 0, deployments: 0 };

  const ancestors = (sha: string): Set<string> => {
    const seen = new Set<string>();
    const stack = [sha];
    while (stack.length > 0) {
      const next = stack.pop() as string;
      if (seen.has(next) || !parents.has(next)) continue;
      seen.add(next);
      stack.push(...(parents.get(next) ?? []));
    }
    return seen;
  };
  const resolve = (ref: string) => branches.get(ref) ?? (parents.has(ref) ? ref : null);

  const port: CommitReads = {
    async compareCommits(_repo, base, head) {
      reads.compare++;
      const b = resolve(base);
      const h = resolve(head);
      if (!b || !h) return null;
      const fromBase = ancestors(b);
      const fromHead = ancestors(h);
      const ahead = [...fromHead].some((c) => !fromBase.has(c));
      const behind = [...fromBase].some((c) => !fromHead.has(c));
      const status: CompareStatus = ahead && behind ? 'diverged' : ahead ? 'ahead' : behind ? 'behind' : 'identical';
      return status;
    },
    async getCommitChecks(_repo, sha) {
      reads.checks++;
      return checks.get(sha) ?? { checkRuns: [], statuses: [] };
    },
    async getRequiredChecks(_repo, branch) {
      reads.required++;
      return required.get(branch) ?? [];
    },
    async findDeployment(_repo, sha, environment) {
      reads.deployments++;
      return deployments.filter((d) => d.sha === sha && d.environment === environment).at(-1)?.id ?? null;
    },
  };

  return {
    port,
    reads,
    deployments,
    /** A commit on top of the branch head (the branch moves to it). */
    commit(branch: string, sha: string) {
      const head = branches.get(branch);
      parents.set(sha, head ? [head] : []);
      branches.set(branch, sha);
    },
    /** A commit that is on no branch of the repository (a fork's, or an unmerged PR's). */
    sideCommit(sha: string, parent: string) {
      parents.set(sha, [parent]);
    },
    green(sha: string, name = 'build') {
      checks.set(sha, { checkRuns: [{ name, status: 'completed', conclusion: 'success', url: null }], statuses: [] });
    },
    setChecks(sha: string, value: CommitChecks) {
      checks.set(sha, value);
    },
    require(branch: string, names: string[]) {
      required.set(branch, names);
    },
  };
}
