import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ownedWrite } from '../../../shared/adapters/route53/owned-records.ts';
import { Route53Dns, toSimpleRecordSet } from '../../../shared/adapters/route53/route53-dns.ts';
import { planOwnedUpsert } from '../../../shared/domain/preview/dns-ownership.ts';
import { ConflictError, NotFoundError, ValidationError } from '../../../shared/errors.ts';
import type { SimpleRecord } from '../../../shared/ports/dns.ts';
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

const OWNER = 'acme/web#42/web';
const changes = () => server.control.calls().filter((c) => c.operation === 'ChangeResourceRecordSets').length;
const at = (name: string) => server.control.records(zoneId).filter((r) => r.name === name);
const cname = (name: string, target = 'ingress.example.net'): SimpleRecord => ({
  zoneId,
  name,
  type: 'CNAME',
  ttl: 60,
  values: [target],
});

describe('DnsPort over the Route 53 adapter (preview hosts, owned)', () => {
  it('creates a record with its ownership TXT in one batch, reads, replaces and deletes both, whatever the name case', async () => {
    const before = changes();
    const first = await dns.upsertOwnedRecord(cname('PR-42.Preview.example.com'), OWNER);
    expect(first).toMatchObject({ outcome: 'changed', changeId: expect.stringMatching(/^\/change\//) });
    expect(changes() - before).toBe(1);
    expect(at('_switchyard-owner.pr-42.preview.example.com.')).toEqual([
      {
        name: '_switchyard-owner.pr-42.preview.example.com.',
        type: 'TXT',
        ttl: 60,
        values: [`"heritage=switchyard,switchyard/owner=${OWNER}"`],
      },
    ]);
    expect(await dns.getRecord({ zoneId, name: 'pr-42.preview.example.com.', type: 'CNAME' })).toEqual({
      zoneId,
      name: 'pr-42.preview.example.com.',
      type: 'CNAME',
      ttl: 60,
      values: ['ingress.example.net'],
    });
    // Same input: nothing to send.
    const calls = changes();
    expect(await dns.upsertOwnedRecord(cname('pr-42.preview.example.com'), OWNER)).toEqual({ outcome: 'unchanged' });
    expect(changes()).toBe(calls);
    await dns.upsertOwnedRecord(cname('pr-42.preview.example.com', 'other.example.net'), OWNER);
    expect((await dns.getRecord({ zoneId, name: 'pr-42.preview.example.com', type: 'CNAME' }))?.values).toEqual([
      'other.example.net',
    ]);
    expect(
      await dns.deleteOwnedRecord({ zoneId, name: 'pr-42.preview.example.com', type: 'CNAME' }, OWNER),
    ).toMatchObject({ outcome: 'changed' });
    expect(at('pr-42.preview.example.com.')).toEqual([]);
    expect(at('_switchyard-owner.pr-42.preview.example.com.')).toEqual([]);
    // Deleting what is not there is a no-op, not an error.
    expect(await dns.deleteOwnedRecord({ zoneId, name: 'pr-42.preview.example.com', type: 'CNAME' }, OWNER)).toEqual({
      outcome: 'unchanged',
    });
  });

  it('leaves a record it did not create untouched (upsert and delete), and says why', async () => {
    server.control.seed(zoneId, [
      {
        action: 'CREATE',
        record: { name: 'www.preview.example.com.', type: 'CNAME', ttl: 300, values: ['site.example.net'] },
      },
    ]);
    const calls = changes();
    const upsert = await dns.upsertOwnedRecord(cname('www.preview.example.com'), OWNER);
    expect(upsert).toEqual({
      outcome: 'not-owned',
      reason: expect.stringMatching(/www\.preview\.example\.com has records switchyard did not create/),
    });
    const del = await dns.deleteOwnedRecord({ zoneId, name: 'www.preview.example.com', type: 'CNAME' }, OWNER);
    expect(del.outcome).toBe('not-owned');
    expect(changes()).toBe(calls);
    expect(at('www.preview.example.com.')).toEqual([
      { name: 'www.preview.example.com.', type: 'CNAME', ttl: 300, values: ['site.example.net'] },
    ]);
  });

  it("never changes or deletes another preview's record", async () => {
    const other = 'acme/web#7/web';
    await dns.upsertOwnedRecord(cname('shared.preview.example.com', 'seven.example.net'), other);
    const calls = changes();
    expect(await dns.upsertOwnedRecord(cname('shared.preview.example.com'), OWNER)).toEqual({
      outcome: 'not-owned',
      reason: `shared.preview.example.com belongs to ${other}; left untouched`,
    });
    expect(
      (await dns.deleteOwnedRecord({ zoneId, name: 'shared.preview.example.com', type: 'CNAME' }, OWNER)).outcome,
    ).toBe('not-owned');
    expect(changes()).toBe(calls);
    expect((await dns.getRecord({ zoneId, name: 'shared.preview.example.com', type: 'CNAME' }))?.values).toEqual([
      'seven.example.net',
    ]);
  });

  it.each([
    ['a CNAME', 'CNAME', 'elsewhere.example.net'],
    ['an A record', 'A', '192.0.2.9'],
  ])(
    'writes nothing and reports the name as not owned when someone creates %s between read and write',
    async (_what, type, value) => {
      const name = `race-${type.toLowerCase()}.preview.example.com.`;
      const racing = {
        listRecordsAt: async (zone: string, names: readonly string[]) => {
          const read = await dns.listRecordsAt(zone, names);
          if (at(name).length === 0) {
            server.control.seed(zoneId, [{ action: 'CREATE', record: { name, type, ttl: 60, values: [value] } }]);
          }
          return read;
        },
        applyChanges: dns.applyChanges.bind(dns),
      };
      const calls = changes();
      const result = await ownedWrite(racing, zoneId, name, OWNER, 60, (input) =>
        planOwnedUpsert(input, toSimpleRecordSet(cname(name))),
      );
      expect(result).toEqual({ outcome: 'not-owned', reason: expect.stringContaining('switchyard did not create') });
      expect(changes() - calls).toBe(1);
      expect(at(`_switchyard-owner.${name}`)).toEqual([]);
      expect(at(name)).toEqual([{ name, type, ttl: 60, values: [value] }]);
    },
  );

  it('quotes TXT values and splits them into 255-character strings', async () => {
    const long = 'k'.repeat(600);
    await dns.upsertOwnedRecord(
      { zoneId, name: 'txt.preview.example.com', type: 'TXT', ttl: 60, values: [long] },
      OWNER,
    );
    const raw = server.control.records(zoneId).find((r) => r.name === 'txt.preview.example.com.');
    expect(raw?.values?.[0]).toBe(`"${'k'.repeat(255)}" "${'k'.repeat(255)}" "${'k'.repeat(90)}"`);
    expect((await dns.getRecord({ zoneId, name: 'txt.preview.example.com', type: 'TXT' }))?.values).toEqual([long]);
  });

  it('waits for INSYNC with a deadline', async () => {
    server.control.setChangeDelayMs(50);
    const a: SimpleRecord = { zoneId, name: 'w.preview.example.com', type: 'A', ttl: 60, values: ['192.0.2.7'] };
    const change = await dns.upsertOwnedRecord(a, OWNER);
    if (change.outcome !== 'changed') throw new Error(`expected a change, got ${change.outcome}`);
    expect(change.status).toBe('PENDING');
    expect((await dns.waitForInSync(change.changeId, 5000)).status).toBe('INSYNC');
    server.control.holdChanges(true);
    const held = await dns.upsertOwnedRecord({ ...a, values: ['192.0.2.8'] }, OWNER);
    if (held.outcome !== 'changed') throw new Error(`expected a change, got ${held.outcome}`);
    expect((await dns.waitForInSync(held.changeId, 30)).status).toBe('PENDING');
    server.control.flushChanges();
    server.control.setChangeDelayMs(0);
  });

  it('maps Route 53 errors into the taxonomy', async () => {
    await expect(
      dns.upsertOwnedRecord(
        { zoneId: 'ZNOPE', name: 'x.example.com', type: 'A', ttl: 60, values: ['192.0.2.1'] },
        OWNER,
      ),
    ).rejects.toBeInstanceOf(NotFoundError);
    await dns.upsertOwnedRecord(
      { zoneId, name: 'c.preview.example.com', type: 'A', ttl: 60, values: ['192.0.2.1'] },
      OWNER,
    );
    const conflict = dns.applyChanges(zoneId, [
      { action: 'DELETE', record: { name: 'c.preview.example.com', type: 'A', ttl: 60, values: ['192.0.2.99'] } },
    ]);
    await expect(conflict).rejects.toBeInstanceOf(ConflictError);
    const cnameBesideA = dns.applyChanges(zoneId, [
      {
        action: 'CREATE',
        record: { name: 'c.preview.example.com', type: 'CNAME', ttl: 60, values: ['x.example.net'] },
      },
    ]);
    await expect(cnameBesideA).rejects.toBeInstanceOf(ValidationError);
    await expect(cnameBesideA).rejects.toThrow(/conflicts with other records/);
    // The adapter's own check refuses a bad batch before sending it.
    const calls = changes();
    await expect(
      dns.upsertOwnedRecord(
        { zoneId, name: 'bad.preview.example.com', type: 'A', ttl: 60, values: ['not-an-ip'] },
        OWNER,
      ),
    ).rejects.toThrow(/IllegalIPv4/);
    expect(changes()).toBe(calls);
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
