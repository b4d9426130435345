import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createHandler as ciNotificationHandler } from '../../../functions/ci-notification.ts';
import { createHandler as githubWebhookHandler } from '../../../functions/github-webhook.ts';
import { createHandler as workerHandler } from '../../../functions/pipeline-worker.ts';
import { createGitHubScm } from '../../../shared/adapters/github/github-scm.ts';
import type { DispatchOutcome } from '../../../shared/app/dispatch-intents.ts';
import { handleCiResult, handlePush, type ReleaseDeps, releaseStatus } from '../../../shared/app/releases/index.ts';
import { AppSchema } from '../../../shared/config/schema.ts';
import { silentLogger } from '../../../shared/ports/logger.ts';
import { ciNotification, githubDelivery, TEST_CI_SECRET, TEST_GITHUB_SECRET } from '../../support/api-gateway-event.ts';
import { type GitHubServer, startGitHubServer } from '../../support/github/index.ts';
import { deployment } from '../../support/releases/deployments.ts';
import { fakeReleaseCluster } from '../../support/releases/fakes.ts';
import { webhookExamples } from '../../support/webhook-examples.ts';

/**
 * Real payloads (`@octokit/webhooks-examples`) retargeted at acme/shop, signed and sent through the
 * ingress handlers, handed to the worker handler, released through the GitHub adapter over HTTP to the
 * stand-in; the cluster is the in-memory twin (test/cluster/releases covers the API server).
 */
const REPO = 'acme/shop';
const IMAGE = 'registry.example.com/shop';
const [A, B, C, D, F, Q] = ['a1', 'b2', 'c3', 'd4', 'f5', 'e6'].map((x) => x.repeat(20)) as [
  string,
  string,
  string,
  string,
  string,
  string,
];

let github: GitHubServer;
let cluster: ReturnType<typeof fakeReleaseCluster>;
let deps: ReleaseDeps;
let outcomes: DispatchOutcome[];
let deliveries = 0;

const app = AppSchema.parse({
  name: 'shop',
  repo: REPO,
  image: IMAGE,
  cluster: 'main',
  environments: [
    { name: 'production', branch: 'main', namespace: 'shop', production: true, deployments: [{ name: 'web' }] },
  ],
});

beforeAll(async () => {
  github = await startGitHubServer();
});
afterAll(async () => {
  await github?.close();
});
beforeEach(() => {
  github.control.reset();
  cluster = fakeReleaseCluster([deployment('web')]);
  outcomes = [];
  deps = {
    apps: [app],
    cluster: async () => cluster.port,
    scm: createGitHubScm({
      auth: { kind: 'token', token: 't' },
      baseUrl: github.url,
      logger: silentLogger,
      throttle: false,
      retries: 0,
    }),
    clock: { now: () => new Date(), sleep: async () => {} },
    logger: silentLogger,
  };
  // main: A <- B <- C <- D; F is a fork's commit on top of B; Q a merge-queue commit on top of D.
  for (const sha of [A, B, C, D]) github.control.git.commit(REPO, 'main', sha);
  github.control.git.addCommit(F, [B]);
  github.control.git.addCommit(Q, [D]);
});

const worker = () =>
  workerHandler({
    handlers: {
      ci_result: [{ name: 'releases', run: (i) => handleCiResult(deps, i) }],
      push: [{ name: 'releases', run: (i) => handlePush(deps, i) }],
    },
    logger: silentLogger,
  });
const invoker = { invokeAsync: async (_fn: string, payload: unknown) => void outcomes.push(await worker()(payload)) };
const ingress = {
  invoker,
  workerFunctionName: 'worker',
  logger: silentLogger,
  now: () => new Date(),
};

async function deliver(event: string, payload: Record<string, unknown>) {
  const res = await githubWebhookHandler({
    ...ingress,
    secrets: [TEST_GITHUB_SECRET],
    repos: new Set([REPO]),
    ignoreStatusContexts: [],
  })(githubDelivery(event, payload, { deliveryId: `delivery-${++deliveries}` }) as never);
  return res as { statusCode: number; body: string };
}

function example(event: string, pick: (p: Record<string, unknown>) => boolean = () => true) {
  const payload = webhookExamples(event).find(pick);
  if (!payload) throw new Error(`no ${event} example`);
  (payload['repository'] as Record<string, unknown>)['full_name'] = REPO;
  return payload;
}

function checkRun(sha: string, name: string, conclusion: string) {
  const p = example('check_run', (x) => x['action'] === 'completed');
  Object.assign(p['check_run'] as object, { head_sha: sha, name, conclusion, status: 'completed', pull_requests: [] });
  Object.assign((p['check_run'] as Record<string, unknown>)['check_suite'] as object, { head_branch: 'main' });
  return p;
}

function workflowRun(sha: string, headRepo: string) {
  const p = example('workflow_run', (x) => x['action'] === 'completed');
  Object.assign(p['workflow_run'] as object, {
    head_sha: sha,
    head_branch: 'main',
    conclusion: 'success',
    status: 'completed',
    head_repository: {
      ...((p['workflow_run'] as Record<string, object>)['head_repository'] ?? {}),
      full_name: headRepo,
    },
    pull_requests: [],
  });
  return p;
}

const running = () => cluster.get('web').containers[0]?.image;
const green = (sha: string, ...names: string[]) => {
  for (const name of names) github.control.addCheckRun(REPO, sha, name, 'success');
};

describe('GitHub events are hints; GitHub decides (real payloads through ingress and worker)', () => {
  it('does not release on a lint-only success, and releases once every check of the commit passed', async () => {
    github.control.addCheckRun(REPO, D, 'lint', 'success');
    github.control.addCheckRun(REPO, D, 'build', null);
    expect((await deliver('check_run', checkRun(D, 'lint', 'success'))).statusCode).toBe(202);
    expect(outcomes[0]?.handled[0]?.result).toMatchObject({ environments: [{ action: 'waiting' }] });
    expect(running()).toBe('registry.example.com/web:old');

    github.control.addCheckRun(REPO, D, 'build', 'success');
    await deliver('check_run', checkRun(D, 'build', 'success'));
    expect(running()).toBe(`${IMAGE}:${D}`);
    expect(github.state.deployments.map((d) => [d.sha, d.environment])).toEqual([[D, 'shop/production']]);
  });

  it('never releases a fork PR opened from the fork main (workflow_run and check_suite)', async () => {
    green(F, 'build');
    const wf = await deliver('workflow_run', workflowRun(F, 'forker/shop'));
    expect(wf.statusCode).toBe(202);
    expect(outcomes[0]?.handled[0]?.result).toMatchObject({ ignored: expect.stringMatching(/forker\/shop/) });

    // check_suite carries no head_repository: GitHub's history says F is not on main.
    const suite = example('check_suite', (x) => x['action'] === 'completed');
    Object.assign(suite['check_suite'] as object, {
      head_sha: F,
      head_branch: 'main',
      conclusion: 'success',
      pull_requests: [],
    });
    await deliver('check_suite', suite);
    expect(outcomes[1]?.handled[0]?.result).toMatchObject({
      environments: [{ action: 'skipped', reason: 'f5f5f5f is not on main (diverged from its head)' }],
    });
    expect(running()).toBe('registry.example.com/web:old');
    expect(github.state.deployments).toEqual([]);
  });

  it('keeps the newer commit when an older one finishes late (status) or is re-run (workflow_run)', async () => {
    green(C, 'build');
    green(B, 'build');
    await deliver('check_run', checkRun(C, 'build', 'success'));
    expect(running()).toBe(`${IMAGE}:${C}`);

    const status = example('status');
    Object.assign(status, {
      sha: B,
      state: 'success',
      context: 'ci/late',
      branches: [],
      updated_at: new Date().toISOString(),
    });
    github.control.addStatus(REPO, B, 'ci/late', 'success');
    await deliver('status', status);
    expect(outcomes.at(-1)?.handled[0]?.result).toMatchObject({
      environments: [
        { action: 'refused', reason: expect.stringMatching(/b2b2b2b is older than the released c3c3c3c/) },
      ],
    });

    await deliver('workflow_run', workflowRun(B, REPO));
    expect(running()).toBe(`${IMAGE}:${C}`);
    expect((await releaseStatus(deps))[0]).toMatchObject({ sha: C, refused: expect.stringMatching(/^b2b2b2b/) });
    expect(github.state.statuses.filter((s) => s.sha === B && s.context === 'switchyard/release/production')).toEqual([
      expect.objectContaining({ state: 'failure' }),
    ]);
  });

  it('ignores merge_group and the queue branch push, and releases the queued commit when it lands on main', async () => {
    green(Q, 'build');
    const group = example('merge_group');
    Object.assign(group['merge_group'] as object, { head_sha: Q });
    const queued = await deliver('merge_group', group);
    expect(JSON.parse(queued.body)).toMatchObject({ status: 'ignored' });

    const push = example('push', (x) => String(x['ref']).startsWith('refs/heads/'));
    Object.assign(push, { ref: 'refs/heads/gh-readonly-queue/main/pr-7-abc', after: Q, before: D, deleted: false });
    expect(JSON.parse((await deliver('push', push)).body)).toMatchObject({ status: 'ignored' });
    expect(running()).toBe('registry.example.com/web:old');

    // The queue fast-forwards main to the tested commit: no check event follows, the push is the hint.
    github.control.git.setBranch(REPO, 'main', Q);
    Object.assign(push, { ref: 'refs/heads/main' });
    await deliver('push', push);
    expect(running()).toBe(`${IMAGE}:${Q}`);
  });
});

describe('CI notifications (signed with a timestamp)', () => {
  const body = (sha: string, image = `${IMAGE}:${sha}`) => ({
    repo: REPO,
    sha,
    branch: 'main',
    image,
    result: 'success',
    url: 'https://ci.example.com/1',
  });
  const notify = (event: ReturnType<typeof ciNotification>) =>
    ciNotificationHandler({ ...ingress, secrets: [TEST_CI_SECRET], apps: [app] })(event as never) as Promise<{
      statusCode: number;
      body: string;
    }>;

  it('releases from a fresh notification, and refuses the same notification replayed a day later', async () => {
    const fresh = await notify(ciNotification(body(D)));
    expect(fresh.statusCode).toBe(202);
    expect(running()).toBe(`${IMAGE}:${D}`);

    const dayOld = ciNotification(body(C), { timestamp: Math.floor(Date.now() / 1000) - 86_400 });
    const replay = await notify(dayOld);
    expect(replay.statusCode).toBe(401);
    expect(JSON.parse(replay.body).error).toMatch(/86400 s old/);
    expect(running()).toBe(`${IMAGE}:${D}`);
  });

  it('refuses a foreign image with 400 and deploys nothing', async () => {
    const res = await notify(ciNotification(body(D, 'docker.io/someone/else:latest')));
    expect(res.statusCode).toBe(400);
    expect(outcomes).toEqual([]);
    expect(running()).toBe('registry.example.com/web:old');
  });
});
