import { createGitHubScm } from '../../shared/adapters/github/github-scm.ts';
import { resolveSecret } from '../../shared/adapters/ssm/ssm-secrets.ts';
import { ValidationError } from '../../shared/errors.ts';
import type { ScmPort } from '../../shared/ports/scm.ts';
import { part } from './container.ts';

/**
 * GitHub from the environment: `GITHUB_TOKEN`, or `GITHUB_APP_ID` + `GITHUB_APP_PRIVATE_KEY` (the
 * secrets also as `<NAME>_SSM`, as serverless.yml sets them), and `GITHUB_API_URL` for GitHub
 * Enterprise Server or the local stand-in.
 */
export const github = part<ScmPort>('github', async ({ env, logger }) => {
  const baseUrl = env['GITHUB_API_URL'] || undefined;
  const appId = await resolveSecret(env, 'GITHUB_APP_ID');
  // SWITCHYARD_GITHUB_THROTTLE=off: no client-side write pacing (the local stand-in has no limits to respect).
  const throttle = env['SWITCHYARD_GITHUB_THROTTLE'] !== 'off';
  const common = { logger, throttle, ...(baseUrl ? { baseUrl } : {}) };
  if (appId) {
    const privateKey = await resolveSecret(env, 'GITHUB_APP_PRIVATE_KEY');
    if (!privateKey) throw new ValidationError('GITHUB_APP_ID is set but GITHUB_APP_PRIVATE_KEY is not');
    return createGitHubScm({ ...common, auth: { kind: 'app', appId, privateKey: privateKey.replace(/\\n/g, '\n') } });
  }
  const token = await resolveSecret(env, 'GITHUB_TOKEN');
  if (!token) throw new ValidationError('set GITHUB_TOKEN, or GITHUB_APP_ID and GITHUB_APP_PRIVATE_KEY');
  return createGitHubScm({ ...common, auth: { kind: 'token', token } });
});
