import { AppsV1Api } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { handleCiResult, handlePullRequest } from '../../../shared/app/previews/index.ts';
import { FORK_APPROVAL_CONTEXT } from '../../../shared/domain/naming.ts';
import { testKubeConfig } from '../../support/cluster/test-namespace.ts';
import { type PreviewHarness, sha, startPreviewHarness } from '../../support/previews/preview-harness.ts';

/**
 * Fork previews behind a label applied by someone with write access, bound to the approved commit:
 * a push after the approval is not deployed until the label is applied again.
 */

const kc = testKubeConfig();
const apps = kc.makeApiClient(AppsV1Api);
let h: PreviewHarness;
const LABEL = 'preview-ok';
const FORK = 'stranger/Hello-World';

beforeAll(async () => {
  h = await startPreviewHarness({
    kc,
    kubeconfigPath: inject('kubeconfig'),
    name: 'fork',
    preview: { forks: { policy: 'label', label: LABEL } },
  });
});
afterAll(async () => {
  await h?.close();
});

describe('fork previews approved by label', () => {
  it('needs a writer to label, binds the approval to the commit, and asks again after a push', async () => {
    const pr = 60;
    const [f1, f2] = [sha('f1'), sha('f2')];
    const image = async () =>
      (await apps.readNamespacedDeployment({ name: 'web', namespace: h.namespace(pr) })).spec?.template.spec
        ?.containers[0]?.image;
    h.gh.control.setPermission(h.repo, 'maint', 'write');

    await handlePullRequest(h.deps, h.prEvent('opened', { pr, sha: f1, time: '2026-03-07T10:00:00Z', headRepo: FORK }));
    const notYet = await handleCiResult(h.deps, h.ci('success', { sha: f1, pr: null, time: '2026-03-07T10:05:00Z' }));
    expect(notYet.previews[0]?.plan.skipped).toMatch(/write access/);

    // The author labels their own PR: not enough.
    h.gh.control.label(h.repo, pr, LABEL, 'stranger');
    const self = await handlePullRequest(
      h.deps,
      h.prEvent('labeled', {
        pr,
        sha: f1,
        time: '2026-03-07T10:10:00Z',
        headRepo: FORK,
        labels: [LABEL],
        label: LABEL,
      }),
    );
    expect(self.previews[0]?.plan.steps).toMatchObject([
      { kind: 'refuse', reason: expect.stringContaining('stranger') },
    ]);
    expect(h.gh.state.statuses.filter((s) => s.context === FORK_APPROVAL_CONTEXT)).toEqual([]);

    // A maintainer applies it: approval recorded on f1, which already passed CI, so it deploys.
    h.gh.control.label(h.repo, pr, LABEL, 'stranger', 'unlabeled');
    h.gh.control.label(h.repo, pr, LABEL, 'maint');
    const approved = await handlePullRequest(
      h.deps,
      h.prEvent('labeled', {
        pr,
        sha: f1,
        time: '2026-03-07T10:15:00Z',
        headRepo: FORK,
        labels: [LABEL],
        label: LABEL,
      }),
    );
    expect(approved.previews[0]?.done).toMatchObject([{ kind: 'deploy', result: { outcome: 'ready', sha: f1 } }]);
    expect(h.gh.state.statuses.filter((s) => s.context === FORK_APPROVAL_CONTEXT).map((s) => [s.sha, s.state])).toEqual(
      [[f1, 'success']],
    );

    // The fork pushes again; the label is still there, but f2 was never approved.
    await handlePullRequest(
      h.deps,
      h.prEvent('synchronize', { pr, sha: f2, time: '2026-03-07T11:00:00Z', headRepo: FORK, labels: [LABEL] }),
    );
    const pushed = await handleCiResult(h.deps, h.ci('success', { sha: f2, pr: null, time: '2026-03-07T11:05:00Z' }));
    expect(pushed.previews[0]?.plan.skipped).toMatch(/re-apply/);
    expect(await image()).toBe(`registry.example.test/web:${f1}`);

    // The maintainer looks at f2 and applies the label again.
    h.gh.control.label(h.repo, pr, LABEL, 'maint', 'unlabeled');
    h.gh.control.label(h.repo, pr, LABEL, 'maint');
    const again = await handlePullRequest(
      h.deps,
      h.prEvent('labeled', {
        pr,
        sha: f2,
        time: '2026-03-07T11:10:00Z',
        headRepo: FORK,
        labels: [LABEL],
        label: LABEL,
      }),
    );
    expect(again.previews[0]?.done).toMatchObject([{ kind: 'deploy', result: { outcome: 'ready', sha: f2 } }]);
    expect(await image()).toBe(`registry.example.test/web:${f2}`);
  });
});
