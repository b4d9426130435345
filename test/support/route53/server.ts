import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  byListingOrder,
  identity,
  judgeChangeBatch,
  storedName as normalizeName,
  type StandInChange as RecordChange,
  type StandInRecord as RecordSet,
  Refusal,
  sortKey,
} from './rules.ts';
import { buildXml, child, children, parseXml, textOf, type XmlNode, type XmlSpec, XmlSyntaxError } from './xml.ts';

/**
 * A Route 53 test server we own: the real REST-XML API (2013-04-01) for the calls switchyard uses,
 * enforcing the rules of ./rules.ts (from AWS's documentation; moto and LocalStack accept much of what
 * Route 53 refuses). It imports nothing from the production code it is there to judge.
 * The AWS SDK v3 reaches it through `AWS_ENDPOINT_URL_ROUTE_53` or `endpoint` in the client config.
 */

const NS = 'https://route53.amazonaws.com/doc/2013-04-01/';

export type Route53Operation =
  | 'ChangeResourceRecordSets'
  | 'ListResourceRecordSets'
  | 'GetChange'
  | 'CreateHostedZone'
  | 'GetHostedZone'
  | 'ListHostedZones'
  | 'ListHostedZonesByName'
  | 'DeleteHostedZone'
  | 'CreateHealthCheck'
  | 'GetHealthCheck'
  | 'GetHealthCheckStatus'
  | 'Unknown';

export interface Route53ServerOptions {
  port?: number;
  /** Milliseconds a change stays PENDING before GetChange says INSYNC (default 0). */
  changeDelayMs?: number;
  /** The server's clock (share a fake clock with the code under test). */
  now?: () => number;
  /** Account-level token bucket: requests beyond it get `Throttling` (Route 53: burst 50, 10/s). */
  rateLimit?: { burst: number; perSecond: number };
  /** Change-throughput bucket (Route 53: 1,500 changes, 100/s; UPSERT costs 2). */
  changeLimit?: { burst: number; perSecond: number };
  /** Zones to create at start: name -> wanted id (or undefined for a generated one). */
  zones?: Record<string, string | undefined>;
}

export interface CallRecord {
  operation: Route53Operation;
  status: number;
  code?: string;
  at: number;
}

interface Zone {
  id: string;
  name: string;
  callerReference: string;
  comment: string;
  records: Map<string, RecordSet>;
}

interface ChangeEntry {
  id: string;
  submittedAt: number;
  comment?: string;
  forcedStatus?: 'PENDING' | 'INSYNC';
}

interface HealthCheck {
  id: string;
  callerReference: string;
  config: XmlNode | undefined;
  healthy: boolean;
}

interface Injection {
  /** `LostResponse`: the request is carried out, then the connection drops before any answer. */
  code: 'Throttling' | 'PriorRequestNotComplete' | 'ServiceUnavailable' | 'LostResponse';
  operation?: Route53Operation;
  remaining: number;
}

export interface Route53Control {
  /** Creates a zone directly (with its SOA and NS records); returns the bare id (`Z...`). */
  createZone(name: string, id?: string): string;
  zones(): { id: string; name: string }[];
  /** Current records of a zone, in ListResourceRecordSets order. */
  records(zoneId: string): RecordSet[];
  /** Writes records directly (seeding), checked by the same rules as the API. */
  seed(zoneId: string, changes: RecordChange[]): void;
  createHealthCheck(healthy?: boolean): string;
  setHealthy(healthCheckId: string, healthy: boolean): void;
  /** The next `times` matching requests fail with the code (any operation when none is named). */
  inject(code: Injection['code'], times: number, operation?: Route53Operation): void;
  setChangeDelayMs(ms: number): void;
  /** Every change submitted so far becomes INSYNC now. */
  flushChanges(): void;
  /** Keeps every change PENDING (until flushChanges). */
  holdChanges(hold: boolean): void;
  calls(): CallRecord[];
  resetCalls(): void;
  /** Changes applied per zone (count of successful ChangeResourceRecordSets). */
  changeCount(zoneId?: string): number;
}

export interface Route53Server {
  url: string;
  port: number;
  control: Route53Control;
  close(): Promise<void>;
}

class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly messages: string[];
  constructor(status: number, code: string, messages: string[]) {
    super(messages.join('; '));
    this.status = status;
    this.code = code;
    this.messages = messages;
  }
}

function bareId(id: string): string {
  return id.replace(/^\/?(hostedzone|change|healthcheck)\//, '');
}

class Bucket {
  private tokens: number;
  private last: number;
  private readonly burst: number;
  private readonly perSecond: number;
  private readonly now: () => number;
  constructor(limit: { burst: number; perSecond: number }, now: () => number) {
    this.burst = limit.burst;
    this.perSecond = limit.perSecond;
    this.now = now;
    this.tokens = limit.burst;
    this.last = now();
  }
  take(n = 1): boolean {
    const t = this.now();
    this.tokens = Math.min(this.burst, this.tokens + ((t - this.last) / 1000) * this.perSecond);
    this.last = t;
    if (this.tokens < n) return false;
    this.tokens -= n;
    return true;
  }
}

export async function startRoute53Server(options: Route53ServerOptions = {}): Promise<Route53Server> {
  const now = options.now ?? Date.now;
  const zones = new Map<string, Zone>();
  const changes = new Map<string, ChangeEntry>();
  const healthChecks = new Map<string, HealthCheck>();
  const injections: Injection[] = [];
  const calls: CallRecord[] = [];
  const changeCounts = new Map<string, number>();
  let changeDelayMs = options.changeDelayMs ?? 0;
  let hold = false;
  let seq = 0;
  const accountBucket = options.rateLimit ? new Bucket(options.rateLimit, now) : null;
  const changeBucket = options.changeLimit ? new Bucket(options.changeLimit, now) : null;

  const nextId = (prefix: string): string => `${prefix}${(++seq).toString(36).toUpperCase().padStart(12, '0')}`;

  function newChange(comment?: string): ChangeEntry {
    const entry: ChangeEntry = { id: nextId('C'), submittedAt: now(), ...(comment ? { comment } : {}) };
    changes.set(entry.id, entry);
    return entry;
  }

  function changeStatus(c: ChangeEntry): 'PENDING' | 'INSYNC' {
    if (c.forcedStatus) return c.forcedStatus;
    if (hold) return 'PENDING';
    return now() >= c.submittedAt + changeDelayMs ? 'INSYNC' : 'PENDING';
  }

  function createZone(name: string, id?: string, callerReference: string = randomUUID(), comment = ''): Zone {
    const zone: Zone = {
      id: id ?? nextId('Z'),
      name: normalizeName(name),
      callerReference,
      comment,
      records: new Map(),
    };
    const ns = ['ns-1.awsdns-01.org.', 'ns-2.awsdns-02.co.uk.', 'ns-3.awsdns-03.com.', 'ns-4.awsdns-04.net.'];
    const apex = (r: RecordSet) => zone.records.set(identity(r), r);
    apex({ name: zone.name, type: 'NS', ttl: 172800, values: ns });
    apex({
      name: zone.name,
      type: 'SOA',
      ttl: 900,
      values: ['ns-1.awsdns-01.org. awsdns-hostmaster.amazon.com. 1 7200 900 1209600 86400'],
    });
    zones.set(zone.id, zone);
    return zone;
  }

  for (const [name, id] of Object.entries(options.zones ?? {})) createZone(name, id);

  function getZone(id: string): Zone {
    const zone = zones.get(bareId(id));
    if (!zone) throw new ApiError(404, 'NoSuchHostedZone', [`No hosted zone found with ID: ${bareId(id)}`]);
    return zone;
  }

  function sortedRecords(zone: Zone): RecordSet[] {
    return [...zone.records.values()].sort(byListingOrder);
  }

  function applyBatch(zone: Zone, batch: RecordChange[], comment: string | undefined): void {
    for (const c of batch) {
      const id = c.record.healthCheckId;
      if (c.action !== 'DELETE' && id !== undefined && !healthChecks.has(id)) {
        throw new ApiError(404, 'NoSuchHealthCheck', [`No health check exists with the specified ID ${id}`]);
      }
    }
    let after: RecordSet[];
    try {
      after = judgeChangeBatch(zone.name, [...zone.records.values()], batch, comment);
    } catch (error) {
      if (error instanceof Refusal) throw new ApiError(400, error.code, error.messages);
      throw error;
    }
    if (changeBucket) {
      const cost = batch.reduce((n, c) => n + (c.action === 'UPSERT' ? 2 : 1), 0);
      if (!changeBucket.take(cost)) throw new ApiError(400, 'Throttling', ['Rate exceeded']);
    }
    // All or nothing: the judge worked on a copy; only now does the zone change.
    zone.records = new Map(after.map((r) => [identity(r), r]));
    changeCounts.set(zone.id, (changeCounts.get(zone.id) ?? 0) + 1);
  }

  const control: Route53Control = {
    createZone: (name, id) => createZone(name, id).id,
    zones: () => [...zones.values()].map((z) => ({ id: z.id, name: z.name })),
    records: (zoneId) => sortedRecords(getZone(zoneId)),
    seed: (zoneId, batch) => applyBatch(getZone(zoneId), batch, undefined),
    createHealthCheck: (healthy = true) => {
      const id = randomUUID();
      healthChecks.set(id, { id, callerReference: id, config: undefined, healthy });
      return id;
    },
    setHealthy: (id, healthy) => {
      const hc = healthChecks.get(id);
      if (!hc) throw new Error(`no health check ${id}`);
      hc.healthy = healthy;
    },
    inject: (code, times, operation) => {
      injections.push({ code, remaining: times, ...(operation ? { operation } : {}) });
    },
    setChangeDelayMs: (ms) => {
      changeDelayMs = ms;
    },
    flushChanges: () => {
      for (const c of changes.values()) c.forcedStatus = 'INSYNC';
      hold = false;
    },
    holdChanges: (h) => {
      hold = h;
    },
    calls: () => [...calls],
    resetCalls: () => {
      calls.length = 0;
    },
    changeCount: (zoneId) =>
      zoneId === undefined
        ? [...changeCounts.values()].reduce((a, b) => a + b, 0)
        : (changeCounts.get(bareId(zoneId)) ?? 0),
  };

  const ROUTES: [string, RegExp, Route53Operation][] = [
    ['POST', /^\/2013-04-01\/hostedzone\/(.+)\/rrset$/, 'ChangeResourceRecordSets'],
    ['GET', /^\/2013-04-01\/hostedzone\/(.+)\/rrset$/, 'ListResourceRecordSets'],
    ['GET', /^\/2013-04-01\/change\/(.+)$/, 'GetChange'],
    ['POST', /^\/2013-04-01\/hostedzone$/, 'CreateHostedZone'],
    ['GET', /^\/2013-04-01\/hostedzone$/, 'ListHostedZones'],
    ['GET', /^\/2013-04-01\/hostedzonesbyname$/, 'ListHostedZonesByName'],
    ['GET', /^\/2013-04-01\/hostedzone\/([^/]+)$/, 'GetHostedZone'],
    ['DELETE', /^\/2013-04-01\/hostedzone\/([^/]+)$/, 'DeleteHostedZone'],
    ['POST', /^\/2013-04-01\/healthcheck$/, 'CreateHealthCheck'],
    ['GET', /^\/2013-04-01\/healthcheck\/([^/]+)\/status$/, 'GetHealthCheckStatus'],
    ['GET', /^\/2013-04-01\/healthcheck\/([^/]+)$/, 'GetHealthCheck'],
  ];

  function route(method: string, path: string): { op: Route53Operation; params: string[] } {
    const p = path.replace(/\/+$/, '');
    for (const [m, re, op] of ROUTES) {
      const match = m === method ? re.exec(p) : null;
      if (match) return { op, params: match.slice(1).map((x) => decodeURIComponent(x)) };
    }
    return { op: 'Unknown', params: [] };
  }

  function parseBody(body: string): XmlNode {
    try {
      return parseXml(body);
    } catch (error) {
      if (error instanceof XmlSyntaxError)
        throw new ApiError(400, 'InvalidInput', ['Invalid XML ; the document is not well formed']);
      throw error;
    }
  }

  function handle(
    op: Route53Operation,
    params: string[],
    query: URLSearchParams,
    body: string,
  ): [number, string, Record<string, string>?] {
    switch (op) {
      case 'ChangeResourceRecordSets': {
        const zone = getZone(params[0]!);
        const doc = parseBody(body);
        const batchNode = child(doc, 'ChangeBatch');
        const comment = textOf(batchNode, 'Comment');
        const batch = children(child(batchNode, 'Changes'), 'Change').map(readChange);
        applyBatch(zone, batch, comment);
        const entry = newChange(comment);
        return [200, doc1('ChangeResourceRecordSetsResponse', [changeInfo(entry, 'PENDING')])];
      }
      case 'ListResourceRecordSets': {
        const zone = getZone(params[0]!);
        const name = query.get('name');
        const type = query.get('type');
        const identifier = query.get('identifier');
        if ((type !== null && name === null) || (identifier !== null && type === null)) {
          throw new ApiError(400, 'InvalidInput', ['The input is not valid']);
        }
        const maxItems = Math.min(300, Math.max(1, Number(query.get('maxitems') ?? 300) || 300));
        const all = sortedRecords(zone);
        let start = 0;
        if (name !== null) {
          const from = { name: normalizeName(name), type: type ?? '', setIdentifier: identifier ?? '' };
          start = all.findIndex((r) => {
            const [a, b] = [sortKey(r.name), sortKey(from.name)];
            if (a !== b) return a > b;
            if (type === null) return true;
            if (r.type !== from.type) return r.type > from.type;
            return (r.setIdentifier ?? '') >= from.setIdentifier;
          });
          if (start < 0) start = all.length;
        }
        const page = all.slice(start, start + maxItems);
        const next = all[start + maxItems];
        return [
          200,
          doc1('ListResourceRecordSetsResponse', [
            ['ResourceRecordSets', page.map(recordXml)],
            ['IsTruncated', next !== undefined],
            ['NextRecordName', next?.name],
            ['NextRecordType', next?.type],
            ['NextRecordIdentifier', next?.setIdentifier],
            ['MaxItems', maxItems],
          ]),
        ];
      }
      case 'GetChange': {
        const id = bareId(params[0]!);
        const entry = changes.get(id);
        if (!entry)
          throw new ApiError(404, 'NoSuchChange', [`A change with the specified change ID does not exist: ${id}`]);
        return [200, doc1('GetChangeResponse', [changeInfo(entry, changeStatus(entry))])];
      }
      case 'CreateHostedZone': {
        const doc = parseBody(body);
        const name = textOf(doc, 'Name');
        const callerReference = textOf(doc, 'CallerReference');
        if (!name || !callerReference) throw new ApiError(400, 'InvalidInput', ['The input is not valid']);
        for (const z of zones.values()) {
          if (z.callerReference === callerReference) {
            throw new ApiError(409, 'HostedZoneAlreadyExists', [
              `A hosted zone has already been created with the specified caller reference.`,
            ]);
          }
        }
        const zone = createZone(
          name,
          undefined,
          callerReference,
          textOf(child(doc, 'HostedZoneConfig'), 'Comment') ?? '',
        );
        const entry = newChange();
        return [
          201,
          doc1('CreateHostedZoneResponse', [zoneXml(zone), changeInfo(entry, 'PENDING'), delegationSet()]),
          { Location: `/2013-04-01/hostedzone/${zone.id}` },
        ];
      }
      case 'GetHostedZone': {
        const zone = getZone(params[0]!);
        return [200, doc1('GetHostedZoneResponse', [zoneXml(zone), delegationSet()])];
      }
      case 'DeleteHostedZone': {
        const zone = getZone(params[0]!);
        if ([...zone.records.values()].some((r) => !(r.name === zone.name && (r.type === 'NS' || r.type === 'SOA')))) {
          throw new ApiError(400, 'HostedZoneNotEmpty', [
            'The specified hosted zone contains non-required resource record sets and so cannot be deleted.',
          ]);
        }
        zones.delete(zone.id);
        return [200, doc1('DeleteHostedZoneResponse', [changeInfo(newChange(), 'PENDING')])];
      }
      case 'ListHostedZones': {
        const all = [...zones.values()].sort((a, b) => (a.id < b.id ? -1 : 1));
        const marker = query.get('marker');
        const max = Math.min(100, Number(query.get('maxitems') ?? 100) || 100);
        const start = marker
          ? Math.max(
              0,
              all.findIndex((z) => z.id === marker),
            )
          : 0;
        const page = all.slice(start, start + max);
        const next = all[start + max];
        return [
          200,
          doc1('ListHostedZonesResponse', [
            ['HostedZones', page.map(zoneXml)],
            ['Marker', marker ?? undefined],
            ['IsTruncated', next !== undefined],
            ['NextMarker', next?.id],
            ['MaxItems', max],
          ]),
        ];
      }
      case 'ListHostedZonesByName': {
        const dnsName = query.get('dnsname');
        const all = [...zones.values()].sort((a, b) => byZoneName(a.name, b.name) || (a.id < b.id ? -1 : 1));
        const max = Math.min(100, Number(query.get('maxitems') ?? 100) || 100);
        const start = dnsName ? all.findIndex((z) => byZoneName(z.name, dnsName) >= 0) : 0;
        const from = start < 0 ? all.length : start;
        const page = all.slice(from, from + max);
        const next = all[from + max];
        return [
          200,
          doc1('ListHostedZonesByNameResponse', [
            ['HostedZones', page.map(zoneXml)],
            ['DNSName', dnsName ?? undefined],
            ['IsTruncated', next !== undefined],
            ['NextDNSName', next?.name],
            ['NextHostedZoneId', next ? next.id : undefined],
            ['MaxItems', max],
          ]),
        ];
      }
      case 'CreateHealthCheck': {
        const doc = parseBody(body);
        const callerReference = textOf(doc, 'CallerReference') ?? '';
        for (const hc of healthChecks.values()) {
          if (hc.callerReference === callerReference) {
            return [
              201,
              doc1('CreateHealthCheckResponse', [healthCheckXml(hc)]),
              { Location: `/2013-04-01/healthcheck/${hc.id}` },
            ];
          }
        }
        const hc: HealthCheck = {
          id: randomUUID(),
          callerReference,
          config: child(doc, 'HealthCheckConfig'),
          healthy: true,
        };
        healthChecks.set(hc.id, hc);
        return [
          201,
          doc1('CreateHealthCheckResponse', [healthCheckXml(hc)]),
          { Location: `/2013-04-01/healthcheck/${hc.id}` },
        ];
      }
      case 'GetHealthCheck': {
        const hc = getHealthCheck(params[0]!);
        return [200, doc1('GetHealthCheckResponse', [healthCheckXml(hc)])];
      }
      case 'GetHealthCheckStatus': {
        const hc = getHealthCheck(params[0]!);
        const checked = new Date(now()).toISOString();
        const regions = ['us-east-1', 'us-west-1', 'eu-west-1', 'ap-southeast-1', 'sa-east-1', 'ap-northeast-1'];
        const status = hc.healthy
          ? 'Success: HTTP Status Code 200, OK'
          : 'Failure: HTTP Status Code 503, Service Unavailable';
        return [
          200,
          doc1('GetHealthCheckStatusResponse', [
            [
              'HealthCheckObservations',
              regions.map(
                (region, i): XmlSpec => [
                  'HealthCheckObservation',
                  [
                    ['Region', region],
                    ['IPAddress', `15.177.${i}.1`],
                    [
                      'StatusReport',
                      [
                        ['Status', status],
                        ['CheckedTime', checked],
                      ],
                    ],
                  ],
                ],
              ),
            ],
          ]),
        ];
      }
      default:
        throw new ApiError(404, 'UnknownOperationException', ['The Route 53 test server does not implement this call']);
    }
  }

  function getHealthCheck(id: string): HealthCheck {
    const hc = healthChecks.get(bareId(id));
    if (!hc)
      throw new ApiError(404, 'NoSuchHealthCheck', [`No health check exists with the specified ID ${bareId(id)}`]);
    return hc;
  }

  function takeInjection(op: Route53Operation, zoneScoped: boolean): Injection['code'] | null {
    for (const inj of injections) {
      if (inj.remaining <= 0) continue;
      if (inj.operation !== undefined && inj.operation !== op) continue;
      // PriorRequestNotComplete is about a zone's pending change: only change calls get it.
      if (inj.code === 'PriorRequestNotComplete' && !zoneScoped) continue;
      inj.remaining--;
      return inj.code;
    }
    return null;
  }

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      if (url.pathname.startsWith('/_control/')) {
        handleControl(req.method ?? 'GET', url, Buffer.concat(chunks).toString('utf8'), res);
        return;
      }
      const { op, params } = route(req.method ?? 'GET', url.pathname);
      const requestId = randomUUID();
      const send = (status: number, xml: string, headers: Record<string, string> = {}, code?: string) => {
        calls.push({ operation: op, status, at: now(), ...(code ? { code } : {}) });
        res.writeHead(status, { 'content-type': 'text/xml', 'x-amzn-requestid': requestId, ...headers });
        res.end(xml);
      };
      try {
        if (accountBucket && !accountBucket.take()) throw new ApiError(400, 'Throttling', ['Rate exceeded']);
        const injected = takeInjection(op, op === 'ChangeResourceRecordSets');
        if (injected === 'Throttling') throw new ApiError(400, 'Throttling', ['Rate exceeded']);
        if (injected === 'PriorRequestNotComplete') {
          throw new ApiError(400, 'PriorRequestNotComplete', [
            'The request was rejected because Route 53 was still processing a prior request.',
          ]);
        }
        if (injected === 'ServiceUnavailable') throw new ApiError(503, 'ServiceUnavailable', ['Service Unavailable']);
        const [status, xml, headers] = handle(op, params, url.searchParams, Buffer.concat(chunks).toString('utf8'));
        if (injected === 'LostResponse') {
          calls.push({ operation: op, status: 0, at: now(), code: 'LostResponse' });
          res.destroy();
          return;
        }
        send(status, xml, headers);
      } catch (error) {
        if (error instanceof ApiError) {
          send(error.status, errorXml(error, requestId), {}, error.code);
        } else {
          send(500, errorXml(new ApiError(500, 'InternalFailure', [String(error)]), requestId), {}, 'InternalFailure');
        }
      }
    });
  });

  /**
   * The same control over HTTP for the sandbox (a separate process): JSON in, JSON out.
   *   GET  /_control/zones                      POST /_control/zones {name, id?}
   *   GET  /_control/records?zone=Z...          POST /_control/health-checks {healthy?}
   *   POST /_control/health {id, healthy}       POST /_control/inject {code, times, operation?}
   *   POST /_control/change-delay {ms}          POST /_control/flush
   *   GET  /_control/calls
   */
  function handleControl(method: string, url: URL, body: string, res: ServerResponse) {
    const reply = (status: number, value: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(value));
    };
    try {
      const input = body ? (JSON.parse(body) as Record<string, unknown>) : {};
      const path = url.pathname.slice('/_control/'.length);
      if (method === 'GET' && path === 'zones') return reply(200, control.zones());
      if (method === 'POST' && path === 'zones') {
        return reply(201, { id: control.createZone(String(input['name']), input['id'] as string | undefined) });
      }
      if (method === 'GET' && path === 'records')
        return reply(200, control.records(url.searchParams.get('zone') ?? ''));
      if (method === 'POST' && path === 'health-checks') {
        return reply(201, { id: control.createHealthCheck(input['healthy'] !== false) });
      }
      if (method === 'POST' && path === 'health') {
        control.setHealthy(String(input['id']), input['healthy'] === true);
        return reply(200, { ok: true });
      }
      if (method === 'POST' && path === 'inject') {
        control.inject(
          input['code'] as Injection['code'],
          Number(input['times'] ?? 1),
          input['operation'] as Route53Operation | undefined,
        );
        return reply(200, { ok: true });
      }
      if (method === 'POST' && path === 'change-delay') {
        control.setChangeDelayMs(Number(input['ms'] ?? 0));
        return reply(200, { ok: true });
      }
      if (method === 'POST' && path === 'flush') {
        control.flushChanges();
        return reply(200, { ok: true });
      }
      if (method === 'GET' && path === 'calls') return reply(200, control.calls());
      return reply(404, { error: `no control ${method} ${path}` });
    } catch (error) {
      return reply(400, { error: (error as Error).message });
    }
  }

  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    control,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((e) => (e ? reject(e) : resolve()));
      }),
  };
}

/** ListHostedZonesByName orders by the reversed name as well (`com.example.`). */
function byZoneName(a: string, b: string): number {
  const [ka, kb] = [sortKey(a), sortKey(b)];
  return ka === kb ? 0 : ka < kb ? -1 : 1;
}

function doc1(root: string, body: XmlSpec[]): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n${buildXml([root, body]).replace(`<${root}>`, `<${root} xmlns="${NS}">`)}`;
}

/**
 * InvalidChangeBatch lists every problem, each a <Message>. The Route 53 model names the list member
 * `messages` (no xmlName), which is the element the JS SDK v3 reads into `error.messages`; Go's SDK
 * reads `<Messages>` (aws-sdk-go-v2 route53 customizations), so both are written. <Message> holds them
 * joined in brackets, as botocore and Go v1 print them.
 */
function errorXml(error: ApiError, requestId: string): string {
  const message = error.messages.length > 1 ? `[${error.messages.join(', ')}]` : (error.messages[0] ?? '');
  const inner: XmlSpec[] = [
    ['Type', error.status >= 500 ? 'Receiver' : 'Sender'],
    ['Code', error.code],
    ['Message', message],
  ];
  if (error.code === 'InvalidChangeBatch') {
    inner.push(['messages', error.messages.map((m): XmlSpec => ['Message', m])]);
    inner.push(['Messages', error.messages.map((m): XmlSpec => ['Message', m])]);
  }
  return doc1('ErrorResponse', [
    ['Error', inner],
    ['RequestId', requestId],
  ]);
}

function changeInfo(entry: ChangeEntry, status: 'PENDING' | 'INSYNC'): XmlSpec {
  return [
    'ChangeInfo',
    [
      ['Id', `/change/${entry.id}`],
      ['Status', status],
      ['SubmittedAt', new Date(entry.submittedAt).toISOString()],
      ['Comment', entry.comment],
    ],
  ];
}

function zoneXml(zone: Zone): XmlSpec {
  return [
    'HostedZone',
    [
      ['Id', `/hostedzone/${zone.id}`],
      ['Name', zone.name],
      ['CallerReference', zone.callerReference],
      [
        'Config',
        [
          ['Comment', zone.comment || undefined],
          ['PrivateZone', false],
        ],
      ],
      ['ResourceRecordSetCount', zone.records.size],
    ],
  ];
}

function delegationSet(): XmlSpec {
  return [
    'DelegationSet',
    [
      [
        'NameServers',
        ['ns-1.awsdns-01.org', 'ns-2.awsdns-02.co.uk', 'ns-3.awsdns-03.com', 'ns-4.awsdns-04.net'].map(
          (n): XmlSpec => ['NameServer', n],
        ),
      ],
    ],
  ];
}

function healthCheckXml(hc: HealthCheck): XmlSpec {
  const config = hc.config;
  const fields: XmlSpec[] = config
    ? config.children.map((c): XmlSpec => [c.name, c.children.length > 0 ? [] : c.text])
    : [
        ['Type', 'HTTPS'],
        ['FullyQualifiedDomainName', 'example.com'],
        ['RequestInterval', 30],
        ['FailureThreshold', 3],
      ];
  return [
    'HealthCheck',
    [
      ['Id', hc.id],
      ['CallerReference', hc.callerReference],
      ['HealthCheckConfig', fields],
      ['HealthCheckVersion', 1],
    ],
  ];
}

function recordXml(r: RecordSet): XmlSpec {
  const geo = r.geoLocation;
  return [
    'ResourceRecordSet',
    [
      ['Name', r.name],
      ['Type', r.type],
      ['SetIdentifier', r.setIdentifier],
      ['Weight', r.weight],
      [
        'GeoLocation',
        geo
          ? [
              ['ContinentCode', geo.continentCode],
              ['CountryCode', geo.countryCode],
              ['SubdivisionCode', geo.subdivisionCode],
            ]
          : undefined,
      ],
      ['Failover', r.failover],
      ['TTL', r.ttl],
      ['ResourceRecords', r.values?.map((v): XmlSpec => ['ResourceRecord', [['Value', v]]])],
      [
        'AliasTarget',
        r.alias
          ? [
              ['HostedZoneId', r.alias.hostedZoneId],
              ['DNSName', r.alias.dnsName],
              ['EvaluateTargetHealth', r.alias.evaluateTargetHealth],
            ]
          : undefined,
      ],
      ['HealthCheckId', r.healthCheckId],
    ],
  ];
}

function readChange(node: XmlNode): RecordChange {
  const action = textOf(node, 'Action') ?? '';
  const rr = child(node, 'ResourceRecordSet');
  const record: RecordSet = { name: textOf(rr, 'Name') ?? '', type: textOf(rr, 'Type') ?? '' };
  const setIdentifier = textOf(rr, 'SetIdentifier');
  if (setIdentifier !== undefined) record.setIdentifier = setIdentifier;
  const weight = textOf(rr, 'Weight');
  if (weight !== undefined) record.weight = Number(weight);
  const geo = child(rr, 'GeoLocation');
  if (geo) {
    record.geoLocation = {};
    const cc = textOf(geo, 'ContinentCode');
    const co = textOf(geo, 'CountryCode');
    const sd = textOf(geo, 'SubdivisionCode');
    if (cc !== undefined) record.geoLocation.continentCode = cc;
    if (co !== undefined) record.geoLocation.countryCode = co;
    if (sd !== undefined) record.geoLocation.subdivisionCode = sd;
  }
  const failover = textOf(rr, 'Failover');
  if (failover !== undefined) record.failover = failover as 'PRIMARY' | 'SECONDARY';
  const ttl = textOf(rr, 'TTL');
  if (ttl !== undefined) record.ttl = Number(ttl);
  const values = children(child(rr, 'ResourceRecords'), 'ResourceRecord').map((n) => textOf(n, 'Value') ?? '');
  if (child(rr, 'ResourceRecords')) record.values = values;
  const alias = child(rr, 'AliasTarget');
  if (alias) {
    record.alias = {
      hostedZoneId: textOf(alias, 'HostedZoneId') ?? '',
      dnsName: textOf(alias, 'DNSName') ?? '',
      evaluateTargetHealth: textOf(alias, 'EvaluateTargetHealth') === 'true',
    };
  }
  const hc = textOf(rr, 'HealthCheckId');
  if (hc !== undefined) record.healthCheckId = hc;
  return { action, record };
}
