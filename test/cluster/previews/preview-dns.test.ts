import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { Route53Dns } from '../../../shared/adapters/route53/route53-dns.ts';
import { handleCiResult, handlePullRequest } from '../../../shared/app/previews/index.ts';
import { testKubeConfig } from '../../support/cluster/test-namespace.ts';
import { type PreviewHarness, sha, startPreviewHarness } from '../../support/previews/preview-harness.ts';
import { route53ClientFromEnv, useRoute53Endpoint } from '../../support/route53/sdk-env.ts';
import { type Route53Server, startRoute53Server } from '../../support/route53/server.ts';

/** A preview host gets a CNAME to the ingress load balancer in Route 53, removed with the preview. */

let r53: Route53Server;
let zoneId: string;
let h: PreviewHarness;

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

    const closed = await handlePullRequest(
      h.deps,
      h.prEvent('closed', { pr, sha: sha('50'), time: '2026-03-06T11:00:00Z' }),
    );
    expect(closed.previews[0]?.done).toMatchObject([{ kind: 'teardown', result: { dnsDeleted: true } }]);
    expect(cname()).toEqual([]);
  });
});
