import type { Change, ResourceRecordSet, RRType } from '@aws-sdk/client-route-53';
import type { RecordChange, RecordSet } from '../../domain/traffic/record-set.ts';

/** SDK shape -> our RecordSet (names as Route 53 returns them: lowercase, trailing dot, escapes). */
export function fromSdkRecord(r: ResourceRecordSet): RecordSet {
  const out: RecordSet = { name: r.Name ?? '', type: r.Type ?? '' };
  if (r.SetIdentifier !== undefined) out.setIdentifier = r.SetIdentifier;
  if (r.Weight !== undefined) out.weight = r.Weight;
  if (r.GeoLocation) {
    out.geoLocation = {};
    if (r.GeoLocation.ContinentCode !== undefined) out.geoLocation.continentCode = r.GeoLocation.ContinentCode;
    if (r.GeoLocation.CountryCode !== undefined) out.geoLocation.countryCode = r.GeoLocation.CountryCode;
    if (r.GeoLocation.SubdivisionCode !== undefined) out.geoLocation.subdivisionCode = r.GeoLocation.SubdivisionCode;
  }
  if (r.Failover !== undefined) out.failover = r.Failover;
  if (r.TTL !== undefined) out.ttl = r.TTL;
  if (r.ResourceRecords && r.ResourceRecords.length > 0) out.values = r.ResourceRecords.map((v) => v.Value ?? '');
  if (r.AliasTarget) {
    out.alias = {
      hostedZoneId: r.AliasTarget.HostedZoneId ?? '',
      dnsName: r.AliasTarget.DNSName ?? '',
      evaluateTargetHealth: r.AliasTarget.EvaluateTargetHealth ?? false,
    };
  }
  if (r.HealthCheckId !== undefined) out.healthCheckId = r.HealthCheckId;
  return out;
}

export function toSdkRecord(r: RecordSet): ResourceRecordSet {
  const out: ResourceRecordSet = { Name: r.name, Type: r.type as RRType };
  if (r.setIdentifier !== undefined) out.SetIdentifier = r.setIdentifier;
  if (r.weight !== undefined) out.Weight = r.weight;
  if (r.geoLocation) {
    out.GeoLocation = {};
    if (r.geoLocation.continentCode !== undefined) out.GeoLocation.ContinentCode = r.geoLocation.continentCode;
    if (r.geoLocation.countryCode !== undefined) out.GeoLocation.CountryCode = r.geoLocation.countryCode;
    if (r.geoLocation.subdivisionCode !== undefined) out.GeoLocation.SubdivisionCode = r.geoLocation.subdivisionCode;
  }
  if (r.failover !== undefined) out.Failover = r.failover;
  if (r.ttl !== undefined) out.TTL = r.ttl;
  if (r.values !== undefined) out.ResourceRecords = r.values.map((Value) => ({ Value }));
  if (r.alias) {
    out.AliasTarget = {
      HostedZoneId: r.alias.hostedZoneId,
      DNSName: r.alias.dnsName,
      EvaluateTargetHealth: r.alias.evaluateTargetHealth,
    };
  }
  if (r.healthCheckId !== undefined) out.HealthCheckId = r.healthCheckId;
  return out;
}

export function toSdkChange(c: RecordChange): Change {
  return { Action: c.action, ResourceRecordSet: toSdkRecord(c.record) };
}
