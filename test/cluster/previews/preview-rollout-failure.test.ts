import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { handleCiResult, handlePullRequest, listPreviews } from '../../../shared/app/previews/index.ts';
import { PREVIEW_STATUS_CONTEXT } from '../../../shared/domain/naming.ts';
import { testKubeConfig } from '../../support/cluster/test-namespace.ts';
import { type PreviewHarness, sha, startPreviewHarness } from '../../support/previews/preview-harness.ts';

/** A rollout that exceeds its progress deadline is reported as failed, the kubectl way. */

let h: PreviewHarness;

beforeAll(async () => {
  h = await startPreviewHarness({ kc: testKubeConfig(), kubeconfigPath: inject('kubeconfig'), name: 'fail' });
  // Pods that no node accepts stay Pending; the Deployment controller then marks ProgressDeadlineExceeded.
  const file = join(h.templatesDir, 'deployment.yaml');
  writeFileSync(
    file,
    readFileSync(file, 'utf8')
      .replace('  progressDeadlineSeconds: 120\n', '  progressDeadlineSeconds: 2\n')
      .replace(
        '    spec:\n      containers:',
        '    spec:\n      nodeSelector:\n        switchyard.dev/no-such-node: "true"\n      containers:',
      ),
  );
});
afterAll(async () => {
  await h?.close();
});

describe('a failing rollout', () => {
  it('posts failure on the deployment, the commit status and the comment', async () => {
    const pr = 70;
    const head = sha('70');
    await handlePullRequest(h.deps, h.prEvent('opened', { pr, sha: head, time: '2026-03-08T10:00:00Z' }));
    const result = await handleCiResult(h.deps, h.ci('success', { sha: head, pr, time: '2026-03-08T10:05:00Z' }));

    expect(result.previews[0]?.done).toMatchObject([
      { kind: 'deploy', result: { outcome: 'failed', message: expect.stringContaining('progress deadline') } },
    ]);
    const url = `https://pr-${pr}.${h.app}.preview.example.test`;
    expect(
      h.gh.state.statuses
        .filter((s) => s.sha === head && s.context === PREVIEW_STATUS_CONTEXT)
        .map((s) => [s.state, s.targetUrl]),
    ).toEqual([
      ['pending', null],
      ['failure', url],
    ]);
    expect(h.gh.state.deploymentStatuses.map((s) => s.state)).toEqual(['failure']);
    expect(h.gh.state.comments[0]?.body).toContain('Deployment failed');
    expect((await listPreviews(h.deps)).map((p) => p.state)).toEqual(['failed']);
  });
});
