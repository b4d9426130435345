import { ValidationError } from '../errors.ts';
import type { DnsChangeResult, DnsPort, RecordRef, SimpleRecord } from './dns.ts';
import { FaultQueue } from './fault-queue.ts';

/**
 * The in-memory twin of DnsPort. Its rules are Route 53's as documented: names compare without case
 * and trailing dot, a CNAME has exactly one value and TTLs are 0..2147483647; faults are injected per
 * method.
 */
export class InMemoryDns implements DnsPort {
  readonly records = new Map<string, SimpleRecord>();
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

  private change(): DnsChangeResult {
    return { changeId: `/change/C${++this.changes}`, status: 'PENDING' };
  }

  async upsertRecord(record: SimpleRecord): Promise<DnsChangeResult> {
    this.enter('upsertRecord');
    if (record.type === 'CNAME' && record.values.length !== 1) throw new ValidationError('a CNAME has one value');
    if (!Number.isInteger(record.ttl) || record.ttl < 0 || record.ttl > 2147483647) {
      throw new ValidationError(`TTL ${record.ttl} is out of range`);
    }
    this.records.set(this.key(record), { ...record, values: [...record.values] });
    return this.change();
  }

  async deleteRecord(ref: RecordRef): Promise<DnsChangeResult | null> {
    this.enter('deleteRecord');
    return this.records.delete(this.key(ref)) ? this.change() : null;
  }

  async getRecord(ref: RecordRef): Promise<SimpleRecord | null> {
    this.enter('getRecord');
    const found = this.records.get(this.key(ref));
    return found ? { ...found, values: [...found.values] } : null;
  }

  /** Removes a record behind our back (a fault or a hand edit). */
  drop(ref: RecordRef): void {
    this.records.delete(this.key(ref));
  }
}
