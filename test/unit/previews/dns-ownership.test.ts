import { describe, expect, it } from 'vitest';
import {
  ownershipValue,
  parseOwnership,
  planOwnedDelete,
  planOwnedUpsert,
} from '../../../shared/domain/preview/dns-ownership.ts';
import { txtValue } from '../../../shared/domain/traffic/record-set.ts';

const HOST = 'pr-5.web.preview.example.com.';
const TXT_NAME = `_switchyard-owner.${HOST}`;
const ME = 'acme/web#5/web';
const cname = (target = 'lb.example.net') => ({ name: HOST, type: 'CNAME', ttl: 60, values: [target] });
const marker = (owner: string) => ({
  name: TXT_NAME,
  type: 'TXT',
  ttl: 60,
  values: [txtValue([ownershipValue(owner)])],
});
const input = (current: ReturnType<typeof cname>[]) => ({ current, host: HOST, owner: ME, ttl: 60 });

describe('preview DNS ownership planner', () => {
  it('claims a free name with two CREATEs (which fail if anyone got there first)', () => {
    expect(planOwnedUpsert(input([]), cname())).toEqual({
      kind: 'changes',
      changes: [
        { action: 'CREATE', record: marker(ME) },
        { action: 'CREATE', record: cname() },
      ],
    });
  });

  it('replaces its own record by compare-and-set of the ownership TXT, and does nothing when unchanged', () => {
    const plan = planOwnedUpsert(input([marker(ME), cname('old.example.net')]), cname());
    expect(plan).toEqual({
      kind: 'changes',
      changes: [
        { action: 'DELETE', record: marker(ME) },
        { action: 'CREATE', record: marker(ME) },
        { action: 'DELETE', record: cname('old.example.net') },
        { action: 'CREATE', record: cname() },
      ],
    });
    expect(planOwnedUpsert(input([marker(ME), cname()]), cname())).toEqual({ kind: 'unchanged' });
  });

  it.each([
    ['a record without ownership', [cname('theirs.example.net')], /switchyard did not create/],
    ['another preview', [marker('acme/web#6/web'), cname()], /belongs to acme\/web#6\/web/],
    ['a foreign TXT at the ownership name', [{ ...marker(ME), values: ['"v=spf1 -all"'] }], /did not create/],
    [
      'an extra record type beside its own',
      [marker(ME), cname(), { name: HOST, type: 'TXT', ttl: 60, values: ['"x"'] }],
      /also has TXT/,
    ],
  ])('refuses to touch %s, on upsert and delete', (_what, current, reason) => {
    const upsert = planOwnedUpsert(input(current), cname());
    expect(upsert).toEqual({ kind: 'not-owned', reason: expect.stringMatching(reason) });
    if (!/also has/.test(String(reason))) {
      expect(planOwnedDelete(input(current), 'CNAME')).toMatchObject({ kind: 'not-owned' });
    }
  });

  it('deletes its record and the ownership TXT together, exactly as read', () => {
    expect(planOwnedDelete(input([marker(ME), cname()]), 'CNAME')).toEqual({
      kind: 'changes',
      changes: [
        { action: 'DELETE', record: cname() },
        { action: 'DELETE', record: marker(ME) },
      ],
    });
    expect(planOwnedDelete(input([]), 'CNAME')).toEqual({ kind: 'unchanged' });
  });

  it('reads only its own marker format', () => {
    expect(parseOwnership(marker(ME))).toBe(ME);
    expect(
      parseOwnership({ ...marker(ME), values: ['"heritage=external-dns,external-dns/owner=default"'] }),
    ).toBeNull();
    expect(parseOwnership(undefined)).toBeNull();
  });
});
