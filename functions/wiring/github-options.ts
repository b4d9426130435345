import type { OctokitOptions } from '../../shared/adapters/github/create-octokit.ts';
import { resolveSecret } from '../../shared/adapters/ssm/ssm-secrets.ts';
import { ValidationError } from '../../shared/errors.ts';
import type { LoggerPort } from '../../shared/ports/logger.ts';

/**
 * Octokit options from the environment: `GITHUB_TOKEN`, or `GITHUB_APP_ID` + `GITHUB_APP_PRIVATE_KEY`
 * (each also as `<NAME>_SSM`), `GITHUB_API_URL` for GitHub Enterprise or the local stand-in, and
 * `SWITCHYARD_GITHUB_THROTTLE=off` for no client-side write pacing (the stand-in has no limits).
 */
/**
 * Whether this function was given a GitHub credential. The status page is not by default (it writes
 * nothing to GitHub): its Delivery section then stays off instead of failing on every refresh.
 */
export function hasGitHubCredential(env: NodeJS.ProcessEnv): boolean {
  return ['GITHUB_TOKEN', 'GITHUB_TOKEN_SSM', 'GITHUB_APP_ID'].some((name) => Boolean(env[name]));
}

export async function githubOptions(env: NodeJS.ProcessEnv, logger: LoggerPort): Promise<OctokitOptions> {
  const baseUrl = env['GITHUB_API_URL'] || undefined;
  const throttle = env['SWITCHYARD_GITHUB_THROTTLE'] !== 'off';
  const common = { logger, throttle, ...(baseUrl ? { baseUrl } : {}) };
  const appId = await resolveSecret(env, 'GITHUB_APP_ID');
  if (appId) {
    const privateKey = await resolveSecret(env, 'GITHUB_APP_PRIVATE_KEY');
    if (!privateKey) throw new ValidationError('GITHUB_APP_ID is set but GITHUB_APP_PRIVATE_KEY is not');
    return { ...common, auth: { kind: 'app', appId, privateKey: privateKey.replace(/\\n/g, '\n') } };
  }
  const token = await resolveSecret(env, 'GITHUB_TOKEN');
  if (!token) throw new ValidationError('set GITHUB_TOKEN, or GITHUB_APP_ID and GITHUB_APP_PRIVATE_KEY');
  return { ...common, auth: { kind: 'token', token } };
}
