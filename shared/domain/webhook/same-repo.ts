/**
 * GitHub repository names are case-insensitive (`Acme/Shop` is `acme/shop`): every comparison of
 * repository names goes through here.
 */
export function sameRepo(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

/** The configured spelling of a repository (matched ignoring case), or null when none is configured. */
export function configuredRepo(repos: Iterable<string>, repo: string): string | null {
  for (const r of repos) if (sameRepo(r, repo)) return r;
  return null;
}
