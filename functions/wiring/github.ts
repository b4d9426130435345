import { createGitHubScm } from '../../shared/adapters/github/github-scm.ts';
import type { ScmPort } from '../../shared/ports/scm.ts';
import { part } from './container.ts';
import { githubOptions } from './github-options.ts';

/**
 * GitHub from the environment: `GITHUB_TOKEN`, or `GITHUB_APP_ID` + `GITHUB_APP_PRIVATE_KEY` (the
 * secrets also as `<NAME>_SSM`, as serverless.yml sets them), and `GITHUB_API_URL` for GitHub
 * Enterprise Server or the local stand-in.
 */
export const github = part<ScmPort>('github', async ({ env, logger }) =>
  createGitHubScm(await githubOptions(env, logger)),
);
