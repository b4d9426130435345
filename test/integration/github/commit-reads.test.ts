import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createGitHubScm } from '../../../shared/adapters/github/github-scm.ts';
import { AuthError } from '../../../shared/errors.ts';
import { silentLogger } from '../../../shared/ports/logger.ts';
import type { ScmPort } from '../../../shared/ports/scm.ts';
import { type GitHubServer, startGitHubServer } from '../../support/github/index.ts';

const REPO = 'acme/web';
const [A, B, C, F, X] = ['a', 'b', 'c', 'f', 'e'].map((x) => x.repeat(40)) as [string, string, string, string, string];

let gh: GitHubServer;
let scm: ScmPort;

beforeAll(async () => {
  gh = await startGitHubServer({ tokens: ['test-token'] });
});
afterAll(async () => {
  await gh.close();
});
beforeEach(() => {
  gh.control.reset();
  scm = createGitHubScm({
    auth: { kind: 'token', token: 'test-token' },
    baseUrl: gh.url,
    logger: silentLogger,
    throttle: false,
    retries: 0,
  });
  // main: A <- B <- C; a fork's commit F on top of B; X unrelated (another root).
  gh.control.git.commit(REPO, 'main', A);
  gh.control.git.commit(REPO, 'main', B);
  gh.control.git.commit(REPO, 'main', C);
  gh.control.git.addCommit(F, [B]);
  gh.control.git.addCommit(X);
});

describe('compareCommits (GET /repos/{o}/{r}/compare/{base}...{head})', () => {
  it.each([
    ['main', C, 'identical'],
    ['main', A, 'behind'],
    [A, C, 'ahead'],
    [C, A, 'behind'],
    ['main', F, 'diverged'],
    [B, F, 'ahead'],
  ] as const)('%s...%s is %s', async (base, head, status) => {
    expect(await scm.compareCommits(REPO, base, head)).toBe(status);
  });

  it('answers null for a ref GitHub does not know, or unrelated histories (404)', async () => {
    expect(await scm.compareCommits(REPO, 'main', '0'.repeat(40))).toBeNull();
    expect(await scm.compareCommits(REPO, 'no-such-branch', C)).toBeNull();
    expect(await scm.compareCommits(REPO, 'main', X)).toBeNull();
    expect(gh.calls.filter((c) => c.path.includes('/compare/')).map((c) => c.status)).toEqual([404, 404, 404]);
  });

  it('asks for one commit per page: only the status is needed', async () => {
    await scm.compareCommits(REPO, A, C);
    expect(gh.calls.at(-1)).toMatchObject({ path: `/repos/${REPO}/compare/${A}...${C}`, query: { per_page: '1' } });
  });

  it('maps a refused token to AuthError, never to "not on the branch"', async () => {
    gh.control.fault({ path: '/compare/', status: 403, body: { message: 'Resource not accessible by integration' } });
    await expect(scm.compareCommits(REPO, 'main', C)).rejects.toBeInstanceOf(AuthError);
  });
});

describe('getCommitChecks', () => {
  it('reads every page of check runs (latest per name) and of statuses', async () => {
    for (let i = 0; i < 130; i++) gh.control.addCheckRun(REPO, C, `job-${i}`, 'success');
    gh.control.addCheckRun(REPO, C, 'job-0', 'failure'); // a re-run: the newest counts
    for (let i = 0; i < 105; i++) gh.control.addStatus(REPO, C, `ctx-${i}`, 'success');
    const checks = await scm.getCommitChecks(REPO, C);
    expect(checks.checkRuns).toHaveLength(130);
    expect(checks.checkRuns.find((r) => r.name === 'job-0')?.conclusion).toBe('failure');
    expect(checks.statuses).toHaveLength(105);
    expect(checks.workflowRuns).toBeUndefined();
    expect(gh.calls.filter((c) => c.path.endsWith('/check-runs')).length).toBe(2);
  });

  it('reads workflow runs only when asked, newest per workflow, not those of a fork', async () => {
    gh.control.git.addWorkflowRun(REPO, C, { name: 'CI', conclusion: 'failure' });
    gh.control.git.addWorkflowRun(REPO, C, { name: 'CI', conclusion: 'success' });
    gh.control.git.addWorkflowRun(REPO, C, { name: 'Deploy docs', status: 'in_progress' });
    gh.control.git.addWorkflowRun(REPO, C, { name: 'Fork CI', conclusion: 'success', headRepo: 'forker/web' });
    const checks = await scm.getCommitChecks(REPO, C, { workflows: true });
    expect(checks.workflowRuns?.map((w) => [w.name, w.status, w.conclusion]).sort()).toEqual([
      ['CI', 'completed', 'success'],
      ['Deploy docs', 'in_progress', null],
    ]);
  });
});

describe('getRequiredChecks', () => {
  it('joins branch protection and active rulesets for the branch', async () => {
    gh.control.git.protectBranch(REPO, 'main', { contexts: ['ci/jenkins'], checks: ['build'] });
    gh.control.git.addRuleset(REPO, { branches: ['~DEFAULT_BRANCH'], requiredChecks: ['lint', 'build'] });
    gh.control.git.addRuleset(REPO, { branches: ['main'], requiredChecks: ['e2e'], enforcement: 'evaluate' });
    gh.control.git.addRuleset(REPO, { branches: ['release'], requiredChecks: ['other'] });
    expect(await scm.getRequiredChecks(REPO, 'main')).toEqual(['build', 'ci/jenkins', 'lint']);
  });

  it('reads rulesets when protection is absent (404 Branch not protected) or not readable (404)', async () => {
    expect(await scm.getRequiredChecks(REPO, 'main')).toEqual([]);
    gh.control.git.protectBranch(REPO, 'main', { checks: ['build'] });
    gh.control.git.hideProtection(REPO);
    gh.control.git.addRuleset(REPO, { branches: ['~ALL'], requiredChecks: ['lint'] });
    expect(await scm.getRequiredChecks(REPO, 'main')).toEqual(['lint']);
    expect(gh.calls.filter((c) => c.path.includes('/protection/')).map((c) => c.status)).toEqual([404, 404]);
  });

  it('never mistakes a rate limit on branch protection for "no protection"', async () => {
    gh.control.git.protectBranch(REPO, 'main', { checks: ['build'] });
    gh.control.primaryRateLimit({ path: '/protection/', times: 10, resetInSeconds: 3600 });
    await expect(scm.getRequiredChecks(REPO, 'main')).rejects.toMatchObject({ retryable: true });
    gh.control.reset();
    gh.control.fault({
      path: '/protection/',
      status: 403,
      body: { message: 'Resource not accessible by integration' },
    });
    gh.control.git.addRuleset(REPO, { branches: ['main'], requiredChecks: ['lint'] });
    expect(await scm.getRequiredChecks(REPO, 'main')).toEqual(['lint']);
  });

  it('encodes branch names with slashes', async () => {
    gh.control.git.protectBranch(REPO, 'release/v1', { checks: ['build'] });
    expect(await scm.getRequiredChecks(REPO, 'release/v1')).toEqual(['build']);
  });
});

describe('findDeployment', () => {
  it('finds the newest deployment of a SHA to an environment, or null', async () => {
    expect(await scm.findDeployment(REPO, C, 'web/staging')).toBeNull();
    const id = await scm.createDeployment({
      repo: REPO,
      ref: C,
      environment: 'web/staging',
      description: 'x',
      transient: false,
      production: false,
    });
    expect(await scm.findDeployment(REPO, C, 'web/staging')).toBe(id);
    expect(await scm.findDeployment(REPO, C, 'web/production')).toBeNull();
  });
});
