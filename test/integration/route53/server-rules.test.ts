import {
  type Change,
  ChangeResourceRecordSetsCommand,
  CreateHealthCheckCommand,
  CreateHostedZoneCommand,
  GetChangeCommand,
  GetHealthCheckCommand,
  GetHealthCheckStatusCommand,
  GetHostedZoneCommand,
  ListHostedZonesByNameCommand,
  ListHostedZonesCommand,
  ListResourceRecordSetsCommand,
  type ResourceRecordSet,
  Route53Client,
} from '@aws-sdk/client-route-53';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { route53ClientFromEnv, useRoute53Endpoint } from '../../support/route53/sdk-env.ts';
import { type Route53Server, startRoute53Server } from '../../support/route53/server.ts';

let server: Route53Server;
let clock = Date.parse('2026-11-23T08:00:00Z');
let r53: Route53Client;
let zoneId: string;

beforeAll(async () => {
  server = await startRoute53Server({ now: () => clock });
  useRoute53Endpoint(server.url);
  // No endpoint in code: the SDK takes AWS_ENDPOINT_URL_ROUTE_53 from the environment.
  r53 = route53ClientFromEnv();
});
afterAll(async () => {
  await server.close();
});

let zoneCounter = 0;
beforeEach(async () => {
  const out = await r53.send(
    new CreateHostedZoneCommand({ Name: 'Example.COM', CallerReference: `ref-${++zoneCounter}` }),
  );
  zoneId = out.HostedZone!.Id!;
});

const A = (name: string, extra: Partial<ResourceRecordSet> = {}): ResourceRecordSet => ({
  Name: name,
  Type: 'A',
  TTL: 60,
  ResourceRecords: [{ Value: '192.0.2.1' }],
  ...extra,
});
const weighted = (id: string, weight: number, extra: Partial<ResourceRecordSet> = {}) =>
  A('www.example.com', { SetIdentifier: id, Weight: weight, ...extra });

function send(...changes: Change[]) {
  return r53.send(new ChangeResourceRecordSetsCommand({ HostedZoneId: zoneId, ChangeBatch: { Changes: changes } }));
}

async function failure(
  p: Promise<unknown>,
): Promise<{ name: string; message: string; messages?: string[]; status: number }> {
  try {
    await p;
  } catch (e) {
    const err = e as { name: string; message: string; messages?: string[]; $metadata: { httpStatusCode: number } };
    return {
      name: err.name,
      message: err.message,
      status: err.$metadata.httpStatusCode,
      ...(err.messages ? { messages: err.messages } : {}),
    };
  }
  throw new Error('expected the call to fail');
}

async function list(params: { name?: string; type?: string; identifier?: string; max?: number } = {}) {
  return r53.send(
    new ListResourceRecordSetsCommand({
      HostedZoneId: zoneId,
      ...(params.name ? { StartRecordName: params.name } : {}),
      ...(params.type ? { StartRecordType: params.type as 'A' } : {}),
      ...(params.identifier ? { StartRecordIdentifier: params.identifier } : {}),
      ...(params.max ? { MaxItems: params.max } : {}),
    }),
  );
}

describe('Route 53 test server through the real SDK', () => {
  it('also works with `endpoint` in the client config', async () => {
    const direct = new Route53Client({
      region: 'us-east-1',
      endpoint: server.url,
      credentials: { accessKeyId: 'a', secretAccessKey: 'b' },
    });
    const zone = await direct.send(new GetHostedZoneCommand({ Id: zoneId }));
    expect(zone.HostedZone?.Name).toBe('example.com.');
    expect(zone.DelegationSet?.NameServers).toHaveLength(4);
  });

  it('lists zones, by name too', async () => {
    const all = await r53.send(new ListHostedZonesCommand({}));
    expect(all.HostedZones?.some((z) => z.Id === zoneId)).toBe(true);
    const byName = await r53.send(new ListHostedZonesByNameCommand({ DNSName: 'example.com' }));
    expect(byName.HostedZones?.[0]?.Name).toBe('example.com.');
    const dup = await failure(
      r53.send(new CreateHostedZoneCommand({ Name: 'x.com', CallerReference: `ref-${zoneCounter}` })),
    );
    expect(dup).toMatchObject({ name: 'HostedZoneAlreadyExists', status: 409 });
  });

  it('NoSuchHostedZone: 404 with AWS text', async () => {
    const err = await failure(r53.send(new ListResourceRecordSetsCommand({ HostedZoneId: 'ZNOPE' })));
    expect(err).toMatchObject({
      name: 'NoSuchHostedZone',
      status: 404,
      message: 'No hosted zone found with ID: ZNOPE',
    });
  });

  it('weighted without SetIdentifier is InvalidInput', async () => {
    const err = await failure(send({ Action: 'UPSERT', ResourceRecordSet: A('x.example.com', { Weight: 10 }) }));
    expect(err.name).toBe('InvalidInput');
    expect(err.message).toBe(
      "Invalid request: Missing field 'SetIdentifier' in Change with [Action=UPSERT, Name=x.example.com, Type=A, SetIdentifier=null]",
    );
  });

  it('weight above 255 is InvalidInput', async () => {
    const err = await failure(send({ Action: 'CREATE', ResourceRecordSet: weighted('a', 256) }));
    expect(err.name).toBe('InvalidInput');
    expect(err.message).toMatch(/Member must have value less than or equal to 255/);
  });

  it('neither alias nor TTL+records is InvalidInput', async () => {
    const err = await failure(send({ Action: 'DELETE', ResourceRecordSet: { Name: 'example.com', Type: 'A' } }));
    expect(err.message).toBe(
      'Invalid request: Expected exactly one of [AliasTarget, all of [TTL, and ResourceRecords], or TrafficPolicyInstanceId], but found none in Change with [Action=DELETE, Name=example.com, Type=A, SetIdentifier=null]',
    );
  });

  it('CREATE of an existing (name, type, set identifier) names the set identifier', async () => {
    await send({ Action: 'CREATE', ResourceRecordSet: weighted('legacy', 100) });
    const err = await failure(send({ Action: 'CREATE', ResourceRecordSet: weighted('legacy', 5) }));
    expect(err).toMatchObject({ name: 'InvalidChangeBatch', status: 400 });
    expect(err.messages).toEqual([
      "Tried to create resource record set [name='www.example.com.', type='A', set-identifier='legacy'] but it already exists",
    ]);
  });

  it('DELETE must match exactly; missing and duplicate deletes fail', async () => {
    await send({ Action: 'CREATE', ResourceRecordSet: weighted('legacy', 100) });
    const wrong = await failure(send({ Action: 'DELETE', ResourceRecordSet: weighted('legacy', 99) }));
    expect(wrong.messages).toEqual([
      "Tried to delete resource record set [name='www.example.com.', type='A', set-identifier='legacy'] but the values provided do not match the current values",
    ]);
    const missing = await failure(send({ Action: 'DELETE', ResourceRecordSet: weighted('nope', 1) }));
    expect(missing.messages?.[0]).toMatch(/set-identifier='nope'\] but it was not found$/);
    const twice = await failure(
      send(
        { Action: 'DELETE', ResourceRecordSet: weighted('legacy', 100) },
        { Action: 'DELETE', ResourceRecordSet: weighted('legacy', 100) },
      ),
    );
    expect(twice.name).toBe('InvalidChangeBatch');
    expect((await list({ name: 'www.example.com' })).ResourceRecordSets?.[0]?.SetIdentifier).toBe('legacy');
  });

  it('simple -> weighted: DELETE first works, CREATE first is refused', async () => {
    await send({ Action: 'CREATE', ResourceRecordSet: A('www.example.com') });
    const wrongOrder = await failure(
      send(
        { Action: 'CREATE', ResourceRecordSet: weighted('legacy', 100) },
        { Action: 'DELETE', ResourceRecordSet: A('www.example.com') },
      ),
    );
    expect(wrongOrder.messages).toEqual([
      'RRSet with DNS name www.example.com., type A, SetIdentifier legacy cannot be created as a non-weighted set exists with the same name and type.',
    ]);
    await send(
      { Action: 'DELETE', ResourceRecordSet: A('www.example.com') },
      { Action: 'CREATE', ResourceRecordSet: weighted('legacy', 100) },
      { Action: 'CREATE', ResourceRecordSet: weighted('kubernetes', 0) },
    );
    const simple = await failure(send({ Action: 'CREATE', ResourceRecordSet: A('www.example.com') }));
    expect(simple.messages).toEqual([
      'RRSet with DNS name www.example.com., type A cannot be created as other RRSets exist with the same name and type.',
    ]);
  });

  it('weighted members must share one TTL; UPSERTing all of them together is fine', async () => {
    await send({ Action: 'CREATE', ResourceRecordSet: weighted('legacy', 100) });
    const err = await failure(send({ Action: 'CREATE', ResourceRecordSet: weighted('kubernetes', 1, { TTL: 300 }) }));
    expect(err.messages).toEqual([
      'RRSet with DNS name www.example.com. and type A, SetIdentifier kubernetes cannot be created as weighted sets must contain the same TTL.',
    ]);
    await send({ Action: 'CREATE', ResourceRecordSet: weighted('kubernetes', 1) });
    await send(
      { Action: 'UPSERT', ResourceRecordSet: weighted('legacy', 100, { TTL: 30 }) },
      { Action: 'UPSERT', ResourceRecordSet: weighted('kubernetes', 1, { TTL: 30 }) },
    );
  });

  it('one routing policy per name and type', async () => {
    await send({ Action: 'CREATE', ResourceRecordSet: weighted('legacy', 100) });
    const err = await failure(
      send({
        Action: 'CREATE',
        ResourceRecordSet: A('www.example.com', { SetIdentifier: 'de', GeoLocation: { CountryCode: 'DE' } }),
      }),
    );
    expect(err.messages?.[0]).toMatch(/cannot be created as a non-geolocation set exists/);
  });

  it('CNAME conflicts in both directions, with AWS wording', async () => {
    await send({ Action: 'CREATE', ResourceRecordSet: A('app.example.com') });
    const cname = await failure(
      send({
        Action: 'CREATE',
        ResourceRecordSet: {
          Name: 'app.example.com',
          Type: 'CNAME',
          TTL: 60,
          ResourceRecords: [{ Value: 'lb.example.net' }],
        },
      }),
    );
    expect(cname.messages).toEqual([
      'RRSet of type CNAME with DNS name app.example.com. is not permitted as it conflicts with other records with the same DNS name in zone example.com.',
    ]);
    await send({
      Action: 'CREATE',
      ResourceRecordSet: {
        Name: 'c.example.com',
        Type: 'CNAME',
        TTL: 60,
        ResourceRecords: [{ Value: 'lb.example.net' }],
      },
    });
    const txt = await failure(
      send({
        Action: 'CREATE',
        ResourceRecordSet: { Name: 'c.example.com', Type: 'TXT', TTL: 60, ResourceRecords: [{ Value: '"x"' }] },
      }),
    );
    expect(txt.messages).toEqual([
      'RRSet of type TXT with DNS name c.example.com. is not permitted because a conflicting RRSet of type  CNAME with the same DNS name already exists in zone example.com.',
    ]);
    const apex = await failure(
      send({
        Action: 'CREATE',
        ResourceRecordSet: { Name: 'example.com', Type: 'CNAME', TTL: 60, ResourceRecords: [{ Value: 'x.net' }] },
      }),
    );
    expect(apex.messages?.[0]).toMatch(/is not permitted at apex in zone example\.com\./);
  });

  it('is all or nothing, and reports every problem of the batch', async () => {
    const before = server.control.records(zoneId);
    const err = await failure(
      send(
        { Action: 'CREATE', ResourceRecordSet: A('ok.example.com') },
        { Action: 'DELETE', ResourceRecordSet: A('gone.example.com') },
        { Action: 'CREATE', ResourceRecordSet: A('outside.example.org') },
      ),
    );
    expect(err.messages).toEqual([
      "Tried to delete resource record set [name='gone.example.com.', type='A'] but it was not found",
      'RRSet with DNS name outside.example.org. is not permitted in zone example.com.',
    ]);
    expect(err.message).toMatch(/^\[Tried to delete .*, RRSet with DNS name outside/);
    expect(server.control.records(zoneId)).toEqual(before);
  });

  it('UPSERT is idempotent', async () => {
    await send({ Action: 'UPSERT', ResourceRecordSet: weighted('legacy', 7) });
    await send({ Action: 'UPSERT', ResourceRecordSet: weighted('legacy', 7) });
    const out = await list({ name: 'www.example.com', type: 'A' });
    expect(out.ResourceRecordSets?.filter((r) => r.Name === 'www.example.com.')).toHaveLength(1);
  });

  it('stores names lowercase with a trailing dot and lists `*` as \\052', async () => {
    await send({ Action: 'CREATE', ResourceRecordSet: A('WWW.Example.COM') });
    const dup = await failure(send({ Action: 'CREATE', ResourceRecordSet: A('www.example.com.') }));
    expect(dup.messages?.[0]).toMatch(/already exists$/);
    await send({ Action: 'CREATE', ResourceRecordSet: A('*.Apps.example.com') });
    const names = (await list()).ResourceRecordSets?.map((r) => r.Name);
    expect(names).toContain('\\052.apps.example.com.');
    expect(names).toContain('www.example.com.');
  });

  it('pages a weighted group with NextRecordIdentifier and accepts it back', async () => {
    await send(
      ...['a', 'b', 'c', 'd', 'e'].map((id): Change => ({ Action: 'CREATE', ResourceRecordSet: weighted(id, 1) })),
    );
    const seen: string[] = [];
    let page = await list({ name: 'www.example.com', type: 'A', max: 2 });
    for (;;) {
      seen.push(
        ...(page.ResourceRecordSets ?? []).filter((r) => r.Name === 'www.example.com.').map((r) => r.SetIdentifier!),
      );
      if (!page.IsTruncated) break;
      expect(page.NextRecordName).toBe('www.example.com.');
      expect(page.NextRecordIdentifier).toBeDefined();
      page = await list({
        name: page.NextRecordName!,
        type: page.NextRecordType!,
        identifier: page.NextRecordIdentifier!,
        max: 2,
      });
    }
    expect(seen).toEqual(['a', 'b', 'c', 'd', 'e']);
    const noName = await failure(
      r53.send(new ListResourceRecordSetsCommand({ HostedZoneId: zoneId, StartRecordType: 'A' })),
    );
    expect(noName.name).toBe('InvalidInput');
  });

  it('changes are PENDING until the configured delay, then INSYNC', async () => {
    server.control.setChangeDelayMs(30_000);
    const out = await send({ Action: 'CREATE', ResourceRecordSet: A('p.example.com') });
    expect(out.ChangeInfo?.Status).toBe('PENDING');
    expect(out.ChangeInfo?.Id).toMatch(/^\/change\/C/);
    expect((await r53.send(new GetChangeCommand({ Id: out.ChangeInfo!.Id! }))).ChangeInfo?.Status).toBe('PENDING');
    clock += 30_000;
    expect((await r53.send(new GetChangeCommand({ Id: out.ChangeInfo!.Id! }))).ChangeInfo?.Status).toBe('INSYNC');
    server.control.setChangeDelayMs(0);
    const missing = await failure(r53.send(new GetChangeCommand({ Id: 'CNOPE' })));
    expect(missing).toMatchObject({ name: 'NoSuchChange', status: 404 });
  });

  it('injected Throttling and PriorRequestNotComplete come back as AWS sends them', async () => {
    server.control.inject('Throttling', 1, 'ListResourceRecordSets');
    const t = await failure(list());
    expect(t).toMatchObject({ name: 'Throttling', status: 400, message: 'Rate exceeded' });
    server.control.inject('PriorRequestNotComplete', 1);
    const p = await failure(send({ Action: 'CREATE', ResourceRecordSet: A('q.example.com') }));
    expect(p).toMatchObject({
      name: 'PriorRequestNotComplete',
      status: 400,
      message: 'The request was rejected because Route 53 was still processing a prior request.',
    });
    // The refused change did not happen.
    expect(server.control.records(zoneId).some((r) => r.name === 'q.example.com.')).toBe(false);
  });

  it('a token-bucket rate limit throttles bursts like the account bucket', async () => {
    const limited = await startRoute53Server({ rateLimit: { burst: 3, perSecond: 1 }, now: () => clock });
    const c = new Route53Client({
      region: 'us-east-1',
      endpoint: limited.url,
      maxAttempts: 1,
      credentials: { accessKeyId: 'a', secretAccessKey: 'b' },
    });
    const results = await Promise.allSettled(Array.from({ length: 5 }, () => c.send(new ListHostedZonesCommand({}))));
    expect(results.filter((r) => r.status === 'rejected')).toHaveLength(2);
    await limited.close();
  });

  it('enforces the request size limits (UPSERT counts twice) and TXT strings of 255', async () => {
    const values = Array.from({ length: 501 }, (_, i) => ({ Value: `"v${i}"` }));
    const big = await failure(
      send({
        Action: 'UPSERT',
        ResourceRecordSet: { Name: 't.example.com', Type: 'TXT', TTL: 60, ResourceRecords: values },
      }),
    );
    expect(big.messages).toContain('Number of records limit of 1000 exceeded.');
    await send({
      Action: 'CREATE',
      ResourceRecordSet: { Name: 't.example.com', Type: 'TXT', TTL: 60, ResourceRecords: values },
    });
    const long = await failure(
      send({
        Action: 'CREATE',
        ResourceRecordSet: {
          Name: 'u.example.com',
          Type: 'TXT',
          TTL: 60,
          ResourceRecords: [{ Value: `"${'x'.repeat(256)}"` }],
        },
      }),
    );
    expect(long.messages?.[0]).toMatch(/TXTRDATATooLong/);
  });

  it('health checks: create, get, status controlled by the test, and unknown ids on records', async () => {
    const created = await r53.send(
      new CreateHealthCheckCommand({
        CallerReference: `hc-${zoneCounter}`,
        HealthCheckConfig: { Type: 'HTTPS', FullyQualifiedDomainName: 'k8s.example.com', ResourcePath: '/healthz' },
      }),
    );
    const id = created.HealthCheck!.Id!;
    expect(
      (await r53.send(new GetHealthCheckCommand({ HealthCheckId: id }))).HealthCheck?.HealthCheckConfig?.ResourcePath,
    ).toBe('/healthz');
    const ok = await r53.send(new GetHealthCheckStatusCommand({ HealthCheckId: id }));
    expect(ok.HealthCheckObservations?.every((o) => o.StatusReport?.Status?.startsWith('Success'))).toBe(true);
    server.control.setHealthy(id, false);
    const bad = await r53.send(new GetHealthCheckStatusCommand({ HealthCheckId: id }));
    expect(bad.HealthCheckObservations?.every((o) => o.StatusReport?.Status?.startsWith('Failure'))).toBe(true);
    const unknown = await failure(
      send({ Action: 'CREATE', ResourceRecordSet: weighted('x', 1, { HealthCheckId: 'nope' }) }),
    );
    expect(unknown).toMatchObject({ name: 'NoSuchHealthCheck', status: 404 });
  });

  it('geolocation: one record per location; failover: one PRIMARY', async () => {
    const geo = (id: string, cc: string) => A('g.example.com', { SetIdentifier: id, GeoLocation: { CountryCode: cc } });
    await send(
      { Action: 'CREATE', ResourceRecordSet: geo('default', '*') },
      { Action: 'CREATE', ResourceRecordSet: geo('de', 'DE') },
    );
    const dup = await failure(send({ Action: 'CREATE', ResourceRecordSet: geo('de2', 'DE') }));
    expect(dup.name).toBe('InvalidChangeBatch');
    const both = await failure(
      send({
        Action: 'CREATE',
        ResourceRecordSet: A('h.example.com', {
          SetIdentifier: 'x',
          GeoLocation: { ContinentCode: 'EU', CountryCode: 'DE' },
        }),
      }),
    );
    expect(both.name).toBe('InvalidInput');
    await send({
      Action: 'CREATE',
      ResourceRecordSet: A('f.example.com', { SetIdentifier: 'p', Failover: 'PRIMARY' }),
    });
    const second = await failure(
      send({ Action: 'CREATE', ResourceRecordSet: A('f.example.com', { SetIdentifier: 'p2', Failover: 'PRIMARY' }) }),
    );
    expect(second.name).toBe('InvalidChangeBatch');
  });
});
