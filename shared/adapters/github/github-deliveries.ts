import type { DeliveryDeployment } from '../../domain/delivery/delivery-record.ts';
import type { DeliveryRecordPort } from '../../ports/delivery-record.ts';
import { createOctokitFactory, type OctokitFactory, type OctokitOptions } from './create-octokit.ts';
import { mapGitHubError } from './map-github-error.ts';

/** Parallel requests per listing: enough to be quick, few enough to stay clear of GitHub's secondary limits. */
const CONCURRENCY = 4;

function split(repo: string): { owner: string; repo: string } {
  const [owner = '', name = ''] = repo.split('/');
  return { owner, repo: name };
}

/**
 * DeliveryRecordPort over the GitHub REST API: `GET /repos/{o}/{r}/deployments?environment=` (newest
 * first, 100 a page, read until a page reaches back past `since`), `GET .../deployments/{id}/statuses`
 * and `GET .../commits/{sha}` for the committer date. Commit dates never change, so they are kept for
 * the life of the container.
 * https://docs.github.com/en/rest/deployments/deployments#list-deployments
 */
export function createGitHubDeliveries(
  options: OctokitOptions,
  factory: OctokitFactory = createOctokitFactory(options),
): DeliveryRecordPort {
  const commitDates = new Map<string, string | null>();

  return {
    async listDeployments(repo, environment, since) {
      try {
        const o = await factory.forRepo(repo);
        const floor = since.getTime();
        const listed = await o.paginate(
          o.repos.listDeployments,
          { ...split(repo), environment, per_page: 100 },
          (response, done) => {
            const page = response.data.filter((d) => Date.parse(d.created_at) >= floor);
            // Newest first: once a page holds an older deployment, the next pages are older still.
            if (page.length < response.data.length) done();
            return page;
          },
        );
        return await mapLimit(listed, CONCURRENCY, async (d): Promise<DeliveryDeployment> => {
          const statuses = await o.paginate(o.repos.listDeploymentStatuses, {
            ...split(repo),
            deployment_id: d.id,
            per_page: 100,
          });
          const rollbackOf = rollbackOfPayload(d.payload);
          return {
            id: d.id,
            sha: d.sha,
            createdAt: d.created_at,
            ...(rollbackOf ? { rollbackOf } : {}),
            statuses: statuses.map((s) => ({ state: s.state, at: s.created_at, description: s.description ?? '' })),
            commitAt: await commitDate(repo, d.sha),
          };
        });
      } catch (error) {
        throw mapGitHubError(error, `list the deployments of ${environment}`);
      }
    },
  };

  async function commitDate(repo: string, sha: string): Promise<string | null> {
    const key = `${repo.toLowerCase()}@${sha}`;
    if (commitDates.has(key)) return commitDates.get(key) ?? null;
    const o = await factory.forRepo(repo);
    try {
      const { data } = await o.repos.getCommit({ ...split(repo), ref: sha, per_page: 1 });
      const date = data.commit.committer?.date ?? data.commit.author?.date ?? null;
      commitDates.set(key, date);
      return date;
    } catch (error) {
      // 422 "No commit found for SHA" (force-pushed away) or 404: the lead time of that one is unknown.
      const status = (error as { status?: number }).status;
      if (status === 404 || status === 422) {
        commitDates.set(key, null);
        return null;
      }
      throw error;
    }
  }
}

function rollbackOfPayload(payload: unknown): string | undefined {
  let value = payload;
  // GitHub returns the payload as given: an object, or a string when the creator sent JSON text.
  if (typeof value === 'string') {
    try {
      value = JSON.parse(value);
    } catch {
      return undefined;
    }
  }
  const of = (value as { rollbackOf?: unknown } | null)?.rollbackOf;
  return typeof of === 'string' && /^[0-9a-f]{40}$/.test(of) ? of : undefined;
}

/** Maps with at most `limit` calls in flight, keeping the order. */
async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}
