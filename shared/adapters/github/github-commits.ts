import type { CheckRunFact, CommitChecks, StatusFact, WorkflowRunFact } from '../../domain/ci/ci-verdict.ts';
import type { CompareStatus } from '../../domain/ci/commit-order.ts';
import type { CommitReads } from '../../ports/scm.ts';
import type { OctokitFactory, SwitchyardOctokit } from './create-octokit.ts';
import { mapGitHubError } from './map-github-error.ts';

const PAGE = 100;
const COMPARE_STATUSES: readonly string[] = ['ahead', 'behind', 'identical', 'diverged'];

function split(repo: string): { owner: string; repo: string } {
  const [owner = '', name = ''] = repo.split('/');
  return { owner, repo: name };
}

function statusOf(error: unknown): number | undefined {
  const status = (error as { status?: unknown }).status;
  return typeof status === 'number' ? status : undefined;
}

/** The commit reads of releases over the GitHub REST API; the errors are mapped to shared/errors.ts. */
export function createGitHubCommitReads(factory: OctokitFactory): CommitReads {
  async function call<T>(repo: string, what: string, fn: (o: SwitchyardOctokit) => Promise<T>): Promise<T> {
    try {
      return await fn(await factory.forRepo(repo));
    } catch (error) {
      throw mapGitHubError(error, `${what} on ${repo}`);
    }
  }

  return {
    compareCommits: (repo, base, head) =>
      call(repo, `compare ${base}...${head}`, async (o) => {
        try {
          // per_page 1: only `status` is needed, not the commit list (up to 250 commits otherwise).
          const { data } = await o.repos.compareCommitsWithBasehead({
            ...split(repo),
            basehead: `${base}...${head}`,
            per_page: 1,
          });
          return COMPARE_STATUSES.includes(data.status) ? (data.status as CompareStatus) : null;
        } catch (error) {
          // 404: a ref GitHub does not know here (or no access); 422: "No common ancestor" / bad ref.
          const status = statusOf(error);
          if (status === 404 || status === 422) return null;
          throw error;
        }
      }),

    getCommitChecks: (repo, sha, options = {}) =>
      call(repo, `read the checks of ${sha}`, async (o) => {
        const [runs, statuses, workflows] = await Promise.all([
          o.paginate(o.checks.listForRef, { ...split(repo), ref: sha, per_page: PAGE, filter: 'latest' }),
          combinedStatuses(o, repo, sha),
          options.workflows
            ? o.paginate(o.actions.listWorkflowRunsForRepo, { ...split(repo), head_sha: sha, per_page: PAGE })
            : Promise.resolve(undefined),
        ]);
        const checkRuns: CheckRunFact[] = runs.map((r) => ({
          name: r.name,
          status: r.status,
          conclusion: r.conclusion ?? null,
          url: r.details_url ?? r.html_url ?? null,
        }));
        const out: CommitChecks = { checkRuns, statuses };
        if (workflows) out.workflowRuns = latestWorkflowRuns(workflows, repo);
        return out;
      }),

    getRequiredChecks: (repo, branch) =>
      call(repo, `read the required checks of ${branch}`, async (o) => {
        const names = new Set<string>();
        try {
          const { data } = await o.repos.getStatusChecksProtection({ ...split(repo), branch });
          for (const c of data.contexts ?? []) names.add(c);
          for (const c of data.checks ?? []) names.add(c.context);
        } catch (error) {
          // 404: branch not protected, or protection not readable (it needs the Administration
          // permission; 403 for some tokens); rulesets below need only Metadata and still apply. A
          // rate limit is not an answer: it fails the read so the delivery is retried.
          const denied = statusOf(error) === 403 && !/rate limit/i.test((error as Error).message ?? '');
          if (statusOf(error) !== 404 && !denied) throw error;
        }
        try {
          const rules = await o.paginate(o.repos.getBranchRules, { ...split(repo), branch, per_page: PAGE });
          for (const rule of rules) {
            if (rule.type !== 'required_status_checks') continue;
            const params = (rule as { parameters?: { required_status_checks?: { context: string }[] } }).parameters;
            for (const c of params?.required_status_checks ?? []) names.add(c.context);
          }
        } catch (error) {
          if (statusOf(error) !== 404) throw error;
        }
        return [...names].sort();
      }),

    findDeployment: (repo, sha, environment) =>
      call(repo, `find the deployment of ${sha} to ${environment}`, async (o) => {
        // Newest first; one page is enough to know whether one exists.
        const { data } = await o.repos.listDeployments({ ...split(repo), sha, environment, per_page: 1 });
        return data[0]?.id ?? null;
      }),
  };
}

/** Latest status per context over every page (the combined status is an object, not a plain list). */
async function combinedStatuses(o: SwitchyardOctokit, repo: string, sha: string): Promise<StatusFact[]> {
  const out: StatusFact[] = [];
  for (let page = 1; ; page++) {
    const { data } = await o.repos.getCombinedStatusForRef({ ...split(repo), ref: sha, per_page: PAGE, page });
    for (const s of data.statuses) {
      out.push({ context: s.context, state: s.state as StatusFact['state'], url: s.target_url ?? null });
    }
    if (data.statuses.length < PAGE) return out;
  }
}

type ListedRun = {
  id: number;
  name?: string | null;
  status: string | null;
  conclusion: string | null;
  html_url: string;
  head_repository?: { full_name: string } | null;
};

/**
 * The newest run of each workflow, counting only runs whose code came from this repository (a fork's
 * `pull_request` run of the same commit is not the base repository's verdict).
 */
function latestWorkflowRuns(runs: readonly ListedRun[], repo: string): WorkflowRunFact[] {
  const newest = new Map<string, ListedRun>();
  for (const run of runs) {
    const name = run.name ?? '';
    const from = run.head_repository?.full_name;
    if (name === '' || (from !== undefined && from.toLowerCase() !== repo.toLowerCase())) continue;
    const seen = newest.get(name);
    if (!seen || run.id > seen.id) newest.set(name, run);
  }
  return [...newest.values()].map((r) => ({
    name: r.name ?? '',
    status: r.status ?? 'queued',
    conclusion: r.conclusion,
    url: r.html_url,
  }));
}
