import { AppsV1Api, CoreV1Api } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { watchUntil } from '../../../shared/adapters/k8s/watch-until.ts';
import { handleCiResult, handlePullRequest, listPreviews } from '../../../shared/app/previews/index.ts';
import { Keys, PREVIEW_STATUS_CONTEXT } from '../../../shared/domain/naming.ts';
import { testKubeConfig } from '../../support/cluster/test-namespace.ts';
import { type PreviewHarness, sha, startPreviewHarness } from '../../support/previews/preview-harness.ts';

/**
 * The whole life of a pull request's preview on a real control plane, driven by real webhook payloads:
 * open, CI pass, preview Available, push, CI pass, updated, merge, gone.
 */

const kc = testKubeConfig();
const apps = kc.makeApiClient(AppsV1Api);
const core = kc.makeApiClient(CoreV1Api);
let h: PreviewHarness;

beforeAll(async () => {
  h = await startPreviewHarness({ kc, kubeconfigPath: inject('kubeconfig'), name: 'life' });
});
afterAll(async () => {
  await h?.close();
});

const PR = 2;
const SHA1 = sha('a1');
const SHA2 = sha('b2');

function statusesOf(s: string) {
  return h.gh.state.statuses
    .filter((x) => x.sha === s && x.context === PREVIEW_STATUS_CONTEXT)
    .map((x) => [x.state, x.targetUrl]);
}
function deploymentStatuses() {
  return h.gh.state.deployments.map((d) => ({
    sha: d.sha,
    environment: d.environment,
    transient: d.transient,
    autoMerge: d.autoMerge,
    requiredContexts: d.requiredContexts,
    states: h.gh.state.deploymentStatuses
      .filter((s) => s.deploymentId === d.id)
      .map((s) => [s.state, s.environmentUrl]),
  }));
}
function ourComments() {
  return h.gh.state.comments.filter((c) => c.author === 'switchyard[bot]');
}

describe('a pull request preview, from open to merge', () => {
  it('walks the whole lifecycle', async () => {
    const ns = h.namespace(PR);
    const url = `https://pr-${PR}.${h.app}.preview.example.test`;

    // Opened: pending status for the head, a comment, no namespace yet (CI has not passed).
    const opened = await handlePullRequest(
      h.deps,
      h.prEvent('opened', { pr: PR, sha: SHA1, time: '2026-03-01T10:00:00Z' }),
    );
    expect(opened.previews[0]?.plan.steps).toEqual([{ kind: 'await-ci', sha: SHA1 }]);
    expect(statusesOf(SHA1)).toEqual([['pending', null]]);
    expect(ourComments()).toHaveLength(1);
    expect(ourComments()[0]?.body).toContain('Waiting for CI');
    await expect(core.readNamespace({ name: ns })).rejects.toMatchObject({ code: 404 });

    // CI passed: namespace, objects, rollout Available, success everywhere.
    const first = await handleCiResult(h.deps, h.ci('success', { sha: SHA1, pr: PR, time: '2026-03-01T10:05:00Z' }));
    expect(first.previews[0]?.done).toMatchObject([{ kind: 'deploy', result: { outcome: 'ready', sha: SHA1 } }]);
    const namespace = await core.readNamespace({ name: ns });
    expect(namespace.metadata?.labels).toMatchObject({
      [Keys.pr]: String(PR),
      'app.kubernetes.io/managed-by': 'switchyard',
    });
    expect(namespace.metadata?.annotations).toMatchObject({
      [Keys.headSha]: SHA1,
      [Keys.deployedSha]: SHA1,
      [Keys.reported]: SHA1,
      [Keys.eventTime]: '2026-03-01T10:05:00Z',
    });
    const dep1 = await apps.readNamespacedDeployment({ name: 'web', namespace: ns });
    expect(dep1.spec?.template.spec?.containers[0]?.image).toBe(`registry.example.test/web:${SHA1}`);
    expect(dep1.status?.availableReplicas).toBe(1);
    const quotas = await core.listNamespacedResourceQuota({ namespace: ns });
    expect(quotas.items.map((q) => q.metadata?.name)).toEqual(['preview-quota']);
    const limits = await core.listNamespacedLimitRange({ namespace: ns });
    expect(limits.items.map((q) => q.metadata?.name)).toEqual(['preview-limits']);
    expect(statusesOf(SHA1)).toEqual([
      ['pending', null],
      ['success', url],
    ]);
    expect(ourComments()[0]?.body).toContain('Ready');
    expect(ourComments()[0]?.body).toContain(url);

    // Push: pending for the new head, the old preview keeps running.
    await handlePullRequest(h.deps, h.prEvent('synchronize', { pr: PR, sha: SHA2, time: '2026-03-01T11:00:00Z' }));
    expect(statusesOf(SHA2)).toEqual([['pending', null]]);
    expect(ourComments()[0]?.body).toContain('Waiting for CI');
    expect(
      (await apps.readNamespacedDeployment({ name: 'web', namespace: ns })).spec?.template.spec?.containers[0]?.image,
    ).toBe(`registry.example.test/web:${SHA1}`);

    // CI passed again: updated in place, the old GitHub deployment goes inactive.
    const second = await handleCiResult(h.deps, h.ci('success', { sha: SHA2, pr: PR, time: '2026-03-01T11:05:00Z' }));
    expect(second.previews[0]?.done).toMatchObject([{ kind: 'deploy', result: { outcome: 'ready', sha: SHA2 } }]);
    const dep2 = await apps.readNamespacedDeployment({ name: 'web', namespace: ns });
    expect(dep2.spec?.template.spec?.containers[0]?.image).toBe(`registry.example.test/web:${SHA2}`);
    expect(statusesOf(SHA2)).toEqual([
      ['pending', null],
      ['success', url],
    ]);
    expect((await listPreviews(h.deps)).map((p) => [p.pr, p.deployedSha, p.state, p.url])).toEqual([
      [PR, SHA2, 'ready', url],
    ]);

    // Merged: namespace deleted, deployment inactive, comment updated.
    const merged = await handlePullRequest(
      h.deps,
      h.prEvent('closed', { pr: PR, sha: SHA2, time: '2026-03-01T12:00:00Z', merged: true }),
    );
    expect(merged.previews[0]?.done).toMatchObject([
      { kind: 'teardown', result: { namespace: 'deleting', deploymentInactive: true } },
    ]);
    const gone = await watchUntil(kc, {
      apiVersion: 'v1',
      kind: 'Namespace',
      fieldSelector: `metadata.name=${ns}`,
      until: (items) => (items.length === 0 ? true : undefined),
      deadline: Date.now() + 90_000,
    });
    expect(gone.met).toBe(true);

    const environment = `preview/${h.app}/pr-${PR}`;
    expect(deploymentStatuses()).toEqual([
      {
        sha: SHA1,
        environment,
        transient: true,
        autoMerge: false,
        requiredContexts: [],
        states: [
          ['success', url],
          ['inactive', ''],
        ],
      },
      {
        sha: SHA2,
        environment,
        transient: true,
        autoMerge: false,
        requiredContexts: [],
        states: [
          ['success', url],
          ['inactive', ''],
        ],
      },
    ]);
    const comments = ourComments();
    expect(comments).toHaveLength(1);
    expect(comments[0]?.body).toContain('Removed');
    expect(comments[0]?.body).toContain('merged');
    expect(h.gh.calls.filter((c) => c.method === 'POST' && c.path.endsWith('/comments'))).toHaveLength(1);
    expect(h.gh.calls.filter((c) => c.method === 'PATCH').length).toBeGreaterThanOrEqual(4);
  });
});
