import { describe, expect, it } from 'vitest';
import { deployCommit, handleCiResult, handlePush, releaseStatus } from '../../../shared/app/releases/index.ts';
import { AppSchema } from '../../../shared/config/schema.ts';
import type { CiResultIntent, PushIntent } from '../../../shared/domain/intents.ts';
import { TransientError } from '../../../shared/errors.ts';
import { silentLogger } from '../../../shared/ports/logger.ts';
import { deployment } from '../../support/releases/deployments.ts';
import { fakeReleaseCluster, recordingScm } from '../../support/releases/fakes.ts';

const [A, B, C, F] = ['a', 'b', 'c', 'f'].map((x) => x.repeat(40)) as [string, string, string, string];

function app(env: Record<string, unknown> = {}) {
  return AppSchema.parse({
    name: 'shop',
    repo: 'acme/shop',
    image: 'registry.example.com/shop',
    cluster: 'main',
    environments: [{ name: 'staging', branch: 'main', namespace: 'shop', deployments: [{ name: 'web' }], ...env }],
  });
}

const hint = (sha: string, extra: Partial<CiResultIntent> = {}): CiResultIntent => ({
  kind: 'ci_result',
  deliveryId: `d-${sha[0]}`,
  repo: 'acme/shop',
  eventTime: '2026-11-02T09:00:00Z',
  sha,
  branch: 'main',
  result: 'success',
  source: 'check_run',
  image: null,
  prs: [],
  url: null,
  name: 'build',
  ...extra,
});

/** main: A <- B <- C, all green; F is a fork's commit on top of A (its CI green too). */
function setup(env: Record<string, unknown> = {}) {
  const cluster = fakeReleaseCluster([deployment('web')]);
  const github = recordingScm();
  for (const sha of [A, B, C]) {
    github.commits.commit('main', sha);
    github.commits.green(sha);
  }
  github.commits.sideCommit(F, A);
  github.commits.green(F);
  const deps = {
    apps: [app(env)],
    cluster: async () => cluster.port,
    scm: github.scm,
    clock: { now: () => new Date('2026-11-02T10:00:00Z'), sleep: async () => {} },
    logger: silentLogger,
  };
  const image = () => cluster.get('web').containers[0]?.image;
  return { cluster, github, deps, image };
}

const actions = (r: { environments: { action: string; reason?: string }[] }) =>
  r.environments.map((e) => [e.action, e.reason]);

describe('what counts as tested', () => {
  it('waits while any check of the commit runs: a lone lint success is not a release', async () => {
    const { github, deps, image } = setup();
    github.commits.setChecks(A, {
      checkRuns: [
        { name: 'lint', status: 'completed', conclusion: 'success', url: null },
        { name: 'build', status: 'in_progress', conclusion: null, url: null },
      ],
      statuses: [],
    });
    expect(actions(await handleCiResult(deps, hint(A, { name: 'lint' })))).toEqual([
      ['waiting', 'waiting for checks: build'],
    ]);
    expect(image()).toBe('registry.example.com/web:old');
    expect(github.statuses).toEqual([]);
  });

  it('takes the branch rules as the required checks, and the config over both', async () => {
    const { github, deps, image } = setup();
    github.commits.setChecks(A, {
      checkRuns: [
        { name: 'build', status: 'completed', conclusion: 'success', url: null },
        { name: 'flaky', status: 'completed', conclusion: 'failure', url: null },
      ],
      statuses: [],
    });
    github.commits.require('main', ['build']);
    expect(actions(await handleCiResult(deps, hint(A)))).toEqual([['deployed', undefined]]);
    expect(image()).toBe(`registry.example.com/shop:${A}`);

    const strict = setup({ requiredChecks: ['build', 'e2e'] });
    strict.github.commits.require('main', ['build']);
    expect(actions(await handleCiResult(strict.deps, hint(A)))).toEqual([
      ['waiting', 'waiting for required checks: e2e'],
    ]);
  });

  it('never deploys a commit whose required check failed, and says so on the commit', async () => {
    const { github, deps, image } = setup();
    github.commits.setChecks(A, {
      checkRuns: [{ name: 'build', status: 'completed', conclusion: 'failure', url: 'https://ci.example.com/1' }],
      statuses: [],
    });
    // The event claims success; GitHub says the build failed.
    expect(actions(await handleCiResult(deps, hint(A)))).toEqual([['refused', 'check "build" failed']]);
    expect(image()).toBe('registry.example.com/web:old');
    expect(github.statuses).toEqual([
      expect.objectContaining({
        sha: A,
        context: 'switchyard/release/staging',
        state: 'failure',
        targetUrl: 'https://ci.example.com/1',
      }),
    ]);
  });
});

describe('only commits of the branch', () => {
  it('ignores events whose code came from another repository (a fork PR from its main)', async () => {
    const { deps, image, github } = setup();
    const result = await handleCiResult(deps, hint(F, { source: 'workflow_run', headRepo: 'forker/shop' }));
    expect(result).toMatchObject({ environments: [], ignored: expect.stringMatching(/forker\/shop/) });
    const deleted = await handleCiResult(deps, hint(F, { source: 'check_suite', headRepo: null }));
    expect(deleted.ignored).toMatch(/deleted repository/);
    expect(image()).toBe('registry.example.com/web:old');
    expect(github.commits.reads).toMatchObject({ compare: 0, checks: 0 });
  });

  it('refuses a green commit that is not on the branch, whatever branch the event names', async () => {
    const { deps, image, github } = setup();
    expect(actions(await handleCiResult(deps, hint(F, { source: 'check_suite' })))).toEqual([
      ['skipped', 'fffffff is not on main (diverged from its head)'],
    ]);
    expect(image()).toBe('registry.example.com/web:old');
    expect(github.deployments).toEqual([]);
    expect(github.statuses).toEqual([]);
  });
});

describe('commit order by ancestry', () => {
  it('never moves to an older commit, whatever the arrival order, and says why', async () => {
    const { deps, image, github } = setup();
    await handleCiResult(deps, hint(C, { eventTime: '2026-11-02T08:00:00Z' }));
    // A "newer" event for the older B: arrival and event time do not count.
    const late = await handleCiResult(deps, hint(B, { eventTime: '2026-11-02T11:00:00Z' }));
    expect(actions(late)).toEqual([
      ['refused', 'bbbbbbb is older than the released ccccccc; deploy it with switchyard release deploy'],
    ]);
    expect(image()).toBe(`registry.example.com/shop:${C}`);
    expect(github.statuses.filter((s) => s.sha === B)).toEqual([
      expect.objectContaining({
        state: 'failure',
        description: expect.stringMatching(/^Not deployed: bbbbbbb is older/),
      }),
    ]);
    expect((await releaseStatus(deps))[0]).toMatchObject({
      sha: C,
      refused: expect.stringMatching(/^bbbbbbb: .*older/),
    });
  });

  it('refuses a re-run on a commit released before without rewriting its status', async () => {
    const { deps, image, github } = setup();
    await handleCiResult(deps, hint(A));
    await handleCiResult(deps, hint(B));
    const statuses = github.statuses.length;
    expect(actions(await handleCiResult(deps, hint(A, { deliveryId: 'rerun' })))).toEqual([
      ['refused', expect.stringMatching(/aaaaaaa is older than the released bbbbbbb/)],
    ]);
    expect(image()).toBe(`registry.example.com/shop:${B}`);
    expect(github.statuses.length).toBe(statuses);
  });

  it('moves forward to a descendant and clears the refusal', async () => {
    const { deps, image } = setup();
    await handleCiResult(deps, hint(B));
    await handleCiResult(deps, hint(A));
    await handleCiResult(deps, hint(C));
    expect(image()).toBe(`registry.example.com/shop:${C}`);
    expect((await releaseStatus(deps))[0]?.refused).toBeUndefined();
  });

  it('leaves a GitHub outage to the retry: nothing changes, the error is retryable', async () => {
    const { deps, image } = setup();
    const down = async (): Promise<never> => {
      throw new TransientError('GitHub answered 502');
    };
    await expect(handleCiResult({ ...deps, scm: { ...deps.scm, compareCommits: down } }, hint(A))).rejects.toThrow(
      TransientError,
    );
    expect(image()).toBe('registry.example.com/web:old');
  });
});

describe('bounded cost', () => {
  it('30 check runs finishing one by one: a fixed number of reads each (branch, required checks, checks), one deployment, no duplicate status', async () => {
    const { deps, github } = setup();
    const runs = Array.from({ length: 30 }, (_, i) => ({
      name: `job-${i}`,
      status: 'in_progress',
      conclusion: null as string | null,
      url: null,
    }));
    for (let i = 0; i < 30; i++) {
      runs[i] = { ...runs[i]!, status: 'completed', conclusion: 'success' };
      github.commits.setChecks(A, { checkRuns: runs.map((r) => ({ ...r })), statuses: [] });
      await handleCiResult(deps, hint(A, { name: `job-${i}`, deliveryId: `d-${i}` }));
    }
    // Late duplicates after the release: no GitHub read at all.
    for (let i = 0; i < 5; i++) await handleCiResult(deps, hint(A, { deliveryId: `late-${i}` }));
    const { reads } = github.commits;
    expect(reads.checks).toBe(30);
    expect(reads.required).toBe(30);
    expect(reads.compare).toBe(30);
    expect(reads.deployments).toBe(1);
    expect(github.deployments).toHaveLength(1);
    expect(github.statuses.map((s) => s.state)).toEqual(['pending']);
  });
});

describe('pushes and the operator', () => {
  const push = (sha: string, branch = 'main'): PushIntent => ({
    kind: 'push',
    deliveryId: 'p-1',
    repo: 'acme/shop',
    eventTime: '2026-11-02T09:00:00Z',
    branch,
    before: A,
    after: sha,
    deleted: false,
  });

  it('releases a tested commit when it reaches the branch (merge queue), not on other branches', async () => {
    const { deps, image } = setup();
    expect((await handlePush(deps, push(C, 'feature'))).environments).toEqual([]);
    expect((await handlePush(deps, push(C))).environments.map((e) => e.action)).toEqual(['deployed']);
    expect(image()).toBe(`registry.example.com/shop:${C}`);
  });

  it('deploys an older commit only when an operator names it, after a dry run that changes nothing', async () => {
    const { deps, image, cluster } = setup();
    await handleCiResult(deps, hint(C));
    const writes = cluster.writes.length;
    const dry = await deployCommit(deps, 'shop', 'staging', A, { dryRun: true });
    expect(dry).toMatchObject({ action: 'planned', deployments: ['web'] });
    expect(cluster.writes.length).toBe(writes);
    expect(await deployCommit(deps, 'shop', 'staging', A)).toMatchObject({ action: 'deployed' });
    expect(image()).toBe(`registry.example.com/shop:${A}`);
    // Still only commits of the branch that passed their checks.
    expect(await deployCommit(deps, 'shop', 'staging', F)).toMatchObject({ action: 'skipped' });
    await expect(deployCommit(deps, 'shop', 'staging', 'abc1234')).rejects.toThrow(/full 40-character/);
  });
});
