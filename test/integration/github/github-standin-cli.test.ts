import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { Octokit } from '@octokit/rest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/** The stand-in as a process, the way the sandbox starts it and drives it over HTTP. */

let child: ChildProcess;
let url: string;

beforeAll(async () => {
  child = spawn(
    process.execPath,
    [
      '--experimental-strip-types',
      '--no-warnings',
      resolve(import.meta.dirname, '../../support/github/main.ts'),
      '--bot',
      'sandbox[bot]',
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
  const [first] = (await once(lines, 'line')) as [string];
  url = (JSON.parse(first) as { url: string }).url;
});
afterAll(async () => {
  child.kill('SIGTERM');
  await once(child, 'exit');
});

describe('test/support/github/main.ts', () => {
  it('listens on loopback, takes seeds over /_control and answers real Octokit', async () => {
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const seeded = await fetch(`${url}/_control/pulls`, {
      method: 'POST',
      body: JSON.stringify({ repo: 'acme/web', number: 9, headSha: 'c'.repeat(40), title: 'Sandbox PR' }),
    });
    expect(seeded.status).toBe(201);

    const octokit = new Octokit({ baseUrl: url, auth: 'any' });
    const { data: pr } = await octokit.pulls.get({ owner: 'acme', repo: 'web', pull_number: 9 });
    expect(pr).toMatchObject({ number: 9, title: 'Sandbox PR', state: 'open', head: { sha: 'c'.repeat(40) } });
    await octokit.issues.createComment({ owner: 'acme', repo: 'web', issue_number: 9, body: 'hello' });

    const calls = (await (await fetch(`${url}/_control/calls`)).json()) as Array<{ method: string; path: string }>;
    expect(calls.map((c) => `${c.method} ${c.path}`)).toEqual([
      'GET /repos/acme/web/pulls/9',
      'POST /repos/acme/web/issues/9/comments',
    ]);
    const state = (await (await fetch(`${url}/_control/state`)).json()) as { comments: Array<{ author: string }> };
    expect(state.comments.map((c) => c.author)).toEqual(['sandbox[bot]']);
  });
});
