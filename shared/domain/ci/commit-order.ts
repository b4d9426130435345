/**
 * Commit order by ancestry, never by arrival time. GitHub's compare API answers, for
 * `compare/{base}...{head}`, `identical`, `ahead` (head has commits base lacks, and none the other way),
 * `behind` or `diverged` (https://docs.github.com/rest/commits/commits#compare-two-commits).
 */
export type CompareStatus = 'ahead' | 'behind' | 'identical' | 'diverged';

/**
 * `compare(branchHead...sha)`: the commit is on the branch when it is the head or an ancestor of it.
 * null: GitHub does not know the commit in this repository.
 */
export function onBranchReason(status: CompareStatus | null, sha: string, branch: string): string | null {
  if (status === 'identical' || status === 'behind') return null;
  if (status === null) return `${sha.slice(0, 7)} is not on ${branch} (GitHub knows no such commit or branch)`;
  return `${sha.slice(0, 7)} is not on ${branch} (${status === 'ahead' ? 'ahead of' : 'diverged from'} its head)`;
}

export type OrderDecision = { deploy: true } | { deploy: false; reason: string; already?: boolean };

/** `compare(released...candidate)`: deploy only a descendant of what runs. */
export function releaseOrder(status: CompareStatus | null, candidate: string, released: string): OrderDecision {
  const c = candidate.slice(0, 7);
  const r = released.slice(0, 7);
  switch (status) {
    case 'ahead':
      return { deploy: true };
    case 'identical':
      return { deploy: false, already: true, reason: `${c} is already released here` };
    case 'behind':
      return {
        deploy: false,
        reason: `${c} is older than the released ${r}; deploy it with switchyard release deploy`,
      };
    case 'diverged':
      return {
        deploy: false,
        reason: `${c} has diverged from the released ${r}; deploy it with switchyard release deploy`,
      };
    default:
      return { deploy: false, reason: `GitHub cannot order ${c} against the released ${r}` };
  }
}
