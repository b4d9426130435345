import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createPreviewCluster } from '../../../shared/adapters/k8s/preview-cluster.ts';
import { Route53Dns } from '../../../shared/adapters/route53/route53-dns.ts';
import { handleCiResult, handlePullRequest } from '../../../shared/app/previews/index.ts';
import { PREVIEW_STATUS_CONTEXT } from '../../../shared/domain/naming.ts';
import { testKubeConfig } from '../../support/cluster/test-namespace.ts';
import { type PreviewHarness, sha, startPreviewHarness } from '../../support/previews/preview-harness.ts';
import { route53ClientFromEnv, useRoute53Endpoint } from '../../support/route53/sdk-env.ts';
import { type Route53Server, startRoute53Server } from '../../support/route53/server.ts';

/**
 * A preview host gets a CNAME to the ingress load balancer in Route 53 with its ownership TXT beside it,
 * both removed with the preview; a name switchyard does not own is never touched.
 */

let r53: Route53Server;
let zoneId: string;
let h: PreviewHarness;
const previewCluster = createPreviewCluster(testKubeConfig());
const owner = (host: string) =>
  r53.control
    .records(zoneId)
    .filter((r) => r.name === `_switchyard-owner.${host}` && r.type === 'TXT')
    .flatMap((r) => r.values ?? []);

beforeAll(async () => {
  r53 = await startRoute53Server();
  zoneId = r53.control.createZone('preview.example.test.');
  useRoute53Endpoint(r53.url);
  h = await startPreviewHarness({
    kc: testKubeConfig(),
    kubeconfigPath: inject('kubeconfig'),
    name: 'dns',
    preview: { dns: { hostedZoneId: zoneId, target: 'ingress-lb.example.test', ttl: 30 } },
    dns: new Route53Dns({ client: route53ClientFromEnv(), pollIntervalMs: 10 }),
  });
});
afterAll(async () => {
  await h?.close();
  await r53?.close();
});

describe('preview DNS records', () => {
  it('upserts the preview host on deploy and deletes it on close', async () => {
    const pr = 50;
    const host = `pr-${pr}.${h.app}.preview.example.test.`;
    const cname = () => r53.control.records(zoneId).filter((r) => r.name === host && r.type === 'CNAME');

    await handlePullRequest(h.deps, h.prEvent('opened', { pr, sha: sha('50'), time: '2026-03-06T10:00:00Z' }));
    await handleCiResult(h.deps, h.ci('success', { sha: sha('50'), pr, time: '2026-03-06T10:05:00Z' }));
    expect(cname()).toMatchObject([{ ttl: 30, values: ['ingress-lb.example.test'] }]);
    // Its ownership record, beside it.
    expect(owner(host)).toEqual([`"heritage=switchyard,switchyard/owner=${h.repo.toLowerCase()}#${pr}/${h.app}"`]);

    const closed = await handlePullRequest(
      h.deps,
      h.prEvent('closed', { pr, sha: sha('50'), time: '2026-03-06T11:00:00Z' }),
    );
    expect(closed.previews[0]?.done).toMatchObject([{ kind: 'teardown', result: { dnsDeleted: true } }]);
    expect(cname()).toEqual([]);
    expect(owner(host)).toEqual([]);
  });

  it('leaves a host it does not own untouched, deploys nothing behind it, and tells the PR why', async () => {
    const pr = 51;
    const host = `pr-${pr}.${h.app}.preview.example.test.`;
    // Someone else's record at the name the preview would use.
    r53.control.seed(zoneId, [
      { action: 'CREATE', record: { name: host, type: 'CNAME', ttl: 300, values: ['someone-else.example.net'] } },
    ]);
    await handlePullRequest(h.deps, h.prEvent('opened', { pr, sha: sha('51'), time: '2026-03-06T12:00:00Z' }));
    const result = await handleCiResult(h.deps, h.ci('success', { sha: sha('51'), pr, time: '2026-03-06T12:05:00Z' }));
    expect(result.previews[0]?.done).toMatchObject([
      { kind: 'deploy', result: { outcome: 'failed', message: expect.stringContaining('switchyard did not create') } },
    ]);
    expect(r53.control.records(zoneId).filter((r) => r.name === host)).toEqual([
      { name: host, type: 'CNAME', ttl: 300, values: ['someone-else.example.net'] },
    ]);
    expect(owner(host)).toEqual([]);
    const status = h.gh.state.statuses
      .filter((s) => s.sha === sha('51') && s.context === PREVIEW_STATUS_CONTEXT)
      .at(-1);
    expect(status).toMatchObject({ state: 'failure', description: expect.stringContaining('not deployed') });
    expect(await previewCluster.getNamespace(h.namespace(pr))).toBeNull();

    await handlePullRequest(h.deps, h.prEvent('closed', { pr, sha: sha('51'), time: '2026-03-06T13:00:00Z' }));
    expect(r53.control.records(zoneId).filter((r) => r.name === host)).toHaveLength(1);
  });
});
