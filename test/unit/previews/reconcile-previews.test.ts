import { describe, expect, it } from 'vitest';
import { handleCiResult, handlePullRequest, reconcilePreviews } from '../../../shared/app/previews/index.ts';
import { PREVIEW_STATUS_CONTEXT } from '../../../shared/domain/naming.ts';
import { lostAccess, refused } from '../../../shared/ports/in-memory-scm.ts';
import { REPO, sha, startTwins, ZONE } from '../../support/previews/twin-deps.ts';

/**
 * The failure cases of "every failure repaired by the next run", on the twins: each fault is injected,
 * then the same event is retried or the schedule runs, and the preview must end complete.
 */

const A = sha('a');
const B = sha('b');
const HOST = (pr: number) => `pr-${pr}.web.preview.example.test`;
const LEASE = 10 * 60_000;

async function deploy(t: ReturnType<typeof startTwins>, pr: number, head: string) {
  await handlePullRequest(t.deps, t.openPr(pr, head));
  return handleCiResult(t.deps, t.ciPassed(pr, head));
}

function expectComplete(t: ReturnType<typeof startTwins>, pr: number, head: string) {
  const r = t.record(pr);
  expect(r).toMatchObject({ headSha: head, deployedSha: head, reportedSha: head, rollout: 'complete' });
  expect(t.cluster.objectKeys(t.namespace(pr))).toEqual([
    'apps/v1 Deployment web',
    'networking.k8s.io/v1 Ingress web',
    'v1 ConfigMap web-config',
    'v1 LimitRange preview-limits',
    'v1 ResourceQuota preview-quota',
    'v1 Service web',
  ]);
  expect(t.scm.latestStatus(REPO, head, PREVIEW_STATUS_CONTEXT)?.state).toBe('success');
  // Exactly one deployment of the commit, and every deployment of the preview has a status.
  const mine = t.scm.deployments.filter((d) => d.environment.endsWith(`pr-${pr}`));
  expect(mine.filter((d) => d.ref === head)).toHaveLength(1);
  for (const d of mine) expect(d.statuses.length).toBeGreaterThan(0);
  expect(mine.find((d) => d.ref === head)?.statuses.at(-1)?.state).toBe('success');
  expect(r?.deploymentId).toBe(mine.find((d) => d.ref === head)?.id);
}

describe('previews: every failure is repaired by the next run', () => {
  it('a DNS fault during the deploy is repaired by the retry, not taken for "already deployed"', async () => {
    const t = startTwins({ dns: true });
    await handlePullRequest(t.deps, t.openPr(1, A));
    const ci = t.ciPassed(1, A);
    t.dns.fail('upsertOwnedRecord');
    await expect(handleCiResult(t.deps, ci)).rejects.toThrow(/Route 53/);
    // Lambda's retry of the same event.
    await handleCiResult(t.deps, ci);
    expect(await t.dns.getRecord({ zoneId: ZONE, name: HOST(1), type: 'CNAME' })).toMatchObject({
      values: ['lb.example.test'],
    });
    expectComplete(t, 1, A);
  });

  it('a DNS record lost after the deploy is put back by the schedule', async () => {
    const t = startTwins({ dns: true });
    await deploy(t, 2, A);
    t.dns.drop({ zoneId: ZONE, name: HOST(2), type: 'CNAME' });
    const run = await reconcilePreviews(t.deps);
    expect(run.repaired.map((r) => r.done)).toEqual([[{ kind: 'ensure-dns', host: HOST(2), written: true }]]);
    expect(await t.dns.getRecord({ zoneId: ZONE, name: HOST(2), type: 'CNAME' })).not.toBeNull();
    // Nothing left: the next run only reads.
    expect(await reconcilePreviews(t.deps)).toMatchObject({ repaired: [], checked: 1 });
  });

  it('GitHub failing after the objects were applied: the retry reports once, no orphaned deployment', async () => {
    const t = startTwins();
    await handlePullRequest(t.deps, t.openPr(3, A));
    const ci = t.ciPassed(3, A);
    t.scm.fail('setDeploymentStatus');
    await expect(handleCiResult(t.deps, ci)).rejects.toThrow(/502/);
    await handleCiResult(t.deps, ci);
    expectComplete(t, 3, A);
  });

  it('a claimed namespace left empty by three failed attempts is applied and reported by the schedule', async () => {
    const t = startTwins();
    await handlePullRequest(t.deps, t.openPr(4, A));
    const ci = t.ciPassed(4, A);
    t.cluster.fail('applyObjects', 3);
    for (let i = 0; i < 3; i++) await expect(handleCiResult(t.deps, ci)).rejects.toThrow(/unreachable/);
    expect(t.record(4)).toMatchObject({ headSha: A, deployedSha: null });
    expect(t.cluster.objectKeys(t.namespace(4))).toEqual([]);
    // No GitHub deployment was left in `error` (or without status) by the failed attempts.
    expect(t.scm.deployments).toEqual([]);

    // Inside the last worker's lease the schedule leaves the claim alone...
    expect((await reconcilePreviews(t.deps)).repaired).toEqual([]);
    // ...after it, the schedule finishes the deploy.
    t.clock.advance(LEASE);
    const run = await reconcilePreviews(t.deps);
    expect(run.repaired[0]?.done).toMatchObject([{ kind: 'deploy', result: { outcome: 'ready' } }]);
    expectComplete(t, 4, A);
  });

  it('a retried deploy reuses the deployment the failed attempt created', async () => {
    const t = startTwins();
    await handlePullRequest(t.deps, t.openPr(5, A));
    const ci = t.ciPassed(5, A);
    t.scm.fail('writeComment');
    await expect(handleCiResult(t.deps, ci)).rejects.toThrow(/502/);
    expect(t.scm.deployments).toHaveLength(1);
    await handleCiResult(t.deps, ci);
    expect(t.scm.deployments).toHaveLength(1);
    expectComplete(t, 5, A);
    // The status was not posted twice for the same outcome once recorded.
    await handleCiResult(t.deps, ci);
    expect(t.scm.statuses.filter((s) => s.sha === A && s.state === 'success')).toHaveLength(2);
  });

  it('a comment left stale by a failed write (and no retry left) is rewritten by the schedule', async () => {
    const t = startTwins();
    await deploy(t, 14, A);
    await handlePullRequest(t.deps, t.openPr(14, B));
    const before = t.scm.comments.find((c) => c.pr === 14)?.body;
    t.scm.fail('writeComment');
    await expect(handleCiResult(t.deps, t.ciPassed(14, B))).rejects.toThrow(/502/);
    // The comment still describes the old commit; no event is coming back for this one.
    expect(t.scm.comments.find((c) => c.pr === 14)?.body).toBe(before);
    // The failed attempt's claim was complete up to the comment: after its lease, the schedule reports again.
    t.clock.advance(LEASE);
    await reconcilePreviews(t.deps);
    expectComplete(t, 14, B);
    const after = t.scm.comments.filter((c) => c.pr === 14);
    expect(after).toHaveLength(1);
    expect(after[0]?.body).toContain(B.slice(0, 7));
    expect(after[0]?.body).not.toBe(before);
  });

  it('teardown marks inactive the deployment an unfinished claim created, and the recorded one', async () => {
    const t = startTwins();
    await deploy(t, 6, A);
    await handlePullRequest(t.deps, t.openPr(6, B));
    const ci = t.ciPassed(6, B);
    t.scm.fail('writeComment');
    await expect(handleCiResult(t.deps, ci)).rejects.toThrow(/502/);
    expect(t.scm.deployments.map((d) => d.ref)).toEqual([A, B]);
    await handlePullRequest(t.deps, t.openPr(6, B, { state: 'closed' }));
    for (const d of t.scm.deployments) expect(d.statuses.at(-1)?.state).toBe('inactive');
    expect(t.record(6)?.deleting).toBe(true);
  });

  it('a 404 on the PR read (access lost) keeps the preview: on a webhook and on the schedule', async () => {
    const t = startTwins();
    await deploy(t, 7, A);
    const closed = { ...t.openPr(7, A), action: 'closed' as const };
    t.scm.pulls.clear();
    const out = await handlePullRequest(t.deps, closed);
    expect(out.previews[0]?.plan.skipped).toMatch(/unknown/);
    t.scm.fail('listOpenPullRequests', 1, refused('list open PRs'));
    t.scm.fail('getPullRequest', 1, lostAccess('read PR #7'));
    const run = await reconcilePreviews(t.deps);
    expect(run.unknown).toEqual([{ app: 'web', pr: 7, reason: 'GitHub did not show the pull request' }]);
    expect(t.record(7)?.deleting).toBe(false);
    expect(t.cluster.calls.filter((c) => c.method === 'deleteNamespace')).toEqual([]);
  });

  it('only a PR GitHub reports closed is torn down by the schedule (a lost close event)', async () => {
    const t = startTwins();
    await deploy(t, 8, A);
    t.openPr(8, A, { state: 'closed', merged: true });
    const run = await reconcilePreviews(t.deps);
    expect(run.repaired[0]?.done).toMatchObject([{ kind: 'teardown' }]);
    expect(t.record(8)?.deleting).toBe(true);
    expect(t.scm.deployments[0]?.statuses.at(-1)?.state).toBe('inactive');
    expect(t.scm.commentOf(REPO, 8)).toMatch(/Removed/);
  });

  it('a head whose CI passed without us hearing of it is deployed by the schedule', async () => {
    const t = startTwins();
    await deploy(t, 9, A);
    t.openPr(9, B);
    t.scm.setCi(REPO, B, 'pending');
    expect((await reconcilePreviews(t.deps)).repaired).toEqual([]);
    t.scm.setCi(REPO, B, 'success');
    await reconcilePreviews(t.deps);
    expectComplete(t, 9, B);
    expect(t.scm.deployments.find((d) => d.ref === A)?.statuses.at(-1)?.state).toBe('inactive');
  });

  it('stops at the repair budget and the deadline; the next run carries on', async () => {
    const t = startTwins({ dns: true });
    for (const pr of [11, 12, 13]) await deploy(t, pr, A);
    for (const pr of [11, 12, 13]) t.dns.drop({ zoneId: ZONE, name: HOST(pr), type: 'CNAME' });
    const first = await reconcilePreviews(t.deps, { maxRepairs: 2 });
    expect(first.repaired.map((r) => r.pr)).toEqual([11, 12]);
    expect(first.deferred).toEqual([{ app: 'web', pr: 13, steps: ['ensure-dns'] }]);
    const late = await reconcilePreviews(t.deps, { deadline: t.clock.now().getTime() - 1 });
    expect(late.repaired).toEqual([]);
    expect(late.deferred.map((d) => d.pr)).toEqual([11, 12, 13]);
    expect((await reconcilePreviews(t.deps)).repaired.map((r) => r.pr)).toEqual([13]);
  });

  it('one preview failing does not stop the others', async () => {
    const t = startTwins({ dns: true });
    for (const pr of [21, 22]) await deploy(t, pr, A);
    for (const pr of [21, 22]) t.dns.drop({ zoneId: ZONE, name: HOST(pr), type: 'CNAME' });
    t.dns.fail('upsertOwnedRecord');
    const run = await reconcilePreviews(t.deps);
    expect(run.failures.map((f) => f.pr)).toEqual([21]);
    expect(run.repaired.map((r) => r.pr)).toEqual([22]);
  });

  it('a dry run prints the objects, the DNS change and the GitHub writes, and changes nothing', async () => {
    const t = startTwins({ dns: true });
    await handlePullRequest(t.deps, t.openPr(30, A));
    const writes = t.scm.writes();
    const out = await handleCiResult(t.deps, t.ciPassed(30, A), { dryRun: true });
    expect(out.previews[0]?.changes).toEqual([
      'Kubernetes: create namespace pr-30-web for aaaaaaa',
      'Kubernetes: apply ResourceQuota/preview-quota',
      'Kubernetes: apply LimitRange/preview-limits',
      'Kubernetes: apply ConfigMap/web-config',
      'Kubernetes: apply Service/web',
      'Kubernetes: apply Deployment/web',
      'Kubernetes: apply Ingress/web',
      `DNS: UPSERT CNAME ${HOST(30)} -> lb.example.test (TTL 60)`,
      'GitHub: commit status success or failure on aaaaaaa once the rollout finished',
      'GitHub: deployment and its status, previous deployment inactive, PR comment',
    ]);
    expect(t.scm.writes()).toBe(writes);
    expect(t.cluster.namespaces.size).toBe(0);
    expect(t.dns.records.size).toBe(0);
  });
});

describe('previews: what a deploy costs', () => {
  it('posts the commit status first and makes at most 6 GitHub calls per deploy', async () => {
    const t = startTwins();
    await handlePullRequest(t.deps, t.openPr(40, A));
    t.scm.calls.length = 0;
    await handleCiResult(t.deps, t.ciPassed(40, A));
    expect(t.scm.calls[0]).toBe('getPullRequest');
    expect(t.scm.calls[1]).toBe('postCommitStatus');
    expect(t.scm.calls.length).toBeLessThanOrEqual(6);

    // A second commit: the comment id and the last status are known, the old deployment goes inactive.
    await handlePullRequest(t.deps, t.openPr(40, B));
    t.scm.calls.length = 0;
    await handleCiResult(t.deps, t.ciPassed(40, B));
    expect(t.scm.calls).toEqual([
      'getPullRequest',
      'postCommitStatus',
      'createDeployment',
      'setDeploymentStatus',
      'setDeploymentStatus',
      'writeComment',
    ]);
  });

  it('prunes by the recorded objects: none listed, a removed template deleted by name', async () => {
    const t = startTwins();
    await deploy(t, 41, A);
    const templates = t.deps.templates as import('../../../shared/ports/in-memory-templates.ts').InMemoryTemplates;
    const files = templates.folders.get('previews/web') ?? [];
    templates.folders.set(
      'previews/web',
      files.filter((f) => f.name !== 'ingress.yaml'),
    );
    await handlePullRequest(t.deps, t.openPr(41, B));
    const out = await handleCiResult(t.deps, t.ciPassed(41, B));
    expect(out.previews[0]?.done).toMatchObject([{ kind: 'deploy', result: { pruned: ['Ingress/web'] } }]);
    expect(t.record(41)?.objects).not.toContain('networking.k8s.io/v1 Ingress web');
  });
});

describe('previews: teardown keeps its record until GitHub was told', () => {
  it('GitHub failing during a teardown leaves the namespace, and the next run finishes it', async () => {
    const t = startTwins({ dns: true });
    await deploy(t, 50, A);
    t.openPr(50, A, { state: 'closed' });
    t.scm.fail('writeComment');
    const first = await reconcilePreviews(t.deps);
    expect(first.failures.map((f) => f.pr)).toEqual([50]);
    expect(t.record(50)?.deleting).toBe(false);
    await reconcilePreviews(t.deps);
    expect(t.record(50)?.deleting).toBe(true);
    expect(t.scm.commentOf(REPO, 50)).toMatch(/Removed/);
    expect(await t.dns.getRecord({ zoneId: ZONE, name: HOST(50), type: 'CNAME' })).toBeNull();
  });
});
