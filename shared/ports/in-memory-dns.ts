import { ValidationError } from '../errors.ts';
import type { DnsChangeResult, DnsPort, OwnedDnsResult, RecordRef, SimpleRecord } from './dns.ts';
import { FaultQueue } from './fault-queue.ts';

/**
 * The in-memory twin of DnsPort. Its rules are Route 53's as documented (names compare without case
 * and trailing dot, a CNAME has exactly one value, TTLs are 0..2147483647) plus the port's ownership
 * rule: a name is written or deleted only when it is free or owned by the same owner. Faults are
 * injected per method.
 */
export class InMemoryDns implements DnsPort {
  readonly records = new Map<string, SimpleRecord>();
  readonly owners = new Map<string, string>();
  readonly calls: Array<keyof DnsPort> = [];
  private readonly faults = new FaultQueue<keyof DnsPort>();
  private changes = 0;

  /** The next call of `method` fails as Route 53 throttling does. */
  fail(method: keyof DnsPort): void {
    this.faults.add(method, 1, Object.assign(new Error(`injected: Route 53 ${method} throttled`), { retryable: true }));
  }

  private enter(method: keyof DnsPort): void {
    this.calls.push(method);
    this.faults.take(method);
  }

  private key(ref: RecordRef): string {
    return `${ref.zoneId}|${ref.name.toLowerCase().replace(/\.$/, '')}|${ref.type}`;
  }

  private change(): { outcome: 'changed' } & DnsChangeResult {
    return { outcome: 'changed', changeId: `/change/C${++this.changes}`, status: 'PENDING' };
  }

  private notOwned(key: string, owner: string): OwnedDnsResult | null {
    const found = this.records.get(key);
    const holder = this.owners.get(key);
    if (!found || holder === owner) return null;
    return { outcome: 'not-owned', reason: holder ? `owned by ${holder}` : 'a record switchyard did not create' };
  }

  async upsertOwnedRecord(record: SimpleRecord, owner: string): Promise<OwnedDnsResult> {
    this.enter('upsertOwnedRecord');
    if (record.type === 'CNAME' && record.values.length !== 1) throw new ValidationError('a CNAME has one value');
    if (!Number.isInteger(record.ttl) || record.ttl < 0 || record.ttl > 2147483647) {
      throw new ValidationError(`TTL ${record.ttl} is out of range`);
    }
    const key = this.key(record);
    const refused = this.notOwned(key, owner);
    if (refused) return refused;
    const found = this.records.get(key);
    if (found && found.ttl === record.ttl && found.values.join('\n') === record.values.join('\n')) {
      return { outcome: 'unchanged' };
    }
    this.records.set(key, { ...record, values: [...record.values] });
    this.owners.set(key, owner);
    return this.change();
  }

  async deleteOwnedRecord(ref: RecordRef, owner: string): Promise<OwnedDnsResult> {
    this.enter('deleteOwnedRecord');
    const key = this.key(ref);
    if (!this.records.has(key)) return { outcome: 'unchanged' };
    const refused = this.notOwned(key, owner);
    if (refused) return refused;
    this.records.delete(key);
    this.owners.delete(key);
    return this.change();
  }

  async getRecord(ref: RecordRef): Promise<SimpleRecord | null> {
    this.enter('getRecord');
    const found = this.records.get(this.key(ref));
    return found ? { ...found, values: [...found.values] } : null;
  }

  /** Removes a record behind our back (a fault or a hand edit); its ownership stays. */
  drop(ref: RecordRef): void {
    this.records.delete(this.key(ref));
  }

  /** Someone else's record at a name. */
  seedForeign(record: SimpleRecord): void {
    this.records.set(this.key(record), { ...record });
  }
}
