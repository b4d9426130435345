import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { type SeedPullRequest, startGitHubServer } from './server.ts';

/**
 * Starts the GitHub stand-in as a process (for the sandbox):
 *   node --experimental-strip-types test/support/github/main.ts [--port 0] [--seed pulls.json] [--bot login]
 * Prints one JSON line `{"url": ...}` on stdout once listening. Seed more PRs at runtime with
 * `POST <url>/_control/pulls`; inspect with `GET <url>/_control/state` and `/_control/calls`.
 */
const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '0' },
    seed: { type: 'string' },
    bot: { type: 'string' },
    token: { type: 'string', multiple: true },
  },
});

const pulls = values.seed ? (JSON.parse(readFileSync(values.seed, 'utf8')) as SeedPullRequest[]) : [];
const server = await startGitHubServer({
  port: Number(values.port),
  pulls,
  ...(values.bot ? { botLogin: values.bot } : {}),
  ...(values.token ? { tokens: values.token } : {}),
});
process.stdout.write(`${JSON.stringify({ url: server.url })}\n`);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    server.close().finally(() => process.exit(0));
  });
}
