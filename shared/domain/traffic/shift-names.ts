import { shiftStateRecordName } from '../naming.ts';
import { normalizeName } from './record-set.ts';

/**
 * Names a traffic shift gives to Route 53 records, beside the traffic domain because only it uses
 * them; the shared names (the state record's) come from naming.ts.
 *
 * SetIdentifiers are unique per name+type, 1-128 characters: `legacy`/`kubernetes` for weighted,
 * `geo-<cc>`/`geo-default` for geolocation, `failover-primary`/`failover-secondary`.
 */
export function shiftSetIdentifier(
  part: { weighted: 'legacy' | 'kubernetes' } | { country: string } | { failover: 'primary' | 'secondary' },
): string {
  if ('weighted' in part) return part.weighted;
  if ('country' in part) return part.country === '*' ? 'geo-default' : `geo-${part.country.toLowerCase()}`;
  return `failover-${part.failover}`;
}

/** The TXT state record's name, normalised as Route 53 lists it. */
export function stateRecordName(record: string): string {
  return normalizeName(shiftStateRecordName(normalizeName(record)));
}
