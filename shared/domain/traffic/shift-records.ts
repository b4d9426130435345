import type { ShiftConfig, ShiftTarget } from '../../config/shift-schema.ts';
import { stableHash } from '../naming.ts';
import { normalizeName, type RecordSet, routingPolicy } from './record-set.ts';
import { shiftSetIdentifier } from './shift-names.ts';
import { expandSteps } from './shift-steps.ts';

/** What a side's record carries: TTL + values, or an alias target (no TTL: it inherits the target's). */
function targetFields(shift: ShiftConfig, target: ShiftTarget, forceHealth = false): Partial<RecordSet> {
  if ('alias' in target) {
    return {
      alias: {
        hostedZoneId: target.alias.hostedZoneId,
        dnsName: normalizeName(target.alias.dnsName),
        // Failover alias records must evaluate target health (docs/traffic-shifting.md, Route 53 rules).
        evaluateTargetHealth: forceHealth ? true : target.alias.evaluateTargetHealth,
      },
    };
  }
  return { ttl: shift.ttl, values: [...target.values] };
}

function base(shift: ShiftConfig): Pick<RecordSet, 'name' | 'type'> {
  return { name: normalizeName(shift.record), type: shift.type };
}

function withHealth(r: RecordSet, id: string | undefined): RecordSet {
  return id === undefined ? r : { ...r, healthCheckId: id };
}

/** The records of one side as a simple (non-routed) record. */
export function simpleRecord(shift: ShiftConfig, side: 'legacy' | 'kubernetes'): RecordSet {
  return { ...base(shift), ...targetFields(shift, shift[side]) };
}

/**
 * The records the shift wants at its name+type when `step` is applied (-1: all traffic on legacy,
 * which is also what abort restores). Weights always sum to 100: never all zero (an all-zero group answers equally).
 */
export function desiredRecords(shift: ShiftConfig, step: number): RecordSet[] {
  const routing = shift.routing;
  const steps = expandSteps(shift);
  const clamped = Math.min(step, steps.length - 1);
  if (routing.policy === 'weighted') {
    const percent = clamped < 0 ? 0 : steps[clamped]!.percent;
    return [
      withHealth(
        {
          ...base(shift),
          setIdentifier: shiftSetIdentifier({ weighted: 'legacy' }),
          weight: 100 - percent,
          ...targetFields(shift, shift.legacy),
        },
        shift.healthChecks?.legacy,
      ),
      withHealth(
        {
          ...base(shift),
          setIdentifier: shiftSetIdentifier({ weighted: 'kubernetes' }),
          weight: percent,
          ...targetFields(shift, shift.kubernetes),
        },
        shift.healthChecks?.kubernetes,
      ),
    ];
  }
  if (routing.policy === 'geolocation') {
    const n = routing.countries.length;
    const moved = clamped < 0 ? 0 : Math.min(n, clamped + 1);
    // `*` first: without it, unmatched locations get no answer (docs/traffic-shifting.md, Route 53 rules).
    const out: RecordSet[] = [
      withHealth(
        {
          ...base(shift),
          setIdentifier: shiftSetIdentifier({ country: '*' }),
          geoLocation: { countryCode: '*' },
          ...targetFields(shift, clamped >= n ? shift.kubernetes : shift.legacy),
        },
        clamped >= n ? shift.healthChecks?.kubernetes : shift.healthChecks?.legacy,
      ),
    ];
    for (const country of routing.countries.slice(0, moved)) {
      out.push(
        withHealth(
          {
            ...base(shift),
            setIdentifier: shiftSetIdentifier({ country }),
            geoLocation: { countryCode: country },
            ...targetFields(shift, shift.kubernetes),
          },
          shift.healthChecks?.kubernetes,
        ),
      );
    }
    return out;
  }
  if (clamped < 0) return [simpleRecord(shift, 'legacy')];
  return [
    {
      ...base(shift),
      setIdentifier: shiftSetIdentifier({ failover: 'primary' }),
      failover: 'PRIMARY',
      healthCheckId: routing.kubernetesHealthCheckId,
      ...targetFields(shift, shift.kubernetes, true),
    },
    {
      ...base(shift),
      setIdentifier: shiftSetIdentifier({ failover: 'secondary' }),
      failover: 'SECONDARY',
      healthCheckId: routing.legacyHealthCheckId,
      ...targetFields(shift, shift.legacy, true),
    },
  ];
}

/**
 * The records at the shift's name that the shift manages: its own type, plus a CNAME at the name when
 * the shift uses another type (a CNAME owns its name: it must go in the same batch as the CREATEs).
 */
export function currentGroup(shift: ShiftConfig, records: readonly RecordSet[]): RecordSet[] {
  const name = normalizeName(shift.record);
  return records.filter(
    (r) => r.name === name && (r.type === shift.type || (shift.type !== 'CNAME' && r.type === 'CNAME')),
  );
}

/** The Kubernetes share the records actually give (what the status page shows), or null if unknown. */
export function observedPercent(shift: ShiftConfig, group: readonly RecordSet[]): number | null {
  if (group.length === 0) return null;
  const policy = routingPolicy(group[0]!);
  if (policy === 'weighted') {
    const k8s = group.find((r) => r.setIdentifier === shiftSetIdentifier({ weighted: 'kubernetes' }))?.weight ?? 0;
    const total = group.reduce((n, r) => n + (r.weight ?? 0), 0);
    // All-zero groups split equally (routing-policy-weighted): report what DNS really does.
    if (total === 0)
      return Math.round((100 * group.filter((r) => r.setIdentifier === 'kubernetes').length) / group.length);
    return Math.round((100 * k8s) / total);
  }
  if (policy === 'simple') {
    const legacy = simpleRecord(shift, 'legacy');
    const r = group[0]!;
    const same = JSON.stringify(r.values ?? r.alias) === JSON.stringify(legacy.values ?? legacy.alias);
    return same ? 0 : 100;
  }
  if (policy === 'failover') return 100;
  const steps = expandSteps(shift);
  const countries = group.filter((r) => r.geoLocation?.countryCode !== '*').length;
  const star = group.find((r) => r.geoLocation?.countryCode === '*');
  const starK8s =
    star !== undefined &&
    shift.routing.policy === 'geolocation' &&
    countries >= shift.routing.countries.length &&
    JSON.stringify(star.values ?? star.alias) ===
      JSON.stringify(simpleRecord(shift, 'kubernetes').values ?? simpleRecord(shift, 'kubernetes').alias);
  if (starK8s) return 100;
  return countries === 0 ? 0 : (steps[countries - 1]?.percent ?? 0);
}

/** Changes to the step definitions (not to gates or timings) restart nothing silently: see plan-shift. */
export function shiftFingerprint(shift: ShiftConfig): string {
  return stableHash(
    JSON.stringify([
      shift.record,
      shift.type,
      shift.routing,
      expandSteps(shift).map((s) => s.percent),
      shift.legacy,
      shift.kubernetes,
    ]),
  );
}
