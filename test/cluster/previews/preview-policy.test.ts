import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { AppsV1Api, CoreV1Api, NetworkingV1Api, RbacAuthorizationV1Api } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { handleCiResult, handlePullRequest } from '../../../shared/app/previews/index.ts';
import { branchSlug, PREVIEW_STATUS_CONTEXT, PreviewKeys } from '../../../shared/domain/naming.ts';
import { testKubeConfig } from '../../support/cluster/test-namespace.ts';
import { type PreviewHarness, sha, startPreviewHarness } from '../../support/previews/preview-harness.ts';

/** Forks refused, injection inert, failing CI leaves the running preview alone. */

const kc = testKubeConfig();
const apps = kc.makeApiClient(AppsV1Api);
const core = kc.makeApiClient(CoreV1Api);
const rbac = kc.makeApiClient(RbacAuthorizationV1Api);
const net = kc.makeApiClient(NetworkingV1Api);
let h: PreviewHarness;

beforeAll(async () => {
  h = await startPreviewHarness({
    kc,
    kubeconfigPath: inject('kubeconfig'),
    name: 'policy',
    preview: { host: 'pr-{pr}-{branch}.{app}.preview.example.test' },
  });
});
afterAll(async () => {
  await h?.close();
});

const comment = (pr: number) =>
  h.gh.state.comments.find((c) => c.issue === pr && c.author === 'switchyard[bot]')?.body ?? '';

describe('preview policy and safety on a real cluster', () => {
  it('refuses a fork PR: no namespace, no deployment, an explanation on the PR', async () => {
    const pr = 10;
    const head = sha('f0');
    await handlePullRequest(
      h.deps,
      h.prEvent('opened', { pr, sha: head, time: '2026-03-03T10:00:00Z', headRepo: 'stranger/Hello-World' }),
    );
    const ci = await handleCiResult(h.deps, h.ci('success', { sha: head, pr: null, time: '2026-03-03T10:05:00Z' }));

    expect(ci.prs).toEqual([pr]);
    expect(ci.previews[0]?.plan.skipped).toMatch(/forks/);
    await expect(core.readNamespace({ name: h.namespace(pr) })).rejects.toMatchObject({ code: 404 });
    expect(h.gh.state.deployments.filter((d) => d.environment.endsWith(`/pr-${pr}`))).toEqual([]);
    expect(comment(pr)).toContain('No preview');
    expect(comment(pr)).toContain('forks');
  });

  it('renders an injection attempt in a branch name inert', async () => {
    const pr = 11;
    const head = sha('e1');
    // Characters git allows in ref names, shaped like YAML and placeholders.
    const ref = `x"}{kind: ClusterRoleBinding}#&a!b|>-\${image}'---`;
    await handlePullRequest(h.deps, h.prEvent('opened', { pr, sha: head, time: '2026-03-03T11:00:00Z', ref }));
    const result = await handleCiResult(h.deps, h.ci('success', { sha: head, pr, time: '2026-03-03T11:05:00Z' }));
    expect(result.previews[0]?.done).toMatchObject([{ kind: 'deploy', result: { outcome: 'ready' } }]);

    const ns = h.namespace(pr);
    const config = await core.readNamespacedConfigMap({ name: 'web-config', namespace: ns });
    expect(config.data?.PREVIEW_BRANCH).toBe(branchSlug(ref));
    expect(Object.keys(config.data ?? {}).sort()).toEqual([
      'PREVIEW_BRANCH',
      'PREVIEW_COMMIT',
      'PREVIEW_PR',
      'PUBLIC_URL',
    ]);
    expect(config.data?.PUBLIC_URL).toBe(`https://pr-${pr}-${branchSlug(ref)}.${h.app}.preview.example.test`);
    expect((await core.readNamespace({ name: ns })).metadata?.annotations?.[PreviewKeys.branch]).toBe(ref);
    const bindings = await rbac.listClusterRoleBinding();
    expect(bindings.items.filter((b) => b.metadata?.labels?.['switchyard.dev/pr'] === String(pr))).toEqual([]);
    const configMaps = await core.listNamespacedConfigMap({
      namespace: ns,
      labelSelector: 'app.kubernetes.io/managed-by=switchyard',
    });
    expect(configMaps.items.map((c) => c.metadata?.name)).toEqual(['web-config']);
  });

  it('a failing CI leaves the running preview as it was and links to the CI run', async () => {
    const pr = 12;
    const [good, bad] = [sha('c1'), sha('c2')];
    await handlePullRequest(h.deps, h.prEvent('opened', { pr, sha: good, time: '2026-03-03T12:00:00Z' }));
    await handleCiResult(h.deps, h.ci('success', { sha: good, pr, time: '2026-03-03T12:05:00Z' }));
    const ns = h.namespace(pr);
    const before = await apps.readNamespacedDeployment({ name: 'web', namespace: ns });

    await handlePullRequest(h.deps, h.prEvent('synchronize', { pr, sha: bad, time: '2026-03-03T12:10:00Z' }));
    const failed = await handleCiResult(h.deps, h.ci('failure', { sha: bad, pr, time: '2026-03-03T12:15:00Z' }));
    expect(failed.previews[0]?.plan.steps.map((s) => s.kind)).toEqual(['ci-failed']);

    const after = await apps.readNamespacedDeployment({ name: 'web', namespace: ns });
    expect(after.spec?.template.spec?.containers[0]?.image).toBe(`registry.example.test/web:${good}`);
    expect(after.metadata?.generation).toBe(before.metadata?.generation);
    const statuses = h.gh.state.statuses.filter((s) => s.sha === bad && s.context === PREVIEW_STATUS_CONTEXT);
    expect(statuses.map((s) => s.state)).toEqual(['pending', 'failure']);
    expect(statuses[1]?.targetUrl).toBe(`https://ci.example.test/runs/${bad.slice(0, 7)}`);
    expect(comment(pr)).toContain('CI failed');
    expect(comment(pr)).toContain(`keeps running \`${good.slice(0, 7)}\``);
  });

  it('prunes objects that left the templates on the next deploy', async () => {
    const pr = 13;
    await handlePullRequest(h.deps, h.prEvent('opened', { pr, sha: sha('d1'), time: '2026-03-03T13:00:00Z' }));
    await handleCiResult(h.deps, h.ci('success', { sha: sha('d1'), pr, time: '2026-03-03T13:05:00Z' }));
    const ns = h.namespace(pr);
    expect((await net.listNamespacedIngress({ namespace: ns })).items.map((i) => i.metadata?.name)).toEqual(['web']);

    const file = join(h.templatesDir, 'ingress.yaml');
    const ingress = readFileSync(file, 'utf8');
    rmSync(file);
    try {
      await handlePullRequest(h.deps, h.prEvent('synchronize', { pr, sha: sha('d2'), time: '2026-03-03T13:10:00Z' }));
      const result = await handleCiResult(
        h.deps,
        h.ci('success', { sha: sha('d2'), pr, time: '2026-03-03T13:15:00Z' }),
      );
      expect(result.previews[0]?.done).toMatchObject([
        { kind: 'deploy', result: { outcome: 'ready', pruned: ['Ingress/web'] } },
      ]);
    } finally {
      writeFileSync(file, ingress);
    }
    const left = await net.listNamespacedIngress({ namespace: ns });
    expect(left.items.filter((i) => !i.metadata?.deletionTimestamp)).toEqual([]);
  });
});
