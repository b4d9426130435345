import { CoreV1Api } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { handleCiResult, handlePullRequest } from '../../../shared/app/previews/index.ts';
import { Keys } from '../../../shared/domain/naming.ts';
import { testKubeConfig } from '../../support/cluster/test-namespace.ts';
import { type ApiServerGate, startApiServerGate } from '../../support/cluster-restart.ts';
import { type PreviewHarness, sha, startPreviewHarness } from '../../support/previews/preview-harness.ts';

/** The API server goes away in the middle of an apply; the next delivery of the same event converges. */

const core = testKubeConfig().makeApiClient(CoreV1Api);
let gate: ApiServerGate;
let h: PreviewHarness;

beforeAll(async () => {
  gate = await startApiServerGate(inject('kubeconfig'));
  h = await startPreviewHarness({ kc: gate.kc, kubeconfigPath: inject('kubeconfig'), name: 'restart' });
});
afterAll(async () => {
  await h?.close();
  await gate?.close();
});

describe('API server restarted mid-apply', () => {
  it('fails the run, keeps the claim, and the next run applies everything and reports once', async () => {
    const pr = 40;
    const head = sha('40');
    await handlePullRequest(h.deps, h.prEvent('opened', { pr, sha: head, time: '2026-03-05T10:00:00Z' }));
    const ci = h.ci('success', { sha: head, pr, time: '2026-03-05T10:05:00Z' });

    // Applies go in two tiers (quota, limits and config first, then workloads): cut at the first
    // request for the Service, in the second tier.
    gate.onRequest(/\/namespaces\/[^/]+\/services\//, () => gate.restart());
    await expect(handleCiResult(h.deps, ci)).rejects.toMatchObject({ retryable: true });

    const ns = h.namespace(pr);
    const claimed = (await core.readNamespace({ name: ns })).metadata?.annotations ?? {};
    expect(claimed[Keys.headSha]).toBe(head);
    expect(claimed[Keys.deployedSha]).toBeUndefined();
    // Mid-apply: the first objects are there, the Service is not.
    expect((await core.listNamespacedResourceQuota({ namespace: ns })).items).toHaveLength(1);
    expect((await core.listNamespacedService({ namespace: ns })).items).toEqual([]);

    gate.restore();
    const retried = await handleCiResult(h.deps, ci);
    expect(retried.previews[0]?.done).toMatchObject([{ kind: 'deploy', result: { outcome: 'ready', applied: 6 } }]);
    const done = (await core.readNamespace({ name: ns })).metadata?.annotations ?? {};
    expect(done[Keys.deployedSha]).toBe(head);
    expect((await core.listNamespacedService({ namespace: ns })).items.map((s) => s.metadata?.name)).toEqual(['web']);

    // The interrupted run made no GitHub deployment (it is created once the rollout is known): one, reported.
    const [only, ...none] = h.gh.state.deployments;
    expect(none).toEqual([]);
    expect(h.gh.state.deploymentStatuses.filter((s) => s.deploymentId === only?.id).map((s) => s.state)).toEqual([
      'success',
    ]);

    // A further redelivery is a no-op.
    const writes = h.gh.calls.filter((c) => c.method !== 'GET').length;
    await handleCiResult(h.deps, ci);
    expect(h.gh.calls.filter((c) => c.method !== 'GET').length).toBe(writes);
  });
});
