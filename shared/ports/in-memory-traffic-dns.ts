import type { RecordChange, RecordSet } from '../domain/traffic/record-set.ts';
import { ConflictError, TransientError } from '../errors.ts';
import type { ChangeInfo, TrafficDnsPort } from './traffic-dns.ts';

/** Route 53 keeps names lowercase with a trailing dot (escapes are out of scope for this twin). */
const fqdn = (name: string) => name.toLowerCase().replace(/\.?$/, '.');
const key = (r: RecordSet) => `${fqdn(r.name)}|${r.type}|${r.setIdentifier ?? ''}`;
const same = (a: RecordSet, b: RecordSet) =>
  JSON.stringify({ ...a, values: a.values && [...a.values].sort() }) ===
  JSON.stringify({ ...b, values: b.values && [...b.values].sort() });

/**
 * Route 53 records in memory, for use-case tests. Its rules are its own and few: names are stored
 * lowercase with a trailing dot, a batch applies all or nothing, a DELETE must match exactly
 * and a CREATE must not find the record (both are a lost compare-and-set: ConflictError). Changes are
 * INSYNC at once. `failNext` makes the next batch fail before or after it is applied (a lost answer).
 */
export class InMemoryTrafficDns implements TrafficDnsPort {
  private readonly records = new Map<string, RecordSet>();
  private seq = 0;
  private failure: 'before' | 'after' | null = null;
  readonly batches: RecordChange[][] = [];

  constructor(initial: readonly RecordSet[] = []) {
    for (const r of initial) this.records.set(key(r), { ...r, name: fqdn(r.name) });
  }

  all(): RecordSet[] {
    return [...this.records.values()];
  }

  failNext(when: 'before' | 'after'): void {
    this.failure = when;
  }

  async listRecordsAt(_zoneId: string, names: readonly string[]): Promise<RecordSet[]> {
    const wanted = names.map(fqdn);
    return this.all().filter((r) => wanted.includes(r.name));
  }

  async applyChanges(_zoneId: string, changes: readonly RecordChange[]): Promise<ChangeInfo> {
    const failure = this.failure;
    this.failure = null;
    if (failure === 'before') throw new TransientError('in-memory DNS: unreachable');
    const next = new Map(this.records);
    for (const { action, record } of changes) {
      const there = next.get(key(record));
      if (action === 'DELETE' && (!there || !same(there, record))) throw new ConflictError(`no exact ${key(record)}`);
      if (action === 'CREATE' && there) throw new ConflictError(`${key(record)} exists`);
      if (action === 'DELETE') next.delete(key(record));
      else next.set(key(record), { ...record, name: fqdn(record.name) });
    }
    this.records.clear();
    for (const [k, r] of next) this.records.set(k, r);
    this.batches.push([...changes]);
    if (failure === 'after') throw new TransientError('in-memory DNS: the answer was lost');
    return { id: `/change/C${++this.seq}`, status: 'INSYNC', submittedAt: new Date(0) };
  }

  async getChange(id: string): Promise<ChangeInfo> {
    return { id, status: 'INSYNC', submittedAt: new Date(0) };
  }

  async waitForInSync(id: string): Promise<ChangeInfo> {
    return this.getChange(id);
  }
}
