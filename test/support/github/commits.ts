/**
 * The stand-in's commit graph and the reads releases decide on, as GitHub documents them:
 * - `GET /repos/{o}/{r}/compare/{base}...{head}` (https://docs.github.com/rest/commits/commits#compare-two-commits):
 *   `status` ahead/behind/identical/diverged, `ahead_by`, `behind_by`, paginated `commits`; 404 for a ref
 *   GitHub does not know, 404 "No common ancestor" for unrelated histories.
 * - `GET /repos/{o}/{r}/branches/{branch}/protection/required_status_checks`
 *   (https://docs.github.com/rest/branches/branch-protection#get-status-checks-protection): 404 "Branch
 *   not protected", and 404 "Not Found" when the token may not read protection.
 * - `GET /repos/{o}/{r}/rules/branches/{branch}` (https://docs.github.com/rest/repos/rules#get-rules-for-a-branch):
 *   the active rules that apply to the branch, paginated.
 * - `GET /repos/{o}/{r}/actions/runs?head_sha=` (https://docs.github.com/rest/actions/workflow-runs#list-workflow-runs-for-a-repository).
 * - `GET /repos/{o}/{r}/branches/{branch}` (the head of a branch).
 * Commits live in one object network shared by a repository and its forks, as on GitHub: a fork's
 * commit is reachable by SHA through the base repository's API.
 */

type Json = Record<string, unknown>;
interface Routed {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}
type Pager = <T>(
  query: Record<string, string>,
  list: T[],
) => { items: T[]; link: (path: string) => Record<string, string> };
type Handler = (p: { repo: string; a: string; path: string; query: Record<string, string> }) => Routed;

const DOCS = 'https://docs.github.com/rest';

export interface RulesetSeed {
  /** Branch names (or `~DEFAULT_BRANCH`/`~ALL`) the ruleset targets. */
  branches: string[];
  requiredChecks: string[];
  /** Only `active` rulesets apply; `evaluate` and `disabled` do not. */
  enforcement?: 'active' | 'evaluate' | 'disabled';
}

export interface WorkflowRunSeed {
  name: string;
  status?: 'queued' | 'in_progress' | 'completed';
  conclusion?: string | null;
  event?: string;
  headBranch?: string;
  /** Repository the run's code came from (a fork for fork PRs); defaults to the repository. */
  headRepo?: string;
}

export interface CommitsControl {
  /** Records a commit with its parents (none: a root commit). */
  addCommit(sha: string, parents?: readonly string[]): void;
  /** Adds a commit on top of the branch's head and moves the branch to it (creates the branch if new). */
  commit(repo: string, branch: string, sha: string): void;
  setBranch(repo: string, branch: string, sha: string): void;
  protectBranch(repo: string, branch: string, required: { contexts?: string[]; checks?: string[] }): void;
  /** Makes branch protection unreadable (404), as for a token without the Administration permission. */
  hideProtection(repo: string): void;
  addRuleset(repo: string, ruleset: RulesetSeed): void;
  addWorkflowRun(repo: string, sha: string, run: WorkflowRunSeed): number;
}

interface WorkflowRunRecord extends Required<Omit<WorkflowRunSeed, 'conclusion'>> {
  id: number;
  repo: string;
  sha: string;
  conclusion: string | null;
}

export function createCommitsStandIn(api: () => string, page: Pager, nextId: () => number) {
  const parents = new Map<string, string[]>();
  const branches = new Map<string, Map<string, string>>();
  const protection = new Map<string, { contexts: string[]; checks: string[] }>();
  const hidden = new Set<string>();
  const rulesets = new Map<string, Array<RulesetSeed & { id: number }>>();
  const runs: WorkflowRunRecord[] = [];
  const key = (repo: string) => repo.toLowerCase();
  const branchesOf = (repo: string) => {
    const map = branches.get(key(repo)) ?? new Map<string, string>();
    branches.set(key(repo), map);
    return map;
  };

  const control: CommitsControl = {
    addCommit(sha, ps = []) {
      parents.set(sha, [...ps]);
    },
    commit(repo, branch, sha) {
      const head = branchesOf(repo).get(branch);
      parents.set(sha, head ? [head] : []);
      branchesOf(repo).set(branch, sha);
    },
    setBranch(repo, branch, sha) {
      branchesOf(repo).set(branch, sha);
    },
    protectBranch(repo, branch, required) {
      protection.set(`${key(repo)} ${branch}`, { contexts: required.contexts ?? [], checks: required.checks ?? [] });
    },
    hideProtection(repo) {
      hidden.add(key(repo));
    },
    addRuleset(repo, ruleset) {
      const list = rulesets.get(key(repo)) ?? [];
      list.push({ ...ruleset, id: nextId() });
      rulesets.set(key(repo), list);
    },
    addWorkflowRun(repo, sha, run) {
      const id = nextId();
      runs.push({
        id,
        repo,
        sha,
        name: run.name,
        status: run.status ?? (run.conclusion ? 'completed' : 'in_progress'),
        conclusion: run.conclusion ?? null,
        event: run.event ?? 'push',
        headBranch: run.headBranch ?? 'main',
        headRepo: run.headRepo ?? repo,
      });
      return id;
    },
  };

  function reset(): void {
    parents.clear();
    branches.clear();
    protection.clear();
    hidden.clear();
    rulesets.clear();
    runs.length = 0;
  }

  /** A branch name, a full SHA or an unambiguous prefix of at least 7 characters. */
  function resolve(repo: string, ref: string): string | null {
    const head = branchesOf(repo).get(ref);
    if (head) return head;
    if (parents.has(ref)) return ref;
    if (/^[0-9a-f]{7,39}$/.test(ref)) {
      const found = [...parents.keys()].filter((sha) => sha.startsWith(ref));
      if (found.length === 1) return found[0] ?? null;
    }
    return null;
  }

  /** Every commit reachable from sha, sha included. */
  function ancestors(sha: string): Set<string> {
    const seen = new Set<string>();
    const stack = [sha];
    while (stack.length > 0) {
      const next = stack.pop() as string;
      if (seen.has(next)) continue;
      seen.add(next);
      stack.push(...(parents.get(next) ?? []));
    }
    return seen;
  }

  const notFound = (message = 'Not Found'): Routed => ({
    status: 404,
    body: { message, documentation_url: DOCS, status: '404' },
  });

  const commitShape = (repo: string, sha: string): Json => ({
    sha,
    node_id: `C_${sha.slice(0, 12)}`,
    url: `${api()}/repos/${repo}/commits/${sha}`,
    html_url: `https://github.com/${repo}/commit/${sha}`,
    commit: { message: `commit ${sha.slice(0, 7)}`, tree: { sha: sha.split('').reverse().join('') } },
    parents: (parents.get(sha) ?? []).map((p) => ({ sha: p, url: `${api()}/repos/${repo}/commits/${p}` })),
  });

  const compare: Handler = ({ repo, a, path, query }) => {
    const basehead = decodeURIComponent(a);
    const dots = basehead.indexOf('...');
    if (dots < 0) return notFound();
    const baseRef = basehead.slice(0, dots);
    const headRef = basehead.slice(dots + 3);
    const base = resolve(repo, baseRef);
    const head = resolve(repo, headRef);
    if (!base || !head) return notFound();
    const fromBase = ancestors(base);
    const fromHead = ancestors(head);
    const common = [...fromHead].filter((c) => fromBase.has(c));
    if (common.length === 0) return notFound(`No common ancestor between ${baseRef} and ${headRef}.`);
    const ahead = [...fromHead].filter((c) => !fromBase.has(c));
    const behind = [...fromBase].filter((c) => !fromHead.has(c));
    const status =
      ahead.length === 0 && behind.length === 0
        ? 'identical'
        : behind.length === 0
          ? 'ahead'
          : ahead.length === 0
            ? 'behind'
            : 'diverged';
    // The merge base: a common ancestor none of whose descendants is common too.
    const mergeBase = common.find((c) => !common.some((o) => o !== c && ancestors(o).has(c))) ?? common[0]!;
    const listed = page(query, ahead.reverse());
    return {
      status: 200,
      body: {
        url: `${api()}/repos/${repo}/compare/${basehead}`,
        html_url: `https://github.com/${repo}/compare/${basehead}`,
        permalink_url: `https://github.com/${repo}/compare/${base}...${head}`,
        diff_url: `https://github.com/${repo}/compare/${basehead}.diff`,
        patch_url: `https://github.com/${repo}/compare/${basehead}.patch`,
        base_commit: commitShape(repo, base),
        merge_base_commit: commitShape(repo, mergeBase),
        status,
        ahead_by: ahead.length,
        behind_by: behind.length,
        total_commits: ahead.length,
        commits: listed.items.map((c) => commitShape(repo, c)),
        files: [],
      },
      headers: listed.link(path),
    };
  };

  const getBranch: Handler = ({ repo, a }) => {
    const name = decodeURIComponent(a);
    const sha = branchesOf(repo).get(name);
    if (!sha) return notFound('Branch not found');
    return {
      status: 200,
      body: { name, commit: commitShape(repo, sha), protected: protection.has(`${key(repo)} ${name}`) },
    };
  };

  const requiredStatusChecks: Handler = ({ repo, a }) => {
    if (hidden.has(key(repo))) return notFound();
    const branch = decodeURIComponent(a);
    const p = protection.get(`${key(repo)} ${branch}`);
    if (!p) return notFound('Branch not protected');
    const url = `${api()}/repos/${repo}/branches/${encodeURIComponent(branch)}/protection/required_status_checks`;
    const contexts = [...new Set([...p.contexts, ...p.checks])];
    return {
      status: 200,
      body: {
        url,
        strict: false,
        contexts,
        contexts_url: `${url}/contexts`,
        checks: [
          ...p.contexts.map((context) => ({ context, app_id: null })),
          ...p.checks.map((context) => ({ context, app_id: 15368 })),
        ],
      },
    };
  };

  const branchRules: Handler = ({ repo, a, path, query }) => {
    const branch = decodeURIComponent(a);
    const applies = (r: RulesetSeed) =>
      (r.enforcement ?? 'active') === 'active' &&
      r.branches.some((b) => b === branch || b === '~ALL' || (b === '~DEFAULT_BRANCH' && branch === 'main'));
    const rules = (rulesets.get(key(repo)) ?? []).filter(applies).map((r) => ({
      type: 'required_status_checks',
      parameters: {
        strict_required_status_checks_policy: false,
        do_not_enforce_on_create: false,
        required_status_checks: r.requiredChecks.map((context) => ({ context })),
      },
      ruleset_source_type: 'Repository',
      ruleset_source: repo,
      ruleset_id: r.id,
    }));
    const listed = page(query, rules);
    return { status: 200, body: listed.items, headers: listed.link(path) };
  };

  const workflowRuns: Handler = ({ repo, path, query }) => {
    const list = runs
      .filter((r) => r.repo.toLowerCase() === key(repo) && (query.head_sha === undefined || r.sha === query.head_sha))
      .filter((r) => query.status === undefined || r.status === query.status || r.conclusion === query.status)
      .reverse();
    const listed = page(query, list);
    return {
      status: 200,
      body: {
        total_count: list.length,
        workflow_runs: listed.items.map((r) => ({
          id: r.id,
          name: r.name,
          head_branch: r.headBranch,
          head_sha: r.sha,
          event: r.event,
          status: r.status,
          conclusion: r.conclusion,
          run_attempt: 1,
          html_url: `https://github.com/${repo}/actions/runs/${r.id}`,
          url: `${api()}/repos/${repo}/actions/runs/${r.id}`,
          repository: { full_name: repo },
          head_repository: { full_name: r.headRepo },
        })),
      },
      headers: listed.link(path),
    };
  };

  const R = '/repos/([^/]+/[^/]+)';
  const routes: Array<[string, RegExp, Handler]> = [
    ['GET', new RegExp(`^${R}/compare/(.+)$`), compare],
    ['GET', new RegExp(`^${R}/branches/(.+)/protection/required_status_checks$`), requiredStatusChecks],
    ['GET', new RegExp(`^${R}/branches/([^/]+)$`), getBranch],
    ['GET', new RegExp(`^${R}/rules/branches/(.+)$`), branchRules],
    ['GET', new RegExp(`^${R}/actions/runs$`), workflowRuns],
  ];
  return { routes, control, reset };
}
