import { describe, expect, it } from 'vitest';
import { checkBatchShape, checkChangeBatch } from '../../../shared/domain/traffic/check-change-batch.ts';
import { normalizeName, type RecordSet } from '../../../shared/domain/traffic/record-set.ts';

const w = (id: string, weight: number, extra: Partial<RecordSet> = {}): RecordSet => ({
  name: 'www.example.com.',
  type: 'A',
  ttl: 60,
  values: ['192.0.2.1'],
  setIdentifier: id,
  weight,
  ...extra,
});

describe('change batch rules (pure)', () => {
  it('caps a weighted group at 100 members', () => {
    const current = Array.from({ length: 100 }, (_, i) => w(`m${i}`, 1));
    const check = checkChangeBatch({ changes: [{ action: 'CREATE', record: w('m100', 1) }], current });
    expect(check.messages[0]).toMatch(/cannot have more than 100 weighted records/);
  });

  it('matches DELETE values as a set, but every other field exactly', () => {
    const current = [{ ...w('a', 1), values: ['192.0.2.1', '192.0.2.2'] }];
    expect(
      checkChangeBatch({
        changes: [{ action: 'DELETE', record: { ...w('a', 1), values: ['192.0.2.2', '192.0.2.1'] } }],
        current,
      }).ok,
    ).toBe(true);
    const wrongHc = checkChangeBatch({
      changes: [{ action: 'DELETE', record: { ...w('a', 1), values: ['192.0.2.1', '192.0.2.2'], healthCheckId: 'x' } }],
      current,
    });
    expect(wrongHc.messages[0]).toMatch(/do not match the current values/);
  });

  it('input checks: comment length, set identifier without policy, subdivision outside the US', () => {
    const r = w('a', 1);
    expect(checkBatchShape([{ action: 'CREATE', record: r }], 'x'.repeat(257))?.code).toBe('InvalidInput');
    const { weight: _w, ...noPolicy } = r;
    expect(checkBatchShape([{ action: 'CREATE', record: noPolicy }])?.messages[0]).toMatch(/but found none/);
    const sub = checkBatchShape([
      { action: 'CREATE', record: { ...noPolicy, geoLocation: { countryCode: 'DE', subdivisionCode: 'BY' } } },
    ]);
    expect(sub?.code).toBe('InvalidInput');
    expect(checkBatchShape([])?.messages[0]).toMatch(/length greater than or equal to 1/);
  });

  it('counts UPSERT characters twice against the 32,000 limit', () => {
    const value = `"${'x'.repeat(250)}"`;
    const record: RecordSet = {
      name: 't.example.com',
      type: 'TXT',
      ttl: 60,
      values: Array.from({ length: 70 }, () => value),
    };
    expect(checkBatchShape([{ action: 'CREATE', record }])).toBeNull();
    expect(checkBatchShape([{ action: 'UPSERT', record }])?.messages).toContain(
      'Number of characters limit of 32000 exceeded.',
    );
  });

  it('normalises names the way Route 53 lists them', () => {
    expect(normalizeName('*.Apps.Example.COM')).toBe('\\052.apps.example.com.');
    expect(normalizeName('\\052.apps.example.com.')).toBe('\\052.apps.example.com.');
    expect(normalizeName('_switchyard.www.example.com')).toBe('_switchyard.www.example.com.');
  });
});
