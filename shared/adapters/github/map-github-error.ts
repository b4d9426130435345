import { AuthError, ConflictError, NotFoundError, TransientError, ValidationError } from '../../errors.ts';

/** Turns an Octokit RequestError (or a network failure) into our taxonomy, keeping it as `cause`. */
export function mapGitHubError(error: unknown, what: string): Error {
  const status = (error as { status?: unknown }).status;
  const message = (error as Error).message ?? String(error);
  if (typeof status !== 'number')
    return new TransientError(`GitHub unreachable while trying to ${what}: ${message}`, { cause: error });
  if (status === 401)
    return new AuthError(`GitHub refused our credentials to ${what}: check GITHUB_TOKEN or the App key`, {
      cause: error,
    });
  if (status === 403 && /rate limit/i.test(message))
    return new TransientError(`GitHub rate limit while trying to ${what}`, { cause: error });
  if (status === 403)
    return new AuthError(
      `GitHub denied permission to ${what}: ${message} (check the token scopes or the App's permissions)`,
      { cause: error },
    );
  if (status === 404) return new NotFoundError(`GitHub has no such resource (${what})`, { cause: error });
  if (status === 409)
    return new ConflictError(`GitHub reported a conflict while trying to ${what}: ${message}`, { cause: error });
  if (status === 422)
    return new ValidationError(`GitHub rejected the request to ${what}: ${message}`, [], { cause: error });
  return new TransientError(`GitHub answered ${status} while trying to ${what}: ${message}`, { cause: error });
}

export function isNotFound(error: unknown): boolean {
  return (error as { status?: unknown }).status === 404;
}
