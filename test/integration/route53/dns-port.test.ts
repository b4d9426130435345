import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Route53Dns } from '../../../shared/adapters/route53/route53-dns.ts';
import { ConflictError, NotFoundError, ValidationError } from '../../../shared/errors.ts';
import { route53ClientFromEnv, useRoute53Endpoint } from '../../support/route53/sdk-env.ts';
import { type Route53Server, startRoute53Server } from '../../support/route53/server.ts';

let server: Route53Server;
let dns: Route53Dns;
let zoneId: string;

beforeAll(async () => {
  server = await startRoute53Server();
  useRoute53Endpoint(server.url);
  zoneId = server.control.createZone('preview.example.com');
  dns = new Route53Dns({ client: route53ClientFromEnv(), pollIntervalMs: 10 });
});
afterAll(async () => {
  await server.close();
});

describe('DnsPort over the Route 53 adapter (preview hosts)', () => {
  it('upserts, reads, replaces and deletes a simple record, whatever the name case', async () => {
    const first = await dns.upsertRecord({
      zoneId,
      name: 'PR-42.Preview.example.com',
      type: 'CNAME',
      ttl: 60,
      values: ['ingress.example.net'],
    });
    expect(first.changeId).toMatch(/^\/change\//);
    expect(await dns.getRecord({ zoneId, name: 'pr-42.preview.example.com.', type: 'CNAME' })).toEqual({
      zoneId,
      name: 'pr-42.preview.example.com.',
      type: 'CNAME',
      ttl: 60,
      values: ['ingress.example.net'],
    });
    await dns.upsertRecord({
      zoneId,
      name: 'pr-42.preview.example.com',
      type: 'CNAME',
      ttl: 30,
      values: ['other.example.net'],
    });
    expect((await dns.getRecord({ zoneId, name: 'pr-42.preview.example.com', type: 'CNAME' }))?.values).toEqual([
      'other.example.net',
    ]);
    expect(await dns.deleteRecord({ zoneId, name: 'pr-42.preview.example.com', type: 'CNAME' })).not.toBeNull();
    expect(await dns.getRecord({ zoneId, name: 'pr-42.preview.example.com', type: 'CNAME' })).toBeNull();
    // Deleting what is not there is a no-op, not an error.
    expect(await dns.deleteRecord({ zoneId, name: 'pr-42.preview.example.com', type: 'CNAME' })).toBeNull();
  });

  it('quotes TXT values and splits them into 255-character strings', async () => {
    const long = 'k'.repeat(600);
    await dns.upsertRecord({ zoneId, name: 'txt.preview.example.com', type: 'TXT', ttl: 60, values: [long] });
    const raw = server.control.records(zoneId).find((r) => r.name === 'txt.preview.example.com.');
    expect(raw?.values?.[0]).toBe(`"${'k'.repeat(255)}" "${'k'.repeat(255)}" "${'k'.repeat(90)}"`);
    expect((await dns.getRecord({ zoneId, name: 'txt.preview.example.com', type: 'TXT' }))?.values).toEqual([long]);
  });

  it('waits for INSYNC with a deadline', async () => {
    server.control.setChangeDelayMs(50);
    const change = await dns.upsertRecord({
      zoneId,
      name: 'w.preview.example.com',
      type: 'A',
      ttl: 60,
      values: ['192.0.2.7'],
    });
    expect(change.status).toBe('PENDING');
    expect((await dns.waitForInSync(change.changeId, 5000)).status).toBe('INSYNC');
    server.control.holdChanges(true);
    const held = await dns.upsertRecord({
      zoneId,
      name: 'w.preview.example.com',
      type: 'A',
      ttl: 60,
      values: ['192.0.2.8'],
    });
    expect((await dns.waitForInSync(held.changeId, 30)).status).toBe('PENDING');
    server.control.flushChanges();
    server.control.setChangeDelayMs(0);
  });

  it('maps Route 53 errors into the taxonomy', async () => {
    await expect(
      dns.upsertRecord({ zoneId: 'ZNOPE', name: 'x.example.com', type: 'A', ttl: 60, values: ['192.0.2.1'] }),
    ).rejects.toBeInstanceOf(NotFoundError);
    await dns.upsertRecord({ zoneId, name: 'c.preview.example.com', type: 'A', ttl: 60, values: ['192.0.2.1'] });
    const conflict = dns.applyChanges(zoneId, [
      { action: 'DELETE', record: { name: 'c.preview.example.com', type: 'A', ttl: 60, values: ['192.0.2.99'] } },
    ]);
    await expect(conflict).rejects.toBeInstanceOf(ConflictError);
    const cname = dns.upsertRecord({
      zoneId,
      name: 'c.preview.example.com',
      type: 'CNAME',
      ttl: 60,
      values: ['x.example.net'],
    });
    await expect(cname).rejects.toBeInstanceOf(ValidationError);
    await expect(cname).rejects.toThrow(/conflicts with other records/);
    // The adapter's own check refuses a bad batch before sending it.
    const calls = server.control.calls().length;
    await expect(
      dns.upsertRecord({ zoneId, name: 'bad.preview.example.com', type: 'A', ttl: 60, values: ['not-an-ip'] }),
    ).rejects.toThrow(/IllegalIPv4/);
    expect(server.control.calls().length).toBe(calls);
  });
});

describe('control over HTTP (for the sandbox process)', () => {
  it('creates zones and health checks, flips health, and lists records', async () => {
    const post = (path: string, body: unknown) =>
      fetch(`${server.url}/_control/${path}`, { method: 'POST', body: JSON.stringify(body) }).then((r) => r.json());
    const { id } = (await post('zones', { name: 'sandbox.example' })) as { id: string };
    expect(id).toMatch(/^Z/);
    const hc = (await post('health-checks', {})) as { id: string };
    await post('health', { id: hc.id, healthy: false });
    expect(await dns.healthCheckStatus(hc.id)).toBe('UNHEALTHY');
    await post('health', { id: hc.id, healthy: true });
    expect(await dns.healthCheckStatus(hc.id)).toBe('HEALTHY');
    const records = (await fetch(`${server.url}/_control/records?zone=${id}`).then((r) => r.json())) as {
      type: string;
    }[];
    expect(records.map((r) => r.type)).toEqual(['NS', 'SOA']);
  });
});
