/**
 * Route 53 resource record sets in our own terms (never SDK types), shared by the planner, the batch
 * checker and the adapter.
 */

export interface AliasTarget {
  hostedZoneId: string;
  dnsName: string;
  evaluateTargetHealth: boolean;
}

export interface GeoLocation {
  continentCode?: string;
  countryCode?: string;
  subdivisionCode?: string;
}

export type FailoverRole = 'PRIMARY' | 'SECONDARY';

export interface RecordSet {
  /** Normalised: lowercase, trailing dot, `*` as `\052` (what ListResourceRecordSets returns). */
  name: string;
  type: string;
  setIdentifier?: string;
  weight?: number;
  geoLocation?: GeoLocation;
  failover?: FailoverRole;
  ttl?: number;
  values?: string[];
  alias?: AliasTarget;
  healthCheckId?: string;
}

export type ChangeAction = 'CREATE' | 'DELETE' | 'UPSERT';

export interface RecordChange {
  action: ChangeAction;
  record: RecordSet;
}

export type RoutingPolicy = 'simple' | 'weighted' | 'geolocation' | 'failover';

/**
 * Route 53 stores names lowercase with a trailing dot and returns `*` (and other characters outside
 * a-z 0-9 - _) as octal escapes, so `*.Example.com` is listed as `\052.example.com.` (DomainNameFormat).
 */
export function normalizeName(name: string): string {
  const lower = name.trim().toLowerCase();
  const dotted = lower.endsWith('.') ? lower : `${lower}.`;
  let out = '';
  for (let i = 0; i < dotted.length; i++) {
    const ch = dotted[i]!;
    if (ch === '\\' && /^[0-7]{3}$/.test(dotted.slice(i + 1, i + 4))) {
      out += dotted.slice(i, i + 4);
      i += 3;
    } else if (/[a-z0-9\-_.]/.test(ch)) {
      out += ch;
    } else {
      out += `\\${ch.charCodeAt(0).toString(8).padStart(3, '0')}`;
    }
  }
  return out;
}

export function routingPolicy(record: RecordSet): RoutingPolicy {
  if (record.weight !== undefined) return 'weighted';
  if (record.geoLocation !== undefined) return 'geolocation';
  if (record.failover !== undefined) return 'failover';
  return 'simple';
}

/** The identity Route 53 uses for CREATE/UPSERT/DELETE: name, type and set identifier. */
export function recordKey(record: Pick<RecordSet, 'name' | 'type' | 'setIdentifier'>): string {
  return `${normalizeName(record.name)}|${record.type}|${record.setIdentifier ?? ''}`;
}

/** Exact equality, as a DELETE must match: TTL, values, alias, weight, location, failover, health check. */
export function sameRecord(a: RecordSet, b: RecordSet): boolean {
  return canonical(a) === canonical(b);
}

function canonical(r: RecordSet): string {
  return JSON.stringify([
    normalizeName(r.name),
    r.type,
    r.setIdentifier ?? null,
    r.weight ?? null,
    r.geoLocation
      ? [r.geoLocation.continentCode ?? null, r.geoLocation.countryCode ?? null, r.geoLocation.subdivisionCode ?? null]
      : null,
    r.failover ?? null,
    r.ttl ?? null,
    // Values are a set to Route 53: order does not make a record different.
    r.values ? [...r.values].sort() : null,
    r.alias ? [r.alias.hostedZoneId, normalizeName(r.alias.dnsName), r.alias.evaluateTargetHealth] : null,
    r.healthCheckId ?? null,
  ]);
}

/** A copy with the name normalised, so records compare and sort the way Route 53 does. */
export function normalizeRecord(record: RecordSet): RecordSet {
  const out: RecordSet = { ...record, name: normalizeName(record.name) };
  if (record.alias) out.alias = { ...record.alias, dnsName: normalizeName(record.alias.dnsName) };
  return out;
}

/**
 * ListResourceRecordSets order (Route 53 API reference, ListResourceRecordSets "Sort order"): by the
 * name with its labels reversed and a trailing dot (`com.example.www.`), compared as an ASCII string,
 * then by type; within a group by set identifier (not documented; what we use consistently). The string
 * comparison matters: `_switchyard-old.www` sorts before `_switchyard.www` because `-` is below `.`.
 */
export function compareRecordOrder(
  a: Pick<RecordSet, 'name' | 'type' | 'setIdentifier'>,
  b: Pick<RecordSet, 'name' | 'type' | 'setIdentifier'>,
): number {
  const byName = compareNames(a.name, b.name);
  if (byName !== 0) return byName;
  if (a.type !== b.type) return a.type < b.type ? -1 : 1;
  const sa = a.setIdentifier ?? '';
  const sb = b.setIdentifier ?? '';
  return sa === sb ? 0 : sa < sb ? -1 : 1;
}

/** The string Route 53 sorts a name by: `www.example.com` -> `com.example.www.`. */
export function listingKey(name: string): string {
  return `${normalizeName(name).replace(/\.$/, '').split('.').reverse().join('.')}.`;
}

export function compareNames(a: string, b: string): number {
  const ka = listingKey(a);
  const kb = listingKey(b);
  return ka === kb ? 0 : ka < kb ? -1 : 1;
}

/** A TXT value as Route 53 wants it: each string quoted, at most 255 characters each. */
export function txtValue(strings: readonly string[]): string {
  return strings.map((s) => `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`).join(' ');
}

/** The strings of one TXT value (`"a" "b"` -> [a, b]). */
export function parseTxtValue(value: string): string[] {
  const out: string[] = [];
  const re = /"((?:[^"\\]|\\.)*)"/g;
  for (let m = re.exec(value); m !== null; m = re.exec(value)) {
    out.push(m[1]!.replace(/\\(.)/g, '$1'));
  }
  return out;
}
