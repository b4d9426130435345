import { sameRepo } from '../naming.ts';

/** The configured spelling of a repository (matched ignoring case, as GitHub does), or null. */
export function configuredRepo(repos: Iterable<string>, repo: string): string | null {
  for (const r of repos) if (sameRepo(r, repo)) return r;
  return null;
}
