import { describe, expect, it } from 'vitest';
import { changeBatchJson, diffRecords, replaceState } from '../../../shared/domain/traffic/build-batch.ts';
import { checkChangeBatch } from '../../../shared/domain/traffic/check-change-batch.ts';
import type { RecordSet } from '../../../shared/domain/traffic/record-set.ts';

const simple: RecordSet = { name: 'www.example.com.', type: 'A', ttl: 60, values: ['192.0.2.10'] };
const legacy = (w: number): RecordSet => ({ ...simple, setIdentifier: 'legacy', weight: w });
const k8s = (w: number): RecordSet => ({
  ...simple,
  setIdentifier: 'kubernetes',
  weight: w,
  values: ['198.51.100.20'],
});

describe('batch builder', () => {
  it('simple -> weighted: DELETE the simple record first, then CREATE both members', () => {
    // Prepare
    const current = [simple];
    // Act
    const changes = diffRecords(current, [legacy(95), k8s(5)]);
    // Assess
    expect(changes.map((c) => `${c.action} ${c.record.setIdentifier ?? '-'}`)).toEqual([
      'DELETE -',
      'CREATE legacy',
      'CREATE kubernetes',
    ]);
    expect(checkChangeBatch({ zoneName: 'example.com', changes, current }).ok).toBe(true);
  });

  it('the same conversion with CREATE first would be refused (why the order matters)', () => {
    const changes = [...diffRecords([simple], [legacy(95), k8s(5)])].reverse();
    const check = checkChangeBatch({ zoneName: 'example.com', changes, current: [simple] });
    expect(check.ok).toBe(false);
    expect(check.messages[0]).toMatch(/non-weighted set exists/);
  });

  it('a weight step UPSERTs only what changed and leaves equal records alone', () => {
    expect(diffRecords([legacy(95), k8s(5)], [legacy(75), k8s(25)]).map((c) => c.action)).toEqual(['UPSERT', 'UPSERT']);
    expect(diffRecords([legacy(95), k8s(5)], [legacy(95), k8s(5)])).toEqual([]);
  });

  it('a TTL change UPSERTs every member in the same batch (one TTL per group)', () => {
    const changes = diffRecords(
      [legacy(95), k8s(5)],
      [
        { ...legacy(95), ttl: 30 },
        { ...k8s(5), ttl: 30 },
      ],
    );
    expect(changes).toHaveLength(2);
    expect(checkChangeBatch({ changes, current: [legacy(95), k8s(5)] }).ok).toBe(true);
    const half = checkChangeBatch({ changes: changes.slice(0, 1), current: [legacy(95), k8s(5)] });
    expect(half.messages[0]).toMatch(/weighted sets must contain the same TTL/);
  });

  it('a CNAME at the name is deleted in the batch that creates the A records', () => {
    const cname: RecordSet = { name: 'www.example.com.', type: 'CNAME', ttl: 60, values: ['legacy-lb.example.net'] };
    const changes = diffRecords([cname], [legacy(100), k8s(0)]);
    expect(changes[0]).toEqual({ action: 'DELETE', record: cname });
    expect(checkChangeBatch({ changes, current: [cname] }).ok).toBe(true);
  });

  it('state swap is an exact DELETE of what was read plus a CREATE', () => {
    const old: RecordSet = { name: '_switchyard.www.example.com.', type: 'TXT', ttl: 60, values: ['"sy1;a"'] };
    const next: RecordSet = { ...old, values: ['"sy1;b"'] };
    expect(replaceState(old, next)).toEqual([
      { action: 'DELETE', record: old },
      { action: 'CREATE', record: next },
    ]);
    // Someone else already moved: the DELETE no longer matches and the whole batch fails.
    const moved: RecordSet = { ...old, values: ['"sy1;c"'] };
    const check = checkChangeBatch({ changes: [...replaceState(old, next)], current: [moved] });
    expect(check.messages[0]).toMatch(/do not match the current values/);
    expect(replaceState(null, next)).toEqual([{ action: 'CREATE', record: next }]);
  });

  it('prints the API shape for dry runs', () => {
    expect(changeBatchJson([{ action: 'UPSERT', record: k8s(5) }], 'c')).toEqual({
      Comment: 'c',
      Changes: [
        {
          Action: 'UPSERT',
          ResourceRecordSet: {
            Name: 'www.example.com.',
            Type: 'A',
            SetIdentifier: 'kubernetes',
            Weight: 5,
            TTL: 60,
            ResourceRecords: [{ Value: '198.51.100.20' }],
          },
        },
      ],
    });
  });
});
