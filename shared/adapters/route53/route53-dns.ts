import {
  ChangeResourceRecordSetsCommand,
  GetChangeCommand,
  GetHealthCheckStatusCommand,
  ListResourceRecordSetsCommand,
  type ResourceRecordSet,
  Route53Client,
  type RRType,
} from '@aws-sdk/client-route-53';
import { planOwnedDelete, planOwnedUpsert } from '../../domain/preview/dns-ownership.ts';
import { checkBatchShape } from '../../domain/traffic/check-change-batch.ts';
import {
  compareNames,
  normalizeName,
  parseTxtValue,
  type RecordChange,
  type RecordSet,
  routingPolicy,
  txtValue,
} from '../../domain/traffic/record-set.ts';
import { ValidationError } from '../../errors.ts';
import { type Clock, systemClock } from '../../ports/clock.ts';
import type { DnsPort, OwnedDnsResult, RecordRef, SimpleRecord } from '../../ports/dns.ts';
import type { ChangeInfo, ChangeStatus, TrafficDnsPort } from '../../ports/traffic-dns.ts';
import type { HealthCheckReading, HealthCheckStatusPort } from '../../ports/traffic-gates.ts';
import { ownedWrite } from './owned-records.ts';
import { fromSdkRecord, toSdkChange } from './record-mapping.ts';
import { isRetryableRoute53, wrapRoute53Error } from './route53-errors.ts';
import { TokenBucket } from './token-bucket.ts';

export interface Route53DnsOptions {
  /** A client to use; by default one is built for us-east-1 (endpoint from AWS_ENDPOINT_URL_ROUTE_53 if set). */
  client?: Route53Client;
  clock?: Clock;
  /** Attempts for Throttling/PriorRequestNotComplete/5xx, with exponential backoff (default 6). */
  maxAttempts?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  random?: () => number;
  /**
   * Client-side token bucket under Route 53's account bucket (burst 50, 10/s), default burst 40 at 8/s:
   * the account budget is shared with every other tool (external-dns, Terraform), so we leave 20%.
   * null disables it.
   */
  rateLimit?: { burst: number; perSecond: number } | null;
  /** GetChange polling interval while waiting for INSYNC (default 5 s). */
  pollIntervalMs?: number;
  /** Called once per HTTP request sent (retries included): benchmarks and logs count them. */
  onRequest?: (operation: string) => void;
}

const TXT_CHUNK = 255;

/**
 * The only Route 53 importer. Implements the preview DNS port (simple records), the traffic port
 * (record sets with routing policies) and the health-check gate.
 */
export class Route53Dns implements DnsPort, TrafficDnsPort, HealthCheckStatusPort {
  readonly client: Route53Client;
  private readonly clock: Clock;
  private readonly maxAttempts: number;
  private readonly baseDelayMs: number;
  private readonly maxDelayMs: number;
  private readonly random: () => number;
  private readonly bucket: TokenBucket | null;
  private readonly pollIntervalMs: number;
  private readonly onRequest: (operation: string) => void;

  constructor(options: Route53DnsOptions = {}) {
    // Our own retry owns backoff (it sees every attempt and uses the injected clock), so the SDK's is off.
    this.client = options.client ?? new Route53Client({ region: 'us-east-1', maxAttempts: 1 });
    this.clock = options.clock ?? systemClock;
    this.maxAttempts = options.maxAttempts ?? 6;
    this.baseDelayMs = options.baseDelayMs ?? 200;
    this.maxDelayMs = options.maxDelayMs ?? 5000;
    this.random = options.random ?? Math.random;
    const rate = options.rateLimit === undefined ? { burst: 40, perSecond: 8 } : options.rateLimit;
    this.bucket = rate ? new TokenBucket(rate.burst, rate.perSecond, this.clock) : null;
    this.pollIntervalMs = options.pollIntervalMs ?? 5000;
    this.onRequest = options.onRequest ?? (() => {});
  }

  private async call<T>(operation: string, what: string, send: () => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      if (this.bucket) await this.bucket.take();
      this.onRequest(operation);
      try {
        return await send();
      } catch (error) {
        if (!isRetryableRoute53(error) || attempt >= this.maxAttempts) throw wrapRoute53Error(error, what);
        // Full jitter: Route 53 asks for "intervals of increasing duration" (PriorRequestNotComplete doc).
        const cap = Math.min(this.maxDelayMs, this.baseDelayMs * 2 ** (attempt - 1));
        await this.clock.sleep(Math.round(cap / 2 + (this.random() * cap) / 2));
      }
    }
  }

  // --- TrafficDnsPort ---

  async listRecordsAt(zoneId: string, names: readonly string[]): Promise<RecordSet[]> {
    if (names.length === 0) return [];
    const wanted = [...new Set(names.map(normalizeName))].sort(compareNames);
    const first = wanted[0]!;
    const last = wanted[wanted.length - 1]!;
    const out: RecordSet[] = [];
    let start: { name: string; type?: string; identifier?: string } | null = { name: first };
    while (start) {
      const from: { name: string; type?: string; identifier?: string } = start;
      const page = await this.call('ListResourceRecordSets', `list records of ${zoneId} from ${from.name}`, () =>
        this.client.send(
          new ListResourceRecordSetsCommand({
            HostedZoneId: zoneId,
            StartRecordName: from.name,
            ...(from.type !== undefined ? { StartRecordType: from.type as RRType } : {}),
            ...(from.identifier !== undefined ? { StartRecordIdentifier: from.identifier } : {}),
            MaxItems: 300,
          }),
        ),
      );
      let past = false;
      for (const sdk of page.ResourceRecordSets ?? []) {
        const r = fromSdkRecord(sdk);
        if (compareNames(r.name, last) > 0) {
          past = true;
          break;
        }
        if (wanted.includes(normalizeName(r.name))) out.push(r);
      }
      start =
        !past && page.IsTruncated && page.NextRecordName
          ? {
              name: page.NextRecordName,
              ...(page.NextRecordType !== undefined ? { type: page.NextRecordType } : {}),
              ...(page.NextRecordIdentifier !== undefined ? { identifier: page.NextRecordIdentifier } : {}),
            }
          : null;
    }
    return out;
  }

  async applyChanges(zoneId: string, changes: readonly RecordChange[], comment?: string): Promise<ChangeInfo> {
    const shape = checkBatchShape(changes, comment);
    if (shape)
      throw new ValidationError(`change batch for ${zoneId} breaks Route 53 rules (${shape.code})`, shape.messages);
    const out = await this.call('ChangeResourceRecordSets', `change records in ${zoneId}`, () =>
      this.client.send(
        new ChangeResourceRecordSetsCommand({
          HostedZoneId: zoneId,
          ChangeBatch: { Changes: changes.map(toSdkChange), ...(comment !== undefined ? { Comment: comment } : {}) },
        }),
      ),
    );
    return toChangeInfo(out.ChangeInfo);
  }

  async getChange(changeId: string): Promise<ChangeInfo> {
    const out = await this.call('GetChange', `get change ${changeId}`, () =>
      this.client.send(new GetChangeCommand({ Id: changeId })),
    );
    return toChangeInfo(out.ChangeInfo);
  }

  async waitForInSync(changeId: string, deadlineMs: number): Promise<ChangeInfo> {
    const until = this.clock.now().getTime() + deadlineMs;
    for (;;) {
      const info = await this.getChange(changeId);
      if (info.status === 'INSYNC') return info;
      const left = until - this.clock.now().getTime();
      if (left <= 0) return info;
      await this.clock.sleep(Math.min(this.pollIntervalMs, left));
    }
  }

  // --- HealthCheckStatusPort ---

  /**
   * GetHealthCheckStatus: what each checker saw last. AWS documents this call as not meant for
   * production use (its bucket is small: 4 requests, 1 per second) and it cannot read calculated
   * health checks; shift gates read the CloudWatch metric by default (CloudWatchGates). This reader
   * stays for local stand-ins and for `source: route53` gates.
   */
  async healthCheckStatus(healthCheckId: string): Promise<HealthCheckReading> {
    const out = await this.call('GetHealthCheckStatus', `health check ${healthCheckId}`, () =>
      this.client.send(new GetHealthCheckStatusCommand({ HealthCheckId: healthCheckId })),
    );
    const observations = out.HealthCheckObservations ?? [];
    if (observations.length === 0) return 'INSUFFICIENT_DATA';
    const healthy = observations.filter((o) => /^Success/.test(o.StatusReport?.Status ?? '')).length;
    // "healthy if more than 18% of checkers report healthy" (dns-failover-determining-health-of-endpoints).
    return healthy / observations.length > 0.18 ? 'HEALTHY' : 'UNHEALTHY';
  }

  // --- DnsPort (simple records for previews) ---

  async getRecord(ref: RecordRef): Promise<SimpleRecord | null> {
    const name = normalizeName(ref.name);
    const records = await this.listRecordsAt(ref.zoneId, [name]);
    const found = records.find((r) => r.type === ref.type && routingPolicy(r) === 'simple' && r.alias === undefined);
    if (!found) return null;
    const values =
      ref.type === 'TXT' ? (found.values ?? []).map((v) => parseTxtValue(v).join('')) : (found.values ?? []);
    return { zoneId: ref.zoneId, name, type: ref.type, ttl: found.ttl ?? 0, values };
  }

  async upsertOwnedRecord(record: SimpleRecord, owner: string): Promise<OwnedDnsResult> {
    return ownedWrite(this, record.zoneId, record.name, owner, record.ttl, (input) =>
      planOwnedUpsert(input, toSimpleRecordSet(record)),
    );
  }

  async deleteOwnedRecord(ref: RecordRef, owner: string): Promise<OwnedDnsResult> {
    return ownedWrite(this, ref.zoneId, ref.name, owner, 0, (input) => planOwnedDelete(input, ref.type));
  }
}

export function toSimpleRecordSet(record: SimpleRecord): RecordSet {
  const values =
    record.type === 'TXT'
      ? record.values.map((v) => txtValue(v.match(new RegExp(`[\\s\\S]{1,${TXT_CHUNK}}`, 'g')) ?? ['']))
      : record.values;
  return { name: normalizeName(record.name), type: record.type, ttl: record.ttl, values };
}

function toChangeInfo(
  info: { Id?: string | undefined; Status?: string | undefined; SubmittedAt?: Date | undefined } | undefined,
): ChangeInfo {
  return {
    id: info?.Id ?? '',
    status: (info?.Status ?? 'PENDING') as ChangeStatus,
    submittedAt: info?.SubmittedAt ?? new Date(0),
  };
}

export type { ResourceRecordSet };
