import { afterAll, beforeAll } from 'vitest';
import { type GitHubServer, startGitHubServer } from '../github/index.ts';

/**
 * One GitHub stand-in for a test file's tests, started before them and closed after them together
 * with the file's test namespaces. Read `.server` inside tests (it is set once the file starts).
 */
export function fileGitHub(namespaces: { cleanup(): Promise<void> }): { readonly server: GitHubServer } {
  let server: GitHubServer | undefined;
  beforeAll(async () => {
    server = await startGitHubServer();
  });
  afterAll(async () => {
    await server?.close();
    await namespaces.cleanup();
  });
  return {
    get server() {
      if (!server) throw new Error('the GitHub stand-in starts in beforeAll: read it inside a test');
      return server;
    },
  };
}
