import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CoreV1Api } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createHandler as createJanitor } from '../../../functions/preview-janitor.ts';
import { createHandler as createWatcher } from '../../../functions/rollout-watcher.ts';
import { deletePreview, handleCiResult, handlePullRequest, sweepPreviews } from '../../../shared/app/previews/index.ts';
import { PREVIEW_STATUS_CONTEXT } from '../../../shared/domain/naming.ts';
import { NotFoundError } from '../../../shared/errors.ts';
import { silentLogger } from '../../../shared/ports/logger.ts';
import { testKubeConfig } from '../../support/cluster/test-namespace.ts';
import { type PreviewHarness, sha, startPreviewHarness } from '../../support/previews/preview-harness.ts';

/** rolloutWatcher reports what the worker left; previewJanitor cleans what webhooks never told us. */

const kc = testKubeConfig();
const core = kc.makeApiClient(CoreV1Api);
let h: PreviewHarness;

beforeAll(async () => {
  h = await startPreviewHarness({ kc, kubeconfigPath: inject('kubeconfig'), name: 'janitor' });
});
afterAll(async () => {
  await h?.close();
});

async function deploy(pr: number, waitSeconds?: number) {
  const head = sha(`${pr}`);
  await handlePullRequest(h.deps, h.prEvent('opened', { pr, sha: head, time: '2026-03-04T10:00:00Z' }));
  return handleCiResult(
    h.deps,
    h.ci('success', { sha: head, pr, time: '2026-03-04T10:05:00Z' }),
    waitSeconds === undefined ? {} : { waitSeconds },
  );
}

const isDeleting = async (ns: string) => {
  try {
    return Boolean((await core.readNamespace({ name: ns })).metadata?.deletionTimestamp);
  } catch {
    return true;
  }
};

describe('rolloutWatcher and previewJanitor', () => {
  it('rolloutWatcher reports a rollout the worker did not wait for', async () => {
    // kwok readies pods at once; minReadySeconds keeps the rollout going past the worker's (zero) wait.
    const file = join(h.templatesDir, 'deployment.yaml');
    const original = readFileSync(file, 'utf8');
    writeFileSync(file, original.replace('  replicas: 1\n', '  replicas: 1\n  minReadySeconds: 4\n'));
    const result = await deploy(30, 0);
    writeFileSync(file, original);
    expect(result.previews[0]?.done).toMatchObject([{ kind: 'deploy', result: { outcome: 'deploying' } }]);
    const head = sha('30');
    expect(
      h.gh.state.statuses.filter((s) => s.sha === head && s.context === PREVIEW_STATUS_CONTEXT).map((s) => s.state),
    ).toEqual(['pending']);

    const watcher = createWatcher({ previews: h.deps, logger: silentLogger });
    let reported = false;
    for (let i = 0; i < 60 && !reported; i++) {
      const out = await watcher({});
      const done = 'repaired' in out.previews ? out.previews.repaired.flatMap((r) => (r.pr === 30 ? r.done : [])) : [];
      if (done.some((d) => d.kind === 'report' && d.result === 'reported')) reported = true;
      else await new Promise((r) => setTimeout(r, 500));
    }
    expect(reported).toBe(true);
    expect(
      h.gh.state.statuses.filter((s) => s.sha === head && s.context === PREVIEW_STATUS_CONTEXT).at(-1)?.state,
    ).toBe('success');
    const dep = h.gh.state.deployments.find((d) => d.sha === head);
    expect(h.gh.state.deploymentStatuses.filter((s) => s.deploymentId === dep?.id).map((s) => s.state)).toEqual([
      'success',
    ]);
    // Reported once: another pass has nothing left to repair.
    const again = await watcher({});
    expect(again.previews).toMatchObject({ repaired: [], failures: [] });
  });

  it('previewJanitor removes previews of PRs closed without a webhook; dry run first; one failure does not stop it', async () => {
    await deploy(31);
    await deploy(32);
    await deploy(33);
    // The close events were lost: GitHub says closed, we were never told.
    for (const pr of [31, 32]) h.gh.control.updatePullRequest(h.repo, pr, { state: 'closed' });
    const janitor = createJanitor(h.deps);

    const dry = await janitor({ dryRun: true });
    expect(dry.planned.map((d) => [d.pr, d.reason]).sort()).toEqual([
      [31, 'pr-not-open'],
      [32, 'pr-not-open'],
    ]);
    expect(dry.deleted).toEqual([]);
    expect(await isDeleting(h.namespace(31))).toBe(false);

    // GitHub refuses one of the two teardown reports.
    const dep31 = h.gh.state.deployments.find((d) => d.sha === sha('31'));
    h.gh.control.fault({
      method: 'POST',
      path: `/deployments/${dep31?.id}/statuses`,
      status: 422,
      body: { message: 'Validation Failed' },
    });
    const swept = await janitor({});

    expect(swept.failed.map((f) => f.pr)).toEqual([31]);
    expect(swept.deleted.map((d) => d.pr)).toEqual([32]);
    expect(swept.deferred).toEqual([]);
    // GitHub is told before the namespace goes: the refused one keeps its namespace (and its record).
    expect(await isDeleting(h.namespace(31))).toBe(false);
    expect(await isDeleting(h.namespace(32))).toBe(true);
    expect(await isDeleting(h.namespace(33))).toBe(false);
    const dep32 = h.gh.state.deployments.find((d) => d.sha === sha('32'));
    expect(h.gh.state.deploymentStatuses.filter((s) => s.deploymentId === dep32?.id).at(-1)?.state).toBe('inactive');
    const comment32 = h.gh.state.comments.find((c) => c.issue === 32)?.body ?? '';
    expect(comment32).toContain('Removed');
    expect(comment32).toContain('no longer open');

    // The next run finishes the one GitHub refused.
    const again = await janitor({});
    expect(again.deleted.map((d) => d.pr)).toEqual([31]);
    expect(await isDeleting(h.namespace(31))).toBe(true);
    expect(h.gh.state.deploymentStatuses.filter((s) => s.deploymentId === dep31?.id).at(-1)?.state).toBe('inactive');
  });

  it('deletePreview (operator) removes one preview, with a dry run first', async () => {
    await deploy(34);
    const dry = await deletePreview(h.deps, h.app, 34, { dryRun: true });
    expect(dry).toMatchObject({ dryRun: true, teardown: null });
    expect(await isDeleting(h.namespace(34))).toBe(false);

    const done = await deletePreview(h.deps, h.app, 34);
    expect(done.teardown).toMatchObject({ namespace: 'deleting', deploymentInactive: true, commented: true });
    expect(await isDeleting(h.namespace(34))).toBe(true);
    expect(h.gh.state.comments.find((c) => c.issue === 34)?.body).toContain('deleted by an operator');
    await expect(deletePreview(h.deps, 'no-such-app', 34)).rejects.toBeInstanceOf(NotFoundError);
  });

  it('works off a backlog over several runs when it exceeds the per-run budget', async () => {
    for (const pr of [35, 36, 37]) {
      await deploy(pr);
      h.gh.control.updatePullRequest(h.repo, pr, { state: 'closed' });
    }
    const first = await sweepPreviews(h.deps, { maxDeletions: 2 });
    expect(first.deleted.map((d) => d.pr)).toEqual([35, 36]);
    expect(first.deferred.map((d) => d.pr)).toEqual([37]);
    const second = await sweepPreviews(h.deps, { maxDeletions: 2 });
    expect(second.deleted.map((d) => d.pr)).toEqual([37]);
    expect(second.deferred).toEqual([]);
  });
});
