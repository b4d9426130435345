import { generateKeyPairSync } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createGitHubScm, truncateDescription } from '../../../shared/adapters/github/github-scm.ts';
import { AuthError, ConflictError, ValidationError } from '../../../shared/errors.ts';
import { silentLogger } from '../../../shared/ports/logger.ts';
import type { ScmPort } from '../../../shared/ports/scm.ts';
import { type GitHubServer, startGitHubServer } from '../../support/github/index.ts';

const REPO = 'acme/web';
const SHA = 'a'.repeat(40);
const SHA2 = 'b'.repeat(40);
const IGNORE = ['switchyard/'] as const;

let gh: GitHubServer;
let scm: ScmPort;

function newScm(extra: Partial<Parameters<typeof createGitHubScm>[0]> = {}): ScmPort {
  return createGitHubScm({
    auth: { kind: 'token', token: 'test-token' },
    baseUrl: gh.url,
    logger: silentLogger,
    retryAfterBaseMs: 20,
    ...extra,
  });
}

beforeAll(async () => {
  gh = await startGitHubServer({ tokens: ['test-token'] });
});
afterAll(async () => {
  await gh.close();
});
beforeEach(() => {
  gh.control.reset();
  // Throttling stays on here to prove the plugins; writes are paced 1 s apart like on GitHub.
  scm = newScm();
});

describe('commit statuses', () => {
  it('truncates descriptions to 140 characters and skips an identical consecutive status', async () => {
    const long = 'x'.repeat(300);
    await scm.setCommitStatus({
      repo: REPO,
      sha: SHA,
      context: 'switchyard/preview',
      state: 'pending',
      description: long,
    });
    await scm.setCommitStatus({
      repo: REPO,
      sha: SHA,
      context: 'switchyard/preview',
      state: 'pending',
      description: long,
    });
    // A fresh process (another Lambda container) still sees the status on GitHub and does not repeat it.
    await newScm().setCommitStatus({
      repo: REPO,
      sha: SHA,
      context: 'switchyard/preview',
      state: 'pending',
      description: long,
    });

    expect(gh.state.statuses).toHaveLength(1);
    expect(gh.state.statuses[0]?.description).toHaveLength(140);
    expect(gh.state.statuses[0]?.description).toBe(truncateDescription(long));
    expect(gh.calls.filter((c) => c.method === 'POST')).toHaveLength(1);
  });

  it('posts again when another process changed the status in between', async () => {
    const other = newScm();
    const status = { repo: REPO, sha: SHA, context: 'switchyard/preview', description: 'x' } as const;
    await scm.setCommitStatus({ ...status, state: 'pending' });
    await other.setCommitStatus({ ...status, state: 'success' });
    await scm.setCommitStatus({ ...status, state: 'pending' });
    expect(gh.state.statuses.map((s) => s.state)).toEqual(['pending', 'success', 'pending']);
  });

  it('posts again when the state changes', async () => {
    await scm.setCommitStatus({
      repo: REPO,
      sha: SHA,
      context: 'switchyard/preview',
      state: 'pending',
      description: 'a',
    });
    await scm.setCommitStatus({
      repo: REPO,
      sha: SHA,
      context: 'switchyard/preview',
      state: 'success',
      description: 'a',
      targetUrl: 'https://pr-1.example.test',
    });
    expect(gh.state.statuses.map((s) => [s.state, s.targetUrl])).toEqual([
      ['pending', null],
      ['success', 'https://pr-1.example.test'],
    ]);
  });
});

describe('CI state', () => {
  it('is pending when nothing but our own contexts reported', async () => {
    gh.control.addStatus(REPO, SHA, 'switchyard/preview', 'failure');
    expect(await scm.getCiState(REPO, SHA, IGNORE)).toBe('pending');
  });

  it('combines statuses and check runs, ignoring ours', async () => {
    gh.control.addStatus(REPO, SHA, 'ci/build', 'success');
    gh.control.addStatus(REPO, SHA, 'switchyard/preview', 'failure');
    gh.control.addCheckRun(REPO, SHA, 'test', 'success');
    gh.control.addCheckRun(REPO, SHA, 'lint', 'skipped');
    expect(await scm.getCiState(REPO, SHA, IGNORE)).toBe('success');

    gh.control.addCheckRun(REPO, SHA, 'e2e', null);
    expect(await scm.getCiState(REPO, SHA, IGNORE)).toBe('pending');

    gh.control.addCheckRun(REPO, SHA, 'unit', 'failure');
    expect(await scm.getCiState(REPO, SHA, IGNORE)).toBe('failure');
  });

  it('reads past the first page of 100 contexts', async () => {
    for (let i = 0; i < 120; i++) gh.control.addStatus(REPO, SHA, `ci/shard-${i}`, 'success');
    gh.control.addStatus(REPO, SHA, 'ci/zz-last', 'failure');
    expect(await scm.getCiState(REPO, SHA, IGNORE)).toBe('failure');
  });
});

describe('status lookups', () => {
  it('reads one context and finds the link of the failing CI, ours ignored', async () => {
    gh.control.addStatus(REPO, SHA, 'switchyard/fork-approval', 'success');
    gh.control.addStatus(REPO, SHA, 'switchyard/preview', 'failure', 'https://ours.example.test');
    gh.control.addCheckRun(REPO, SHA, 'unit', 'failure', { detailsUrl: 'https://ci.example.test/unit/1' });
    expect(await scm.getStatusState?.(REPO, SHA, 'switchyard/fork-approval')).toBe('success');
    expect(await scm.getStatusState?.(REPO, SHA, 'nope')).toBeNull();
    expect(await scm.ciFailureUrl?.(REPO, SHA, IGNORE)).toBe('https://ci.example.test/unit/1');
    gh.control.addStatus(REPO, SHA, 'ci/build', 'error', 'https://ci.example.test/build/9');
    expect(await scm.ciFailureUrl?.(REPO, SHA, IGNORE)).toBe('https://ci.example.test/build/9');
  });
});

describe('deployments', () => {
  it('creates a transient deployment without auto-merge or required contexts, then posts its statuses', async () => {
    // A red context would make GitHub refuse the deployment (409) if required_contexts were omitted.
    gh.control.addStatus(REPO, SHA, 'ci/flaky', 'failure');
    const id = await scm.createDeployment({
      repo: REPO,
      ref: SHA,
      environment: 'preview/web/pr-1',
      description: 'Preview of PR #1',
      transient: true,
      production: false,
    });
    await scm.setDeploymentStatus({
      repo: REPO,
      deploymentId: id,
      state: 'success',
      description: 'y'.repeat(200),
      environmentUrl: 'https://pr-1.example.test',
    });

    const dep = gh.state.deployments[0];
    expect(dep).toMatchObject({ id, autoMerge: false, requiredContexts: [], transient: true, production: false });
    expect(gh.state.deploymentStatuses[0]).toMatchObject({
      deploymentId: id,
      state: 'success',
      environmentUrl: 'https://pr-1.example.test',
    });
    expect(gh.state.deploymentStatuses[0]?.description).toHaveLength(140);
  });
});

describe('the one PR comment', () => {
  it('is created once and then edited in place, never touching a human quote of it', async () => {
    gh.control.seedPullRequest({ repo: REPO, number: 7, headSha: SHA });
    const marker = '<!-- switchyard:preview:web -->';
    // 120 comments so the marker search has to page; one of them quotes our marker.
    for (let i = 0; i < 120; i++) {
      gh.state.comments.push({
        id: 10 + i,
        repo: REPO,
        issue: 7,
        body: i === 5 ? `> ${marker}\n> Preview ready` : `comment ${i}`,
        author: 'human',
        createdAt: '2026-01-01T00:00:00Z',
        updatedAt: '2026-01-01T00:00:00Z',
      });
    }
    await scm.upsertComment(REPO, 7, marker, `${marker}\nwaiting for CI`);
    await scm.upsertComment(REPO, 7, marker, `${marker}\npreview ready`);
    await scm.upsertComment(REPO, 7, marker, `${marker}\npreview ready`);

    const ours = gh.state.comments.filter((c) => c.author === 'switchyard[bot]');
    expect(ours).toHaveLength(1);
    expect(ours[0]?.body).toBe(`${marker}\npreview ready`);
    expect(gh.state.comments.find((c) => c.id === 15)?.body).toContain('> ');
    expect(gh.calls.filter((c) => c.method === 'POST').length).toBe(1);
    expect(gh.calls.filter((c) => c.method === 'PATCH').length).toBe(1);
  });
});

describe('pull requests, permissions and labels', () => {
  it('lists every open PR across pages and reads one', async () => {
    for (let i = 1; i <= 230; i++) {
      gh.control.seedPullRequest({ repo: REPO, number: i, headSha: SHA, state: i % 10 === 0 ? 'closed' : 'open' });
    }
    const open = await scm.listOpenPullRequests(REPO);
    expect(open).toHaveLength(207);
    expect(gh.calls.filter((c) => c.path === `/repos/${REPO}/pulls`)).toHaveLength(3);
    expect(await scm.getPullRequest(REPO, 3)).toMatchObject({ number: 3, state: 'open', headSha: SHA, baseRepo: REPO });
    expect(await scm.getPullRequest(REPO, 999)).toBeNull();
  });

  it('reads a fork PR, the permission and who applied a label', async () => {
    gh.control.seedPullRequest({ repo: REPO, number: 8, headSha: SHA2, headRepo: 'stranger/web', author: 'stranger' });
    gh.control.setPermission(REPO, 'maintainer', 'maintain');
    gh.control.label(REPO, 8, 'preview-fork-approved', 'stranger');
    gh.control.label(REPO, 8, 'preview-fork-approved', 'stranger', 'unlabeled');
    gh.control.label(REPO, 8, 'preview-fork-approved', 'maintainer');

    const pr = await scm.getPullRequest(REPO, 8);
    expect(pr?.headRepo).toBe('stranger/web');
    expect(pr?.labels).toEqual(['preview-fork-approved']);
    expect(await scm.whoLabeled(REPO, 8, 'preview-fork-approved')).toBe('maintainer');
    expect(await scm.whoLabeled(REPO, 8, 'other')).toBeNull();
    expect(await scm.getPermission(REPO, 'maintainer')).toBe('maintain');
    expect(await scm.getPermission(REPO, 'stranger')).toBe('none');
    expect(await scm.pullRequestsForCommit(REPO, SHA2)).toEqual([8]);
  });
});

describe('retries, throttling and errors', () => {
  it('retries 5xx answers', async () => {
    gh.control.seedPullRequest({ repo: REPO, number: 1, headSha: SHA });
    gh.control.serverError({ times: 2, status: 502, path: '/pulls/1' });
    expect((await scm.getPullRequest(REPO, 1))?.number).toBe(1);
    expect(gh.calls.filter((c) => c.path.endsWith('/pulls/1')).map((c) => c.status)).toEqual([502, 502, 200]);
  });

  it('waits out a secondary rate limit (403 and 429 with retry-after) and a primary one', async () => {
    gh.control.seedPullRequest({ repo: REPO, number: 1, headSha: SHA });
    gh.control.secondaryRateLimit({ times: 1, retryAfterSeconds: 1, status: 403, path: '/pulls/1' });
    gh.control.secondaryRateLimit({ times: 1, retryAfterSeconds: 1, status: 429, path: '/pulls/1' });
    gh.control.primaryRateLimit({ times: 1, resetInSeconds: 1, path: '/pulls/1' });
    expect((await scm.getPullRequest(REPO, 1))?.number).toBe(1);
    expect(gh.calls.filter((c) => c.path.endsWith('/pulls/1')).map((c) => c.status)).toEqual([403, 429, 403, 200]);
  });

  it('gives up on a rate limit longer than the Lambda can wait', async () => {
    const impatient = newScm({ maxRateLimitWaitSeconds: 1 });
    gh.control.seedPullRequest({ repo: REPO, number: 1, headSha: SHA });
    gh.control.secondaryRateLimit({ times: 1, retryAfterSeconds: 600, path: '/pulls/1' });
    await expect(impatient.getPullRequest(REPO, 1)).rejects.toMatchObject({ name: 'TransientError', retryable: true });
  });

  it('maps bad credentials, conflicts and validation errors into our taxonomy', async () => {
    const stranger = newScm({ auth: { kind: 'token', token: 'wrong' } });
    await expect(stranger.listOpenPullRequests(REPO)).rejects.toBeInstanceOf(AuthError);
    gh.control.fault({ method: 'POST', path: '/deployments', status: 409, body: { message: 'Conflict' } });
    await expect(
      scm.createDeployment({
        repo: REPO,
        ref: SHA,
        environment: 'e',
        description: 'd',
        transient: true,
        production: false,
      }),
    ).rejects.toBeInstanceOf(ConflictError);
    gh.control.fault({ method: 'POST', path: '/statuses/', status: 422, body: { message: 'Validation Failed' } });
    await expect(
      scm.setCommitStatus({ repo: REPO, sha: SHA2, context: 'switchyard/x', state: 'success', description: 'd' }),
    ).rejects.toBeInstanceOf(ValidationError);
  });
});

describe('GitHub App authentication', () => {
  it('looks up the installation per repository and uses its token', async () => {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const pem = privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
    gh.control.setInstallation(REPO, 42);
    gh.control.setInstallation('acme/api', 43);
    gh.control.seedPullRequest({ repo: REPO, number: 1, headSha: SHA });
    gh.control.seedPullRequest({ repo: 'acme/api', number: 2, headSha: SHA });
    const app = newScm({ auth: { kind: 'app', appId: 1, privateKey: pem } });

    expect((await app.getPullRequest(REPO, 1))?.number).toBe(1);
    expect((await app.getPullRequest(REPO, 1))?.number).toBe(1);
    expect((await app.getPullRequest('acme/api', 2))?.number).toBe(2);

    expect(gh.calls.filter((c) => c.path.endsWith('/installation')).map((c) => c.path)).toEqual([
      `/repos/${REPO}/installation`,
      '/repos/acme/api/installation',
    ]);
    expect(gh.calls.filter((c) => c.path.endsWith('/access_tokens')).map((c) => c.path)).toEqual([
      '/app/installations/42/access_tokens',
      '/app/installations/43/access_tokens',
    ]);
    const prCalls = gh.calls.filter((c) => c.path.includes('/pulls/'));
    expect(prCalls.every((c) => c.authorization?.startsWith('token ghs_standin'))).toBe(true);
  });
});
