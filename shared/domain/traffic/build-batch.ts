import { type RecordChange, type RecordSet, recordKey, routingPolicy, sameRecord } from './record-set.ts';

const ORDER: Record<RecordChange['action'], number> = { DELETE: 0, UPSERT: 1, CREATE: 2 };

/**
 * The changes that turn `current` into `desired` (both the records of one name). Unchanged records are
 * left alone; a record whose routing policy changes is an exact DELETE plus a CREATE; DELETEs go first,
 * so a simple record is gone before its weighted replacements are created (external-dns#1411, PR #1555).
 */
export function diffRecords(current: readonly RecordSet[], desired: readonly RecordSet[]): RecordChange[] {
  const changes: RecordChange[] = [];
  const wanted = new Map(desired.map((r) => [recordKey(r), r]));
  const have = new Map(current.map((r) => [recordKey(r), r]));
  for (const [key, r] of have) {
    const d = wanted.get(key);
    if (!d || routingPolicy(d) !== routingPolicy(r)) changes.push({ action: 'DELETE', record: r });
    else if (!sameRecord(r, d)) changes.push({ action: 'UPSERT', record: d });
  }
  for (const [key, d] of wanted) {
    const r = have.get(key);
    if (!r || routingPolicy(d) !== routingPolicy(r)) changes.push({ action: 'CREATE', record: d });
  }
  return changes.sort((a, b) => ORDER[a.action] - ORDER[b.action]);
}

/**
 * Replaces the state TXT record by an exact DELETE of the value we read plus a CREATE of the new one:
 * if anyone rewrote it since, the DELETE does not match and Route 53 rejects the whole batch
 * (a compare-and-set: docs/traffic-shifting.md, "State lives in Route 53"). With no previous value, the CREATE alone fails if one appeared.
 */
export function replaceState(previous: RecordSet | null, next: RecordSet): RecordChange[] {
  const out: RecordChange[] = [];
  if (previous) out.push({ action: 'DELETE', record: previous });
  out.push({ action: 'CREATE', record: next });
  return out;
}

/** The batch in the API's own JSON shape (what a dry run prints and ChangeResourceRecordSets receives). */
export function changeBatchJson(changes: readonly RecordChange[], comment?: string): unknown {
  return {
    ...(comment !== undefined ? { Comment: comment } : {}),
    Changes: changes.map((c) => ({
      Action: c.action,
      ResourceRecordSet: stripUndefined({
        Name: c.record.name,
        Type: c.record.type,
        SetIdentifier: c.record.setIdentifier,
        Weight: c.record.weight,
        GeoLocation: c.record.geoLocation
          ? stripUndefined({
              ContinentCode: c.record.geoLocation.continentCode,
              CountryCode: c.record.geoLocation.countryCode,
              SubdivisionCode: c.record.geoLocation.subdivisionCode,
            })
          : undefined,
        Failover: c.record.failover,
        TTL: c.record.ttl,
        ResourceRecords: c.record.values?.map((Value) => ({ Value })),
        AliasTarget: c.record.alias
          ? {
              HostedZoneId: c.record.alias.hostedZoneId,
              DNSName: c.record.alias.dnsName,
              EvaluateTargetHealth: c.record.alias.evaluateTargetHealth,
            }
          : undefined,
        HealthCheckId: c.record.healthCheckId,
      }),
    })),
  };
}

function stripUndefined<T extends Record<string, unknown>>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
