/**
 * Plain DNS records for preview hosts and other simple names: what the preview engineer needs, in our
 * own types. The Route 53 adapter implements it (shared/adapters/route53/route53-dns.ts).
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

export interface DnsPort {
  /** Creates or replaces the simple record (idempotent: same input, same record). */
  upsertRecord(record: SimpleRecord): Promise<DnsChangeResult>;
  /**
   * Deletes the simple record at name+type whatever its current values (read first, then an exact
   * DELETE, as Route 53 requires). Returns null when there was nothing to delete.
   */
  deleteRecord(ref: RecordRef): Promise<DnsChangeResult | null>;
  /** The current simple record, or null. */
  getRecord(ref: RecordRef): Promise<SimpleRecord | null>;
}
