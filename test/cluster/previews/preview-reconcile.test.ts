import { CoreV1Api } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { handleCiResult, handlePullRequest, reconcilePreviews } from '../../../shared/app/previews/index.ts';
import { Keys, PREVIEW_STATUS_CONTEXT } from '../../../shared/domain/naming.ts';
import type { Clock } from '../../../shared/ports/clock.ts';
import { testKubeConfig } from '../../support/cluster/test-namespace.ts';
import { type ApiServerGate, startApiServerGate } from '../../support/cluster-restart.ts';
import { type PreviewHarness, sha, startPreviewHarness } from '../../support/previews/preview-harness.ts';

/**
 * The schedule repairs what retries could not, against the real API server (behind a TCP gate that
 * plays the outage) and the GitHub stand-in: a claimed namespace left empty by three failed attempts,
 * and a PR GitHub answers 404 for (kept, never torn down).
 */

const core = testKubeConfig().makeApiClient(CoreV1Api);
let gate: ApiServerGate;
let h: PreviewHarness;

/** The clock of the schedule's run, ten minutes on: the failed worker's lease has run out. */
const later: Clock = {
  now: () => new Date(Date.now() + 10 * 60_000),
  sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
};

beforeAll(async () => {
  gate = await startApiServerGate(inject('kubeconfig'));
  h = await startPreviewHarness({ kc: gate.kc, kubeconfigPath: inject('kubeconfig'), name: 'reconcile' });
});
afterAll(async () => {
  gate?.restore();
  await h?.close();
  await gate?.close();
});

describe('the schedule repairs what the worker left', () => {
  it('a namespace claimed but left empty by the first attempt and both retries is applied and reported', async () => {
    const pr = 60;
    const head = sha('60');
    await handlePullRequest(h.deps, h.prEvent('opened', { pr, sha: head, time: '2026-03-07T10:00:00Z' }));
    const ci = h.ci('success', { sha: head, pr, time: '2026-03-07T10:05:00Z' });
    for (let attempt = 0; attempt < 3; attempt++) {
      // The claim goes through; the API server is gone from the first object applied on.
      gate.onRequest(/\/resourcequotas\//, () => gate.restart());
      await expect(handleCiResult(h.deps, ci)).rejects.toMatchObject({ retryable: true });
      gate.restore();
    }
    const ns = h.namespace(pr);
    const claimed = (await core.readNamespace({ name: ns })).metadata?.annotations ?? {};
    expect(claimed[Keys.headSha]).toBe(head);
    expect(claimed[Keys.deployedSha]).toBeUndefined();
    expect((await core.listNamespacedResourceQuota({ namespace: ns })).items).toEqual([]);
    expect(h.gh.state.deployments).toEqual([]);

    // Inside the lease of the last attempt the schedule leaves the claim to it.
    expect((await reconcilePreviews(h.deps)).repaired).toEqual([]);
    const run = await reconcilePreviews({ ...h.deps, clock: later });
    expect(run.failures).toEqual([]);
    expect(run.repaired[0]?.done).toMatchObject([{ kind: 'deploy', result: { outcome: 'ready', applied: 6 } }]);
    const done = (await core.readNamespace({ name: ns })).metadata?.annotations ?? {};
    expect(done).toMatchObject({ [Keys.deployedSha]: head, [Keys.reported]: head });
    expect((await core.listNamespacedService({ namespace: ns })).items.map((s) => s.metadata?.name)).toEqual(['web']);
    const statuses = h.gh.state.statuses.filter((s) => s.sha === head && s.context === PREVIEW_STATUS_CONTEXT);
    expect(statuses.at(-1)?.state).toBe('success');
    expect(h.gh.state.deployments).toHaveLength(1);
    expect(h.gh.state.deploymentStatuses.map((s) => s.state)).toEqual(['success']);
  });

  it('a PR GitHub answers 404 for is unknown: neither its close webhook nor the schedule removes the preview', async () => {
    const pr = 61;
    const head = sha('61');
    await handlePullRequest(h.deps, h.prEvent('opened', { pr, sha: head, time: '2026-03-07T11:00:00Z' }));
    await handleCiResult(h.deps, h.ci('success', { sha: head, pr, time: '2026-03-07T11:05:00Z' }));
    const closed = h.prEvent('closed', { pr, sha: head, time: '2026-03-07T12:00:00Z' });
    // The App lost access to the repository: GitHub answers 404 for the PR from now on.
    h.gh.state.pulls.delete(`${h.repo.toLowerCase()}#${pr}`);
    const out = await handlePullRequest(h.deps, closed);
    expect(out.previews[0]?.done).toEqual([]);
    const run = await reconcilePreviews(h.deps);
    expect(run.unknown).toContainEqual({ app: h.app, pr, reason: 'GitHub did not show the pull request' });
    const ns = await core.readNamespace({ name: h.namespace(pr) });
    expect(ns.metadata?.deletionTimestamp).toBeUndefined();
  });
});
