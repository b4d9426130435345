import { previewOwnerRecordName } from '../../domain/naming.ts';
import type { OwnedChangePlan, OwnershipInput } from '../../domain/preview/dns-ownership.ts';
import { normalizeName } from '../../domain/traffic/record-set.ts';
import { ConflictError, ValidationError } from '../../errors.ts';
import type { OwnedDnsResult } from '../../ports/dns.ts';
import type { TrafficDnsPort } from '../../ports/traffic-dns.ts';

/**
 * One owned write of a preview host: read the host and its ownership TXT, plan (dns-ownership.ts), and
 * send the planned batch as one ChangeResourceRecordSets call, which Route 53 applies whole or not at
 * all. A batch that lost a race (the exact DELETE or a CREATE in it failed) changed nothing: the name is
 * read again and reported as not owned when someone else has it now; otherwise the error stands and the
 * next run repairs.
 */
export async function ownedWrite(
  dns: Pick<TrafficDnsPort, 'listRecordsAt' | 'applyChanges'>,
  zoneId: string,
  name: string,
  owner: string,
  ttl: number,
  plan: (input: OwnershipInput) => OwnedChangePlan,
): Promise<OwnedDnsResult> {
  const host = normalizeName(name);
  const read = async () =>
    plan({ current: await dns.listRecordsAt(zoneId, [host, previewOwnerRecordName(host)]), host, owner, ttl });
  const planned = await read();
  if (planned.kind === 'unchanged') return { outcome: 'unchanged' };
  if (planned.kind === 'not-owned') return { outcome: 'not-owned', reason: planned.reason };
  try {
    const info = await dns.applyChanges(zoneId, planned.changes, `switchyard preview ${owner}`.slice(0, 256));
    return { outcome: 'changed', changeId: info.id, status: info.status };
  } catch (error) {
    // Refused because the records changed since we read them (a CREATE that found a record, an exact
    // DELETE that did not, a CNAME beside a new record): if the name is someone else's now, say so.
    if (!(error instanceof ConflictError || error instanceof ValidationError)) throw error;
    const again = await read();
    if (again.kind === 'not-owned') return { outcome: 'not-owned', reason: again.reason };
    throw error;
  }
}
