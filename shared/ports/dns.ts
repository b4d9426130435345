/**
 * Plain DNS records for preview hosts and other simple names: what previews need, in our own
 * types. The Route 53 adapter implements it (shared/adapters/route53/route53-dns.ts).
 */

export type SimpleRecordType = 'A' | 'AAAA' | 'CNAME' | 'TXT';

export interface SimpleRecord {
  zoneId: string;
  /** Any case, trailing dot optional: the adapter normalises it. */
  name: string;
  type: SimpleRecordType;
  ttl: number;
  /** TXT values are given unquoted; the adapter quotes them and splits at 255 characters. */
  values: string[];
}

export interface RecordRef {
  zoneId: string;
  name: string;
  type: SimpleRecordType;
}

export interface DnsChangeResult {
  changeId: string;
  status: 'PENDING' | 'INSYNC';
}

/** What an owned write did: changed the records, found them as wanted, or left someone else's alone. */
export type OwnedDnsResult =
  | ({ outcome: 'changed' } & DnsChangeResult)
  | { outcome: 'unchanged' }
  | { outcome: 'not-owned'; reason: string };

/**
 * Preview hosts are written only where switchyard owns them: an ownership TXT record beside each one
 * (shared/domain/preview/dns-ownership.ts), written in the same change batch and checked before every
 * UPSERT and DELETE. There is no unchecked write.
 */
export interface DnsPort {
  /**
   * Creates or replaces the simple record (idempotent: same input, same record) with its ownership TXT,
   * if `owner` owns the name or nobody uses it. ConflictError when the records changed between read and
   * write (the next run re-reads).
   */
  upsertOwnedRecord(record: SimpleRecord, owner: string): Promise<OwnedDnsResult>;
  /**
   * Deletes the simple record at name+type and its ownership TXT if `owner` owns it ('unchanged' when
   * there was nothing to delete).
   */
  deleteOwnedRecord(ref: RecordRef, owner: string): Promise<OwnedDnsResult>;
  /** The current simple record, or null. */
  getRecord(ref: RecordRef): Promise<SimpleRecord | null>;
}
