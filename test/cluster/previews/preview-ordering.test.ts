import { AppsV1Api, CoreV1Api } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { handleCiResult, handlePullRequest } from '../../../shared/app/previews/index.ts';
import type { CiResultIntent, PullRequestIntent } from '../../../shared/domain/intents.ts';
import { Keys } from '../../../shared/domain/naming.ts';
import { testKubeConfig } from '../../support/cluster/test-namespace.ts';
import { type PreviewHarness, sha, startPreviewHarness } from '../../support/previews/preview-harness.ts';

/** Webhooks arrive late, out of order, concurrently and twice: the newest commit wins, repeats change nothing. */

const kc = testKubeConfig();
const apps = kc.makeApiClient(AppsV1Api);
const core = kc.makeApiClient(CoreV1Api);
let h: PreviewHarness;

beforeAll(async () => {
  h = await startPreviewHarness({ kc, kubeconfigPath: inject('kubeconfig'), name: 'order' });
});
afterAll(async () => {
  await h?.close();
});

type Intent = PullRequestIntent | CiResultIntent;
const run = (i: Intent) => (i.kind === 'pull_request' ? handlePullRequest(h.deps, i) : handleCiResult(h.deps, i));

/** Three pushes to one PR, each with its CI result; GitHub's head ends at the third commit. */
function history(pr: number): Intent[] {
  const [c1, c2, c3] = [sha(`${pr}1`), sha(`${pr}2`), sha(`${pr}3`)];
  return [
    h.prEvent('opened', { pr, sha: c1, time: '2026-03-02T10:00:00Z' }),
    h.ci('success', { sha: c1, pr, time: '2026-03-02T10:05:00Z' }),
    h.prEvent('synchronize', { pr, sha: c2, time: '2026-03-02T10:10:00Z' }),
    h.ci('success', { sha: c2, pr, time: '2026-03-02T10:15:00Z' }),
    h.prEvent('synchronize', { pr, sha: c3, time: '2026-03-02T10:20:00Z' }),
    h.ci('success', { sha: c3, pr, time: '2026-03-02T10:25:00Z' }),
  ];
}

// A fixed permutation (no randomness in tests): CI of the newest first, the opening last.
const SHUFFLE = [3, 5, 1, 4, 2, 0];

async function image(ns: string): Promise<string | undefined> {
  return (await apps.readNamespacedDeployment({ name: 'web', namespace: ns })).spec?.template.spec?.containers[0]
    ?.image;
}

describe('out-of-order, concurrent and repeated deliveries', () => {
  it('shuffled synchronize and CI events end with the newest commit deployed, older CI never deploying', async () => {
    const events = history(3);
    for (const i of SHUFFLE) await run(events[i] as Intent);
    const ns = h.namespace(3);
    expect(await image(ns)).toBe(`registry.example.test/web:${sha('33')}`);
    const deployed = h.gh.state.deployments.filter((d) => d.environment.endsWith('/pr-3'));
    expect(deployed.map((d) => d.sha)).toEqual([sha('33')]);
  });

  it('all deliveries at once converge on the newest commit', async () => {
    const events = history(4);
    await Promise.all(events.map((e) => run(e)));
    const ns = h.namespace(4);
    expect(await image(ns)).toBe(`registry.example.test/web:${sha('43')}`);
    const annotations = (await core.readNamespace({ name: ns })).metadata?.annotations ?? {};
    expect(annotations[Keys.deployedSha]).toBe(sha('43'));
    expect(annotations[Keys.headSha]).toBe(sha('43'));
  });

  it('redelivering every event changes nothing: no GitHub writes, no namespace write', async () => {
    const events = [...history(5)];
    for (const e of events) await run(e);
    const ns = h.namespace(5);
    const before = (await core.readNamespace({ name: ns })).metadata?.resourceVersion;
    const writes = () => h.gh.calls.filter((c) => c.method !== 'GET').length;
    const writesBefore = writes();

    for (const e of events) await run(e);
    for (const e of [...events].reverse()) await run(e);

    expect(writes()).toBe(writesBefore);
    expect((await core.readNamespace({ name: ns })).metadata?.resourceVersion).toBe(before);
    expect(await image(ns)).toBe(`registry.example.test/web:${sha('53')}`);
  });

  it('a dry run plans the deploy and writes nothing', async () => {
    const pr = 6;
    const head = sha('61');
    const opened = h.prEvent('opened', { pr, sha: head, time: '2026-03-02T12:00:00Z' });
    const ci = h.ci('success', { sha: head, pr, time: '2026-03-02T12:05:00Z' });
    const writes = () => h.gh.calls.filter((c) => c.method !== 'GET').length;
    const before = writes();

    const planned = await handlePullRequest(h.deps, opened, { dryRun: true });
    const deploy = await handleCiResult(h.deps, ci, { dryRun: true });

    expect(planned.previews[0]).toMatchObject({ dryRun: true, done: [] });
    expect(deploy.previews[0]?.plan.steps).toMatchObject([{ kind: 'deploy', sha: head }]);
    expect(deploy.previews[0]?.done).toEqual([]);
    expect(writes()).toBe(before);
    await expect(core.readNamespace({ name: h.namespace(pr) })).rejects.toMatchObject({ code: 404 });
  });
});
