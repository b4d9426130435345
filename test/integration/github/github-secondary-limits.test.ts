import { afterEach, describe, expect, it } from 'vitest';
import { createGitHubScm } from '../../../shared/adapters/github/github-scm.ts';
import { silentLogger } from '../../../shared/ports/logger.ts';
import { type GitHubServer, startGitHubServer } from '../../support/github/index.ts';
import { createSecondaryLimits } from '../../support/github/secondary-limits.ts';

const REPO = 'acme/web';
const sha = (n: number) => n.toString(16).padStart(40, '0');

let gh: GitHubServer | undefined;
afterEach(async () => {
  await gh?.close();
  gh = undefined;
});

async function post(url: string, path: string): Promise<Response> {
  return fetch(`${url}${path}`, {
    method: 'POST',
    headers: { authorization: 'token t', 'content-type': 'application/json' },
    body: JSON.stringify({ state: 'success', context: 'ci' }),
  });
}

describe('GitHub stand-in: documented secondary limits', () => {
  it('refuses the 81st content-generating request of a minute with 403 and retry-after; reads go on', async () => {
    gh = await startGitHubServer({ tokens: ['t'] });
    for (let i = 1; i <= 80; i++) expect((await post(gh.url, `/repos/${REPO}/statuses/${sha(i)}`)).status).toBe(201);
    const refused = await post(gh.url, `/repos/${REPO}/statuses/${sha(81)}`);
    expect(refused.status).toBe(403);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(Number(refused.headers.get('retry-after'))).toBeLessThanOrEqual(60);
    expect(((await refused.json()) as { message: string }).message).toMatch(/secondary rate limit/);
    expect(gh.state.statuses).toHaveLength(80);
    const read = await fetch(`${gh.url}/repos/${REPO}/commits/${sha(1)}/statuses`, {
      headers: { authorization: 'token t' },
    });
    expect(read.status).toBe(200);
    expect(gh.limits?.refusals.map((r) => r.limit)).toEqual(['per-minute']);
  });

  it('allows 500 content-generating requests an hour, whatever the minute pacing', () => {
    let t = 0;
    const limits = createSecondaryLimits({ now: () => t });
    let admitted = 0;
    for (let i = 0; i < 600; i++) {
      t += 1000; // one a second: never over 80 a minute
      const gate = limits.enter('POST', '/repos/a/b/statuses/x');
      if ('release' in gate) {
        gate.release();
        admitted++;
      }
    }
    expect(admitted).toBe(500);
    expect(limits.refusals[0]).toMatchObject({ limit: 'per-hour' });
    // The wait asked for is until the oldest write of the hour leaves the window.
    expect(limits.refusals[0]?.retryAfterSeconds).toBe(3100);
  });

  it('allows 100 concurrent requests and refuses the 101st', () => {
    const limits = createSecondaryLimits();
    const open = Array.from({ length: 100 }, () => limits.enter('GET', '/repos/a/b/pulls/1'));
    expect(open.every((g) => 'release' in g)).toBe(true);
    expect('refusal' in limits.enter('GET', '/repos/a/b/pulls/1')).toBe(true);
    for (const g of open) if ('release' in g) g.release();
    expect('release' in limits.enter('GET', '/repos/a/b/pulls/1')).toBe(true);
    expect(limits.peakConcurrent()).toBe(100);
  });

  it('the production Octokit waits out a secondary limit and succeeds (plugin-throttling honours retry-after)', async () => {
    // The stand-in's clock runs 200 times faster, as the plugins' second is shrunk to 5 ms below.
    const t0 = Date.now();
    const fast = () => t0 + (Date.now() - t0) * 200;
    gh = await startGitHubServer({ tokens: ['t'], secondaryLimits: { perMinute: 2, now: fast } });
    const scm = createGitHubScm({
      auth: { kind: 'token', token: 't' },
      baseUrl: gh.url,
      logger: silentLogger,
      // retry-after is in seconds; shrink the unit so the test does not wait a minute.
      retryAfterBaseMs: 5,
    });
    // Another writer used up this minute's content creation.
    for (let i = 1; i <= 2; i++) expect((await post(gh.url, `/repos/${REPO}/statuses/${sha(i)}`)).status).toBe(201);
    const status = {
      repo: REPO,
      sha: sha(3),
      context: 'switchyard/preview',
      state: 'success',
      description: 'ok',
    } as const;
    await scm.postCommitStatus(status);
    expect(gh.state.statuses).toHaveLength(3);
    expect(gh.limits?.refusals.map((r) => r.limit)).toEqual(['per-minute']);
  });
});

describe('GitHub adapter: the preview write paths', () => {
  it('writeComment edits by id in one request, and finds or creates the comment when the id is gone', async () => {
    gh = await startGitHubServer({ tokens: ['t'], pulls: [{ repo: REPO, number: 5, headSha: sha(1) }] });
    const scm = createGitHubScm({
      auth: { kind: 'token', token: 't' },
      baseUrl: gh.url,
      logger: silentLogger,
      throttle: false,
    });
    const marker = '<!-- switchyard:preview:web -->';
    const id = await scm.writeComment(REPO, 5, marker, `${marker}\none`, null);
    gh.control.clearCalls();
    expect(await scm.writeComment(REPO, 5, marker, `${marker}\ntwo`, id)).toBe(id);
    expect(gh.calls.map((c) => `${c.method} ${c.path}`)).toEqual([`PATCH /repos/${REPO}/issues/comments/${id}`]);
    gh.state.comments.length = 0;
    const again = await scm.writeComment(REPO, 5, marker, `${marker}\nthree`, id);
    expect(again).not.toBe(id);
    expect(gh.state.comments.map((c) => c.body)).toEqual([`${marker}\nthree`]);
  });

  it('postCommitStatus posts without reading; findDeployment finds the newest deployment of a commit and environment', async () => {
    gh = await startGitHubServer({ tokens: ['t'] });
    const scm = createGitHubScm({
      auth: { kind: 'token', token: 't' },
      baseUrl: gh.url,
      logger: silentLogger,
      throttle: false,
    });
    await scm.postCommitStatus({
      repo: REPO,
      sha: sha(1),
      context: 'switchyard/preview',
      state: 'success',
      description: 'x'.repeat(200),
    });
    expect(gh.calls.map((c) => c.method)).toEqual(['POST']);
    expect(gh.state.statuses[0]?.description).toHaveLength(140);
    expect(await scm.findDeployment(REPO, sha(1), 'preview/web/pr-5')).toBeNull();
    const d = { repo: REPO, ref: sha(1), description: 'p', transient: true, production: false };
    await scm.createDeployment({ ...d, environment: 'preview/web/pr-5' });
    const newest = await scm.createDeployment({ ...d, environment: 'preview/web/pr-5' });
    await scm.createDeployment({ ...d, environment: 'preview/web/pr-6' });
    expect(await scm.findDeployment(REPO, sha(1), 'preview/web/pr-5')).toBe(newest);
  });
});
