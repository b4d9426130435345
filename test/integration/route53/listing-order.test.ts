import { ListResourceRecordSetsCommand } from '@aws-sdk/client-route-53';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Route53Dns } from '../../../shared/adapters/route53/route53-dns.ts';
import { route53ClientFromEnv, useRoute53Endpoint } from '../../support/route53/sdk-env.ts';
import { type Route53Server, startRoute53Server } from '../../support/route53/server.ts';

let server: Route53Server;
let zoneId: string;

beforeAll(async () => {
  server = await startRoute53Server();
  useRoute53Endpoint(server.url);
  zoneId = server.control.createZone('example.com');
  const record = (name: string, value: string) => ({
    action: 'CREATE' as const,
    record: { name, type: 'TXT', ttl: 60, values: [`"${value}"`] },
  });
  server.control.seed(zoneId, [
    { action: 'CREATE', record: { name: 'www.example.com', type: 'A', ttl: 60, values: ['192.0.2.10'] } },
    record('_switchyard.www.example.com', 'state'),
    record('_switchyard-old.www.example.com', 'sibling'),
    // Enough names between the two wanted ones to need a second page (300 per page).
    ...Array.from({ length: 320 }, (_, i) => record(`_a${i}.www.example.com`, 'filler')),
    record('a.www.example.com', 'after'),
  ]);
});
afterAll(async () => {
  await server.close();
});

describe('ListResourceRecordSets order (reversed labels, compared as ASCII strings)', () => {
  it('the stand-in lists `-` before `.`: _switchyard-old.www comes before _switchyard.www', async () => {
    const client = route53ClientFromEnv();
    const out = await client.send(
      new ListResourceRecordSetsCommand({ HostedZoneId: zoneId, StartRecordName: '_switchyard-old.www.example.com' }),
    );
    expect(out.ResourceRecordSets?.slice(0, 3).map((r) => r.Name)).toEqual([
      '_switchyard-old.www.example.com.',
      '_switchyard.www.example.com.',
      'a.www.example.com.',
    ]);
  });

  it('the adapter finds a name and its state record across pages, past siblings on either side', async () => {
    const calls: string[] = [];
    const dns = new Route53Dns({ client: route53ClientFromEnv(), onRequest: (op) => calls.push(op) });
    const records = await dns.listRecordsAt(zoneId, ['WWW.example.com', '_switchyard.www.example.com']);
    expect(records.map((r) => [r.name, r.type])).toEqual([
      ['www.example.com.', 'A'],
      ['_switchyard.www.example.com.', 'TXT'],
    ]);
    expect(calls).toEqual(['ListResourceRecordSets', 'ListResourceRecordSets']);
  });
});
