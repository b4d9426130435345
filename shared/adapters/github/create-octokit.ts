import { createAppAuth } from '@octokit/auth-app';
import { retry } from '@octokit/plugin-retry';
import { throttling } from '@octokit/plugin-throttling';
import { Octokit } from '@octokit/rest';
import type { LoggerPort } from '../../ports/logger.ts';

export type GitHubAuth =
  | { kind: 'token'; token: string }
  /** A GitHub App: the installation is looked up per repository unless given. */
  | { kind: 'app'; appId: string | number; privateKey: string; installationId?: number };

export interface OctokitOptions {
  auth: GitHubAuth;
  /** GITHUB_API_URL (GitHub Enterprise or a local stand-in); the caller reads the environment. */
  baseUrl?: string;
  logger: LoggerPort;
  /**
   * Client-side pacing of writes (1 s apart, comments 3 s: GitHub's secondary-limit advice, enforced by
   * @octokit/plugin-throttling). Off only in local tests and benchmarks where there is no GitHub to protect.
   */
  throttle?: boolean;
  /** Retries for 5xx and network errors (plugin-retry; 4xx other than 429 are never retried). */
  retries?: number;
  /** Longest a rate-limit answer may make us wait before giving up (a Lambda has a deadline). */
  maxRateLimitWaitSeconds?: number;
  /** Base unit of the plugins' backoff and retry-after waits (1000 = seconds; tests shrink it). */
  retryAfterBaseMs?: number;
  userAgent?: string;
}

export const SwitchyardOctokit = Octokit.plugin(throttling, retry);
export type SwitchyardOctokit = InstanceType<typeof SwitchyardOctokit>;

/** Builds the Octokit for one repository: a token client, or the App installation's client. */
export interface OctokitFactory {
  forRepo(repo: string): Promise<SwitchyardOctokit>;
  /** Login our writes appear under (`<slug>[bot]` for an App), or null when GitHub will not say. */
  botLogin(): Promise<string | null>;
}

export function createOctokitFactory(options: OctokitOptions): OctokitFactory {
  const maxWait = options.maxRateLimitWaitSeconds ?? 60;
  const maxRateLimitRetries = 3;
  const base = {
    ...(options.baseUrl ? { baseUrl: options.baseUrl.replace(/\/+$/, '') } : {}),
    userAgent: options.userAgent ?? 'switchyard',
    log: {
      debug: () => {},
      info: () => {},
      warn: (message: string) => options.logger.warn(message),
      error: (message: string) => options.logger.error(message),
    },
    retry: {
      // plugin-retry's list plus 409: a deployment conflict (failed contexts, merge conflict) will not heal in seconds.
      doNotRetry: [400, 401, 403, 404, 409, 410, 422, 451],
      ...(options.retries !== undefined ? { retries: options.retries } : {}),
      ...(options.retryAfterBaseMs !== undefined ? { retryAfterBaseValue: options.retryAfterBaseMs } : {}),
    },
    throttle: {
      enabled: options.throttle ?? true,
      ...(options.retryAfterBaseMs !== undefined ? { retryAfterBaseValue: options.retryAfterBaseMs } : {}),
      onRateLimit: (retryAfter: number, request: { method: string; url: string }, _o: unknown, retryCount: number) => {
        options.logger.warn('GitHub rate limit reached', {
          retryAfter,
          method: request.method,
          url: request.url,
          retryCount,
        });
        return retryCount < maxRateLimitRetries && retryAfter <= maxWait;
      },
      onSecondaryRateLimit: (
        retryAfter: number,
        request: { method: string; url: string },
        _o: unknown,
        retryCount: number,
      ) => {
        options.logger.warn('GitHub secondary rate limit reached', {
          retryAfter,
          method: request.method,
          url: request.url,
          retryCount,
        });
        return retryCount < maxRateLimitRetries && retryAfter <= maxWait;
      },
    },
  };

  const auth = options.auth;
  // GitHub counts secondary limits per user or installation: each installation gets its own pacing
  // queue (plugin-throttling keys its limiters by `throttle.id`), shared by every client of it in the
  // process, so one installation's backlog never delays another's writes.
  const paced = (id: string) => ({ ...base, throttle: { ...base.throttle, id } });
  if (auth.kind === 'token') {
    const client = new SwitchyardOctokit({ ...paced('token'), auth: auth.token });
    let login: Promise<string | null> | undefined;
    return {
      forRepo: async () => client,
      botLogin: () => {
        login ??= client.users.getAuthenticated().then(
          (r) => r.data.login,
          () => null,
        );
        return login;
      },
    };
  }

  const appAuth = { appId: auth.appId, privateKey: auth.privateKey };
  const appClient = new SwitchyardOctokit({ ...base, authStrategy: createAppAuth, auth: appAuth });
  const installations = new Map<string, Promise<number>>();
  const clients = new Map<number, SwitchyardOctokit>();
  let login: Promise<string | null> | undefined;

  async function installationFor(repo: string): Promise<number> {
    if (auth.kind === 'app' && auth.installationId !== undefined) return auth.installationId;
    const key = repo.toLowerCase();
    let found = installations.get(key);
    if (!found) {
      const [owner = '', name = ''] = repo.split('/');
      found = appClient.apps.getRepoInstallation({ owner, repo: name }).then((r) => r.data.id);
      // A failed lookup must not be cached: the App may be installed a minute later.
      found.catch(() => installations.delete(key));
      installations.set(key, found);
    }
    return found;
  }

  return {
    async forRepo(repo) {
      const installationId = await installationFor(repo);
      let client = clients.get(installationId);
      if (!client) {
        // auth-app caches the installation token and renews it before its one-hour expiry.
        client = new SwitchyardOctokit({
          ...paced(`installation-${installationId}`),
          authStrategy: createAppAuth,
          auth: { ...appAuth, installationId },
        });
        clients.set(installationId, client);
      }
      return client;
    },
    botLogin: () => {
      login ??= appClient.apps.getAuthenticated().then(
        (r) => (r.data?.slug ? `${r.data.slug}[bot]` : null),
        () => null,
      );
      return login;
    },
  };
}
