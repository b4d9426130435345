/**
 * The Route 53 rules the test server enforces, written from AWS's documentation and kept apart from
 * the production code on purpose: the server judges what the adapter and the planner send, so it must
 * be able to disagree with them. Sources:
 * - ChangeResourceRecordSets and ListResourceRecordSets in the Route 53 API reference (batch semantics,
 *   sort order, error codes);
 * - "Values that you specify when you create or edit records" and "Choosing a routing policy" in the
 *   Route 53 developer guide (one routing policy per name and type, set identifiers, weights 0-255,
 *   CNAME rules, TXT strings of 255 characters);
 * - "Quotas" in the developer guide (1,000 records and 32,000 value characters per request, UPSERT
 *   counted twice; 100 weighted records per name and type);
 * - "DNS domain name format" (names stored lowercase with a trailing dot, other characters as `\ooo`).
 */

export interface StandInRecord {
  name: string;
  type: string;
  setIdentifier?: string;
  weight?: number;
  geoLocation?: { continentCode?: string; countryCode?: string; subdivisionCode?: string };
  failover?: 'PRIMARY' | 'SECONDARY';
  ttl?: number;
  values?: string[];
  alias?: { hostedZoneId: string; dnsName: string; evaluateTargetHealth: boolean };
  healthCheckId?: string;
}

export interface StandInChange {
  action: string;
  record: StandInRecord;
}

export class Refusal extends Error {
  readonly code: 'InvalidInput' | 'InvalidChangeBatch';
  readonly messages: string[];
  constructor(code: 'InvalidInput' | 'InvalidChangeBatch', messages: string[]) {
    super(messages.join('; '));
    this.code = code;
    this.messages = messages;
  }
}

/** DomainNameFormat: lowercase, trailing dot, anything outside a-z 0-9 - _ . written as `\` + 3 octal digits. */
export function storedName(input: string): string {
  let name = input.trim().toLowerCase();
  if (!name.endsWith('.')) name += '.';
  return name.replace(/\\[0-7]{3}|[^a-z0-9\-_.]/g, (m) =>
    m.length === 4 ? m : `\\${m.charCodeAt(0).toString(8).padStart(3, '0')}`,
  );
}

/** ListResourceRecordSets "Sort order": the name with labels reversed plus the trailing dot, in ASCII order. */
export function sortKey(name: string): string {
  const labels = storedName(name).slice(0, -1).split('.');
  return `${labels.reverse().join('.')}.`;
}

const ascii = (a: string, b: string): number => (a === b ? 0 : a < b ? -1 : 1);

export function byListingOrder(a: StandInRecord, b: StandInRecord): number {
  return (
    ascii(sortKey(a.name), sortKey(b.name)) ||
    ascii(a.type, b.type) ||
    ascii(a.setIdentifier ?? '', b.setIdentifier ?? '')
  );
}

export function identity(r: StandInRecord): string {
  return [storedName(r.name), r.type, r.setIdentifier ?? ''].join(' ');
}

function policyOf(r: StandInRecord): string {
  if (r.weight !== undefined) return 'weighted';
  if (r.geoLocation !== undefined) return 'geolocation';
  if (r.failover !== undefined) return 'failover';
  return 'simple';
}

/** A DELETE matches only when every field matches; record values are a set. */
function identical(a: StandInRecord, b: StandInRecord): boolean {
  const shape = (r: StandInRecord) =>
    JSON.stringify({
      id: identity(r),
      weight: r.weight,
      geo: r.geoLocation && [r.geoLocation.continentCode, r.geoLocation.countryCode, r.geoLocation.subdivisionCode],
      failover: r.failover,
      ttl: r.ttl,
      values: r.values && [...r.values].sort(),
      alias: r.alias && [r.alias.hostedZoneId, storedName(r.alias.dnsName), r.alias.evaluateTargetHealth],
      hc: r.healthCheckId,
    });
  return shape(a) === shape(b);
}

function describe(r: StandInRecord): string {
  const id = r.setIdentifier === undefined ? '' : `, set-identifier='${r.setIdentifier}'`;
  return `[name='${storedName(r.name)}', type='${r.type}'${id}]`;
}

function inChange(c: StandInChange): string {
  return `in Change with [Action=${c.action}, Name=${c.record.name}, Type=${c.record.type}, SetIdentifier=${c.record.setIdentifier ?? 'null'}]`;
}

/** The request validator: the first malformed field stops the whole request (HTTP 400 InvalidInput). */
function validateInput(changes: readonly StandInChange[], comment: string | undefined): void {
  const refuse = (message: string): never => {
    throw new Refusal('InvalidInput', [message]);
  };
  if (changes.length === 0) {
    refuse(
      "1 validation error detected: Value '[]' at 'changeBatch.changes' failed to satisfy constraint: Member must have length greater than or equal to 1",
    );
  }
  if ((comment ?? '').length > 256) {
    refuse(
      `1 validation error detected: Value '${comment}' at 'changeBatch.comment' failed to satisfy constraint: Member must have length less than or equal to 256`,
    );
  }
  changes.forEach((c, i) => {
    const r = c.record;
    const field = (f: string) => `'changeBatch.changes.${i + 1}.member.resourceRecordSet.${f}'`;
    if (!['CREATE', 'DELETE', 'UPSERT'].includes(c.action)) {
      refuse(
        `Invalid XML ; cvc-enumeration-valid: Value '${c.action}' is not facet-valid with respect to enumeration '[CREATE, DELETE, UPSERT]'. It must be a value from the enumeration.`,
      );
    }
    if (r.weight !== undefined && !(Number.isInteger(r.weight) && r.weight >= 0 && r.weight <= 255)) {
      const bound = r.weight < 0 ? 'greater than or equal to 0' : 'less than or equal to 255';
      refuse(
        `1 validation error detected: Value '${r.weight}' at ${field('weight')} failed to satisfy constraint: Member must have value ${bound}`,
      );
    }
    if (r.setIdentifier !== undefined && (r.setIdentifier === '' || r.setIdentifier.length > 128)) {
      refuse(
        `1 validation error detected: Value '${r.setIdentifier}' at ${field('setIdentifier')} failed to satisfy constraint: Member must have length less than or equal to 128`,
      );
    }
    if (r.ttl !== undefined && !(Number.isInteger(r.ttl) && r.ttl >= 0 && r.ttl <= 2147483647)) {
      refuse(
        `1 validation error detected: Value '${r.ttl}' at ${field('TTL')} failed to satisfy constraint: Member must have value less than or equal to 2147483647`,
      );
    }
    const plain = r.ttl !== undefined && (r.values?.length ?? 0) > 0;
    const targets = (r.alias ? 1 : 0) + (r.ttl !== undefined || r.values !== undefined ? 1 : 0);
    if (targets > 1 || (!r.alias && !plain)) {
      refuse(
        `Invalid request: Expected exactly one of [AliasTarget, all of [TTL, and ResourceRecords], or TrafficPolicyInstanceId], but found ${targets > 1 ? 'more than one' : 'none'} ${inChange(c)}`,
      );
    }
    const policies = [r.weight, r.geoLocation, r.failover].filter((p) => p !== undefined).length;
    if (policies > 0 && r.setIdentifier === undefined)
      refuse(`Invalid request: Missing field 'SetIdentifier' ${inChange(c)}`);
    if (policies > 1 || (policies === 0 && r.setIdentifier !== undefined)) {
      refuse(
        `Invalid request: Expected exactly one of [Weight, Region, Failover, GeoLocation, MultiValueAnswer, GeoProximityLocation, or CidrRoutingConfig], but found ${policies > 1 ? 'more than one' : 'none'} ${inChange(c)}`,
      );
    }
    const geo = r.geoLocation;
    if (geo?.continentCode !== undefined && (geo.countryCode !== undefined || geo.subdivisionCode !== undefined)) {
      refuse(
        `Invalid request: Cannot specify both ContinentCode and CountryCode or SubdivisionCode in GeoLocation ${inChange(c)}`,
      );
    }
    if (geo?.subdivisionCode !== undefined && geo.countryCode !== 'US') {
      refuse(`Invalid request: SubdivisionCode requires CountryCode US ${inChange(c)}`);
    }
    if (geo && geo.continentCode === undefined && geo.countryCode === undefined) {
      refuse(`Invalid request: Expected at least one of [ContinentCode, CountryCode] in GeoLocation ${inChange(c)}`);
    }
    if (r.alias && (!r.alias.hostedZoneId || !r.alias.dnsName))
      refuse(`Invalid request: Missing field 'DNSName' ${inChange(c)}`);
  });
}

/** RDATA checks for what a CREATE or UPSERT writes. */
function rdataProblems(r: StandInRecord, name: string): string[] {
  const problems: string[] = [];
  const fatal = (what: string, v: string) =>
    `Invalid Resource Record: 'FATAL problem: ${what} encountered with '${v}''`;
  for (const v of r.values ?? []) {
    if (r.type === 'TXT' || r.type === 'SPF') {
      const strings = v.match(/"(?:[^"\\]|\\.)*"/g);
      if (!strings || strings.join('').length + (v.match(/\s/g)?.length ?? 0) < v.trim().length) {
        problems.push(fatal('InvalidCharacterString (Value should be enclosed in quotation marks)', v));
      } else if (strings.some((s) => s.slice(1, -1).replace(/\\(.)/g, '$1').length > 255)) {
        problems.push(fatal('TXTRDATATooLong (Value is too long)', v));
      }
    }
    if (r.type === 'A' && !/^\d{1,3}(\.\d{1,3}){3}$/.test(v)) {
      problems.push(fatal('ARRDATAIllegalIPv4Address (Value is not a valid IPv4 address)', v));
    }
    if (r.type === 'AAAA' && !/^[0-9a-fA-F:]+$/.test(v)) {
      problems.push(fatal('AAAARRDATAIllegalIPv6Address (Value is not a valid IPv6 address)', v));
    }
  }
  if (r.type === 'CNAME' && (r.values?.length ?? 0) > 1) {
    problems.push(`RRSet of type CNAME with DNS name ${name} is not permitted as it contains more than one value.`);
  }
  return problems;
}

/**
 * Judges one ChangeResourceRecordSets request against a zone's records, change by change in order,
 * and returns the zone's records after it. Throws a Refusal listing every problem; nothing is applied.
 */
export function judgeChangeBatch(
  zoneName: string,
  stored: readonly StandInRecord[],
  changes: readonly StandInChange[],
  comment?: string,
): StandInRecord[] {
  validateInput(changes, comment);
  const zone = storedName(zoneName);
  const problems: string[] = [];
  let records = 0;
  let characters = 0;
  const zoneNow = new Map(stored.map((r) => [identity(r), r]));
  const groups = new Set<string>();
  for (const c of changes) {
    const times = c.action === 'UPSERT' ? 2 : 1;
    records += times * (c.record.alias ? 1 : (c.record.values?.length ?? 0));
    characters += times * (c.record.values ?? []).join('').length;
    const name = storedName(c.record.name);
    const r: StandInRecord = { ...c.record, name };
    if (r.alias) r.alias = { ...r.alias, dnsName: storedName(r.alias.dnsName) };
    if (name !== zone && !name.endsWith(`.${zone}`)) {
      problems.push(`RRSet with DNS name ${name} is not permitted in zone ${zone}`);
      continue;
    }
    const key = identity(r);
    const there = zoneNow.get(key);
    if (c.action === 'DELETE') {
      if (!there) problems.push(`Tried to delete resource record set ${describe(r)} but it was not found`);
      else if (!identical(there, r)) {
        problems.push(
          `Tried to delete resource record set ${describe(r)} but the values provided do not match the current values`,
        );
      } else zoneNow.delete(key);
      continue;
    }
    const rdata = rdataProblems(r, name);
    if (rdata.length > 0) {
      problems.push(...rdata);
      continue;
    }
    if (there && c.action === 'CREATE') {
      problems.push(`Tried to create resource record set ${describe(r)} but it already exists`);
      continue;
    }
    const problem = there
      ? policyOf(there) === policyOf(r)
        ? null
        : mixedPolicy(r)
      : createProblem(r, [...zoneNow.values()], zone);
    if (problem) {
      problems.push(problem);
      continue;
    }
    zoneNow.set(key, r);
    groups.add(`${name} ${r.type}`);
  }
  if (records > 1000) problems.unshift('Number of records limit of 1000 exceeded.');
  if (characters > 32000) problems.unshift('Number of characters limit of 32000 exceeded.');
  for (const group of groups) {
    const [name, type] = group.split(' ') as [string, string];
    const weighted = [...zoneNow.values()].filter((m) => m.name === name && m.type === type && m.weight !== undefined);
    if (weighted.length > 100) {
      problems.push(`RRSet with DNS name ${name} and type ${type} cannot have more than 100 weighted records.`);
    }
    if (new Set(weighted.filter((m) => !m.alias).map((m) => m.ttl)).size > 1) {
      const mine = changes.find(
        (c) => storedName(c.record.name) === name && c.record.type === type && c.record.weight !== undefined,
      );
      problems.push(
        `RRSet with DNS name ${name} and type ${type}, SetIdentifier ${mine?.record.setIdentifier ?? ''} cannot be created as weighted sets must contain the same TTL.`,
      );
    }
  }
  if (problems.length > 0) throw new Refusal('InvalidChangeBatch', problems);
  return [...zoneNow.values()].sort(byListingOrder);
}

/** Why a record that does not exist yet cannot be added beside the records at its name, or null. */
function createProblem(r: StandInRecord, zoneNow: readonly StandInRecord[], zone: string): string | null {
  const name = r.name;
  const apex = zone.slice(0, -1);
  const atName = zoneNow.filter((m) => m.name === name);
  const sameType = atName.filter((m) => m.type === r.type);
  if (r.type === 'CNAME' && name === zone) {
    return `RRSet of type CNAME with DNS name ${name} is not permitted at apex in zone ${apex}.`;
  }
  if (r.type === 'CNAME' && atName.some((m) => m.type !== 'CNAME')) {
    return `RRSet of type CNAME with DNS name ${name} is not permitted as it conflicts with other records with the same DNS name in zone ${apex}.`;
  }
  if (r.type !== 'CNAME' && atName.some((m) => m.type === 'CNAME')) {
    return `RRSet of type ${r.type} with DNS name ${name} is not permitted because a conflicting RRSet of type  CNAME with the same DNS name already exists in zone ${apex}.`;
  }
  if (sameType.some((m) => policyOf(m) !== policyOf(r))) return mixedPolicy(r);
  if (policyOf(r) === 'simple' && sameType.length > 0) {
    return `Tried to create resource record set ${describe(r)} but it already exists`;
  }
  const where = `RRSet with DNS name ${name}, type ${r.type}, SetIdentifier ${r.setIdentifier} cannot be created because a`;
  if (r.geoLocation && sameType.some((m) => JSON.stringify(m.geoLocation) === JSON.stringify(r.geoLocation))) {
    return `${where} geolocation set with the same location already exists.`;
  }
  if (r.failover && sameType.some((m) => m.failover === r.failover)) {
    return `${where} ${r.failover} failover set already exists.`;
  }
  return null;
}

function mixedPolicy(r: StandInRecord): string {
  const policy = policyOf(r);
  if (policy === 'simple') {
    return `RRSet with DNS name ${storedName(r.name)}, type ${r.type} cannot be created as other RRSets exist with the same name and type.`;
  }
  return `RRSet with DNS name ${storedName(r.name)}, type ${r.type}, SetIdentifier ${r.setIdentifier} cannot be created as a non-${policy} set exists with the same name and type.`;
}
