import {
  compareRecordOrder,
  normalizeName,
  normalizeRecord,
  type RecordChange,
  type RecordSet,
  type RoutingPolicy,
  recordKey,
  routingPolicy,
  sameRecord,
} from './record-set.ts';

/**
 * Route 53's ChangeResourceRecordSets rules (summarised with their AWS sources in
 * docs/traffic-shifting.md, "Route 53 rules switchyard relies on"), as one pure function. The planner
 * checks every batch it builds with it and the adapter checks a batch's shape before sending it. The
 * Route 53 stand-in of the tests judges batches with rules of its own, so it can disagree with this.
 * Messages are AWS's own strings where they are known.
 */

export type BatchErrorCode = 'InvalidInput' | 'InvalidChangeBatch';

export interface BatchCheckResult {
  ok: boolean;
  code?: BatchErrorCode;
  messages: string[];
  /** The records at the touched names after the batch (only meaningful when ok). */
  after: RecordSet[];
}

export interface BatchCheckInput {
  /** When absent, the zone-membership and apex checks are skipped (the caller may not know the name). */
  zoneName?: string;
  changes: readonly RecordChange[];
  /** Current records at (at least) every name the batch touches. */
  current: readonly RecordSet[];
  comment?: string;
}

export const MAX_RECORDS_PER_REQUEST = 1000;
export const MAX_VALUE_CHARS_PER_REQUEST = 32000;
export const MAX_WEIGHTED_PER_GROUP = 100;
export const MAX_TXT_STRING = 255;

const ROUTING_NAMES: Record<RoutingPolicy, string> = {
  simple: 'simple',
  weighted: 'weighted',
  geolocation: 'geolocation',
  failover: 'failover',
};

function label(r: RecordSet): string {
  const base = `[name='${normalizeName(r.name)}', type='${r.type}'`;
  return r.setIdentifier !== undefined ? `${base}, set-identifier='${r.setIdentifier}']` : `${base}]`;
}

function changeLabel(c: RecordChange): string {
  return `[Action=${c.action}, Name=${c.record.name}, Type=${c.record.type}, SetIdentifier=${c.record.setIdentifier ?? 'null'}]`;
}

/** Schema-level checks (InvalidInput): the first problem stops the request, as AWS's validator does. */
function inputProblem(changes: readonly RecordChange[], comment: string | undefined): string | null {
  if (changes.length === 0) {
    return "1 validation error detected: Value '[]' at 'changeBatch.changes' failed to satisfy constraint: Member must have length greater than or equal to 1";
  }
  if (comment !== undefined && comment.length > 256) {
    return `1 validation error detected: Value '${comment}' at 'changeBatch.comment' failed to satisfy constraint: Member must have length less than or equal to 256`;
  }
  for (const [i, c] of changes.entries()) {
    const r = c.record;
    const at = `changeBatch.changes.${i + 1}.member.resourceRecordSet`;
    if (c.action !== 'CREATE' && c.action !== 'DELETE' && c.action !== 'UPSERT') {
      return `Invalid XML ; cvc-enumeration-valid: Value '${String(c.action)}' is not facet-valid with respect to enumeration '[CREATE, DELETE, UPSERT]'. It must be a value from the enumeration.`;
    }
    if (r.weight !== undefined && (!Number.isInteger(r.weight) || r.weight < 0 || r.weight > 255)) {
      const bound = r.weight < 0 ? 'greater than or equal to 0' : 'less than or equal to 255';
      return `1 validation error detected: Value '${r.weight}' at '${at}.weight' failed to satisfy constraint: Member must have value ${bound}`;
    }
    if (r.setIdentifier !== undefined && (r.setIdentifier.length < 1 || r.setIdentifier.length > 128)) {
      return `1 validation error detected: Value '${r.setIdentifier}' at '${at}.setIdentifier' failed to satisfy constraint: Member must have length less than or equal to 128`;
    }
    if (r.ttl !== undefined && (!Number.isInteger(r.ttl) || r.ttl < 0 || r.ttl > 2147483647)) {
      return `1 validation error detected: Value '${r.ttl}' at '${at}.TTL' failed to satisfy constraint: Member must have value less than or equal to 2147483647`;
    }
    const hasAlias = r.alias !== undefined;
    const hasPlain = r.ttl !== undefined && r.values !== undefined && r.values.length > 0;
    if (hasAlias && (r.ttl !== undefined || r.values !== undefined)) {
      return `Invalid request: Expected exactly one of [AliasTarget, all of [TTL, and ResourceRecords], or TrafficPolicyInstanceId], but found more than one in Change with ${changeLabel(c)}`;
    }
    if (!hasAlias && !hasPlain) {
      return `Invalid request: Expected exactly one of [AliasTarget, all of [TTL, and ResourceRecords], or TrafficPolicyInstanceId], but found none in Change with ${changeLabel(c)}`;
    }
    const policies = [r.weight, r.geoLocation, r.failover].filter((v) => v !== undefined).length;
    if (policies > 0 && r.setIdentifier === undefined) {
      return `Invalid request: Missing field 'SetIdentifier' in Change with ${changeLabel(c)}`;
    }
    if (policies > 1) {
      return `Invalid request: Expected exactly one of [Weight, Region, Failover, GeoLocation, MultiValueAnswer, GeoProximityLocation, or CidrRoutingConfig], but found more than one in Change with ${changeLabel(c)}`;
    }
    if (policies === 0 && r.setIdentifier !== undefined) {
      return `Invalid request: Expected exactly one of [Weight, Region, Failover, GeoLocation, MultiValueAnswer, GeoProximityLocation, or CidrRoutingConfig], but found none in Change with ${changeLabel(c)}`;
    }
    const geo = r.geoLocation;
    if (geo) {
      if (geo.continentCode !== undefined && (geo.countryCode !== undefined || geo.subdivisionCode !== undefined)) {
        return `Invalid request: Cannot specify both ContinentCode and CountryCode or SubdivisionCode in GeoLocation in Change with ${changeLabel(c)}`;
      }
      if (geo.subdivisionCode !== undefined && geo.countryCode !== 'US') {
        return `Invalid request: SubdivisionCode requires CountryCode US in Change with ${changeLabel(c)}`;
      }
      if (geo.continentCode === undefined && geo.countryCode === undefined) {
        return `Invalid request: Expected at least one of [ContinentCode, CountryCode] in GeoLocation in Change with ${changeLabel(c)}`;
      }
    }
    if (r.alias && (r.alias.hostedZoneId === '' || r.alias.dnsName === '')) {
      return `Invalid request: Missing field 'DNSName' in Change with ${changeLabel(c)}`;
    }
  }
  return null;
}

/**
 * The checks that need no current state (input validation, sizes, record values): what the adapter can
 * verify on any batch before sending it. Null when the batch passes.
 */
export function checkBatchShape(
  changes: readonly RecordChange[],
  comment?: string,
): { code: BatchErrorCode; messages: string[] } | null {
  const problem = inputProblem(changes, comment);
  if (problem) return { code: 'InvalidInput', messages: [problem] };
  const messages = [
    ...sizeProblems(changes),
    ...changes.filter((c) => c.action !== 'DELETE').flatMap((c) => valueProblems(normalizeRecord(c.record))),
  ];
  return messages.length > 0 ? { code: 'InvalidChangeBatch', messages } : null;
}

/** Request-size limits (DNSLimitations): UPSERT counts twice for both. */
function sizeProblems(changes: readonly RecordChange[]): string[] {
  let records = 0;
  let chars = 0;
  for (const c of changes) {
    const factor = c.action === 'UPSERT' ? 2 : 1;
    records += factor * (c.record.alias ? 1 : (c.record.values?.length ?? 0));
    chars += factor * (c.record.values ?? []).reduce((n, v) => n + v.length, 0);
  }
  const out: string[] = [];
  if (records > MAX_RECORDS_PER_REQUEST) out.push(`Number of records limit of ${MAX_RECORDS_PER_REQUEST} exceeded.`);
  if (chars > MAX_VALUE_CHARS_PER_REQUEST) {
    out.push(`Number of characters limit of ${MAX_VALUE_CHARS_PER_REQUEST} exceeded.`);
  }
  return out;
}

function valueProblems(r: RecordSet): string[] {
  const out: string[] = [];
  if (r.type === 'TXT' || r.type === 'SPF') {
    for (const v of r.values ?? []) {
      if (!/^(\s*"((?:[^"\\]|\\.)*)"\s*)+$/.test(v)) {
        out.push(
          `Invalid Resource Record: 'FATAL problem: InvalidCharacterString (Value should be enclosed in quotation marks) encountered with '${v}''`,
        );
        continue;
      }
      const re = /"((?:[^"\\]|\\.)*)"/g;
      for (let m = re.exec(v); m !== null; m = re.exec(v)) {
        if (m[1]!.replace(/\\(.)/g, '$1').length > MAX_TXT_STRING) {
          out.push(
            `Invalid Resource Record: 'FATAL problem: TXTRDATATooLong (Value is too long) encountered with '${v}''`,
          );
        }
      }
    }
  }
  if (r.type === 'CNAME' && (r.values?.length ?? 0) > 1) {
    out.push(
      `RRSet of type CNAME with DNS name ${normalizeName(r.name)} is not permitted as it contains more than one value.`,
    );
  }
  if ((r.type === 'A' || r.type === 'AAAA') && r.values) {
    const ok = r.type === 'A' ? /^(\d{1,3})(\.\d{1,3}){3}$/ : /^[0-9a-fA-F:]+$/;
    for (const v of r.values) {
      if (!ok.test(v)) {
        out.push(
          `Invalid Resource Record: 'FATAL problem: ${r.type === 'A' ? 'ARRDATAIllegalIPv4Address (Value is not a valid IPv4 address)' : 'AAAARRDATAIllegalIPv6Address (Value is not a valid IPv6 address)'} encountered with '${v}''`,
        );
      }
    }
  }
  return out;
}

function inZone(name: string, zone: string): boolean {
  return name === zone || name.endsWith(`.${zone}`);
}

/**
 * Validates the batch in order against a working copy (DELETE before CREATE matters: external-dns#1411)
 * and returns every problem found, or the records after the batch. Nothing is applied on any problem.
 */
export function checkChangeBatch(input: BatchCheckInput): BatchCheckResult {
  const zone = input.zoneName === undefined ? undefined : normalizeName(input.zoneName);
  const shape = checkBatchShape(input.changes, input.comment);
  if (shape?.code === 'InvalidInput') return { ok: false, ...shape, after: [] };

  const messages: string[] = [...sizeProblems(input.changes)];
  const work = new Map<string, RecordSet>();
  for (const r of input.current) work.set(recordKey(r), normalizeRecord(r));
  const touchedGroups = new Set<string>();

  for (const change of input.changes) {
    const r = normalizeRecord(change.record);
    const key = recordKey(r);
    if (zone !== undefined && !inZone(r.name, zone)) {
      messages.push(`RRSet with DNS name ${r.name} is not permitted in zone ${zone}`);
      continue;
    }
    if (change.action !== 'DELETE') messages.push(...valueProblems(r));
    const existing = work.get(key);
    if (change.action === 'DELETE') {
      if (!existing) {
        messages.push(`Tried to delete resource record set ${label(r)} but it was not found`);
      } else if (!sameRecord(existing, r)) {
        messages.push(
          `Tried to delete resource record set ${label(r)} but the values provided do not match the current values`,
        );
      } else {
        work.delete(key);
      }
      continue;
    }
    if (change.action === 'CREATE' && existing) {
      messages.push(`Tried to create resource record set ${label(r)} but it already exists`);
      continue;
    }
    if (!existing) {
      const conflict = creationConflict(r, [...work.values()], zone);
      if (conflict) {
        messages.push(conflict);
        continue;
      }
    } else if (routingPolicy(existing) !== routingPolicy(r)) {
      messages.push(policyConflict(r, routingPolicy(existing)));
      continue;
    }
    work.set(key, r);
    touchedGroups.add(`${r.name}|${r.type}`);
  }

  for (const group of touchedGroups) {
    const [name, type] = group.split('|') as [string, string];
    const members = [...work.values()].filter((m) => m.name === name && m.type === type);
    const weighted = members.filter((m) => m.weight !== undefined);
    if (weighted.length > MAX_WEIGHTED_PER_GROUP) {
      messages.push(
        `RRSet with DNS name ${name} and type ${type} cannot have more than ${MAX_WEIGHTED_PER_GROUP} weighted records.`,
      );
    }
    const ttls = new Set(weighted.filter((m) => m.alias === undefined).map((m) => m.ttl));
    if (ttls.size > 1) {
      const changed = input.changes
        .map((c) => normalizeRecord(c.record))
        .find((c) => c.name === name && c.type === type && c.weight !== undefined);
      messages.push(
        `RRSet with DNS name ${name} and type ${type}, SetIdentifier ${changed?.setIdentifier ?? ''} cannot be created as weighted sets must contain the same TTL.`,
      );
    }
  }

  if (messages.length > 0) return { ok: false, code: 'InvalidChangeBatch', messages, after: [] };
  return { ok: true, messages: [], after: [...work.values()].sort(compareRecordOrder) };
}

function policyConflict(r: RecordSet, existingPolicy: RoutingPolicy): string {
  const policy = routingPolicy(r);
  if (policy === 'simple') {
    return `RRSet with DNS name ${r.name}, type ${r.type} cannot be created as other RRSets exist with the same name and type.`;
  }
  if (existingPolicy === 'simple' || existingPolicy !== policy) {
    return `RRSet with DNS name ${r.name}, type ${r.type}, SetIdentifier ${r.setIdentifier} cannot be created as a non-${ROUTING_NAMES[policy]} set exists with the same name and type.`;
  }
  return '';
}

function creationConflict(r: RecordSet, all: RecordSet[], zoneName: string | undefined): string | null {
  const sameName = all.filter((m) => m.name === r.name);
  const zone = zoneName ?? r.name.split('.').slice(1).join('.');
  if (r.type === 'CNAME' && r.name === zoneName) {
    return `RRSet of type CNAME with DNS name ${r.name} is not permitted at apex in zone ${zone.replace(/\.$/, '')}.`;
  }
  if (r.type === 'CNAME' && sameName.some((m) => m.type !== 'CNAME')) {
    return `RRSet of type CNAME with DNS name ${r.name} is not permitted as it conflicts with other records with the same DNS name in zone ${zone.replace(/\.$/, '')}.`;
  }
  if (r.type !== 'CNAME' && sameName.some((m) => m.type === 'CNAME')) {
    return `RRSet of type ${r.type} with DNS name ${r.name} is not permitted because a conflicting RRSet of type  CNAME with the same DNS name already exists in zone ${zone.replace(/\.$/, '')}.`;
  }
  const group = sameName.filter((m) => m.type === r.type);
  const policy = routingPolicy(r);
  const other = group.find((m) => routingPolicy(m) !== policy);
  if (other) return policyConflict(r, routingPolicy(other));
  if (policy === 'geolocation') {
    const loc = JSON.stringify(r.geoLocation);
    if (group.some((m) => JSON.stringify(m.geoLocation) === loc)) {
      return `RRSet with DNS name ${r.name}, type ${r.type}, SetIdentifier ${r.setIdentifier} cannot be created because a geolocation set with the same location already exists.`;
    }
  }
  if (policy === 'failover' && group.some((m) => m.failover === r.failover)) {
    return `RRSet with DNS name ${r.name}, type ${r.type}, SetIdentifier ${r.setIdentifier} cannot be created because a ${r.failover} failover set already exists.`;
  }
  if (policy === 'simple' && group.length > 0) {
    return `Tried to create resource record set ${label(r)} but it already exists`;
  }
  return null;
}
