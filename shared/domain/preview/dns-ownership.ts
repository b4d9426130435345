import { previewOwnerRecordName } from '../naming.ts';
import {
  normalizeName,
  parseTxtValue,
  type RecordChange,
  type RecordSet,
  routingPolicy,
  sameRecord,
  txtValue,
} from '../traffic/record-set.ts';

/**
 * Preview DNS ownership: switchyard changes or deletes a preview host only when the ownership TXT
 * record beside it (naming.previewOwnerRecordName) names the same preview. The TXT is written in the
 * same change batch as the record, and every batch compares-and-sets it (an exact DELETE then a CREATE
 * of the same value), so a record someone else created, or took over, between our read and our write
 * fails the whole batch instead of being overwritten. Pure: the Route 53 adapter reads and applies.
 *
 * The TXT value: `heritage=switchyard,switchyard/owner=<owner>` (the shape of external-dns's registry
 * records, with our own keys, so neither tool mistakes the other's records for its own).
 */

const HERITAGE = 'heritage=switchyard';
const OWNER_KEY = 'switchyard/owner=';

export function ownershipValue(owner: string): string {
  return `${HERITAGE},${OWNER_KEY}${owner}`;
}

/** The owner named by an ownership TXT record, or null when it is not one of ours. */
export function parseOwnership(record: RecordSet | undefined): string | null {
  for (const value of record?.values ?? []) {
    const text = parseTxtValue(value).join('');
    const parts = text.split(',');
    if (parts[0] !== HERITAGE) continue;
    const owner = parts.slice(1).join(',');
    if (owner.startsWith(OWNER_KEY)) return owner.slice(OWNER_KEY.length);
  }
  return null;
}

export type OwnedChangePlan =
  | { kind: 'changes'; changes: RecordChange[] }
  | { kind: 'unchanged' }
  | { kind: 'not-owned'; reason: string };

export interface OwnershipInput {
  /** Every record set currently at the host and at its ownership name. */
  current: readonly RecordSet[];
  host: string;
  owner: string;
  ttl: number;
}

function split(input: OwnershipInput) {
  const host = normalizeName(input.host);
  const ownerName = normalizeName(previewOwnerRecordName(host));
  const atHost = input.current.filter((r) => normalizeName(r.name) === host);
  const marker = input.current.find(
    (r) => normalizeName(r.name) === ownerName && r.type === 'TXT' && routingPolicy(r) === 'simple',
  );
  const ownedBy = parseOwnership(marker);
  const txt: RecordSet = {
    name: ownerName,
    type: 'TXT',
    ttl: input.ttl,
    values: [txtValue([ownershipValue(input.owner)])],
  };
  return { host, ownerName, atHost, marker, ownedBy, txt };
}

function notOwned(host: string, ownedBy: string | null, ownerName: string): { kind: 'not-owned'; reason: string } {
  return {
    kind: 'not-owned',
    reason:
      ownedBy === null
        ? `${host.replace(/\.$/, '')} has records switchyard did not create (no ownership TXT at ${ownerName.replace(/\.$/, '')}); left untouched`
        : `${host.replace(/\.$/, '')} belongs to ${ownedBy}; left untouched`,
  };
}

/** The batch that creates or replaces `record` at the host, or why it may not. */
export function planOwnedUpsert(input: OwnershipInput, record: RecordSet): OwnedChangePlan {
  const { host, ownerName, atHost, marker, ownedBy, txt } = split(input);
  const wanted: RecordSet = { ...record, name: host };
  if (!marker) {
    // Nobody owns the name: claim it only while it is empty, with CREATEs that fail if that changed.
    if (atHost.length > 0) return notOwned(host, null, ownerName);
    return {
      kind: 'changes',
      changes: [
        { action: 'CREATE', record: txt },
        { action: 'CREATE', record: wanted },
      ],
    };
  }
  if (ownedBy !== input.owner) return notOwned(host, ownedBy, ownerName);
  const others = atHost.filter((r) => r.type !== wanted.type || routingPolicy(r) !== 'simple');
  if (others.length > 0) {
    return {
      kind: 'not-owned',
      reason: `${host.replace(/\.$/, '')} also has ${others.map((r) => r.type).join(', ')} records switchyard did not create; left untouched`,
    };
  }
  const existing = atHost.find((r) => r.type === wanted.type);
  if (existing && sameRecord(existing, wanted) && sameRecord(marker, txt)) return { kind: 'unchanged' };
  return {
    kind: 'changes',
    changes: [
      { action: 'DELETE', record: marker },
      { action: 'CREATE', record: txt },
      ...(existing ? [{ action: 'DELETE' as const, record: existing }] : []),
      { action: 'CREATE', record: wanted },
    ],
  };
}

/** The batch that deletes the host's record of `type` and its ownership TXT, or why it may not. */
export function planOwnedDelete(input: OwnershipInput, type: string): OwnedChangePlan {
  const { host, ownerName, atHost, marker, ownedBy } = split(input);
  if (!marker) return atHost.length > 0 ? notOwned(host, null, ownerName) : { kind: 'unchanged' };
  if (ownedBy !== input.owner) return notOwned(host, ownedBy, ownerName);
  const existing = atHost.filter((r) => r.type === type && routingPolicy(r) === 'simple');
  return {
    kind: 'changes',
    changes: [...existing.map((r) => ({ action: 'DELETE' as const, record: r })), { action: 'DELETE', record: marker }],
  };
}
