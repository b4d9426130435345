import { describe, expect, it } from 'vitest';
import { decidePolicy, needsForkApprover } from '../../../shared/domain/preview/preview-policy.ts';
import { pr, preview } from './fixtures.ts';

const base = { forkApprover: null, activeCount: 0, hasPreview: false };

describe('decidePolicy', () => {
  it('allows a same-repo PR', () => {
    expect(decidePolicy({ ...base, preview: preview(), pr: pr() })).toEqual({ allow: true });
  });

  it('denies forks by default', () => {
    const d = decidePolicy({ ...base, preview: preview(), pr: pr({ headRepo: 'stranger/web' }) });
    expect(d).toMatchObject({ allow: false, code: 'fork' });
  });

  it('treats a deleted fork (head repo null) as a fork', () => {
    expect(decidePolicy({ ...base, preview: preview(), pr: pr({ headRepo: null }) })).toMatchObject({ code: 'fork' });
  });

  it('allows a fork only with the label applied by someone with write access', () => {
    const p = preview({ forks: { policy: 'label', label: 'ok-preview' } });
    const fork = pr({ headRepo: 'stranger/web', labels: ['ok-preview'] });
    expect(needsForkApprover(p, fork)).toBe(true);
    expect(needsForkApprover(p, pr({ headRepo: 'stranger/web' }))).toBe(false);
    const maint = { login: 'maint', permission: 'maintain' as const };
    expect(decidePolicy({ ...base, preview: p, pr: fork, forkApprover: maint, forkApprovalCoversHead: true })).toEqual({
      allow: true,
    });
    // Commits pushed after the approval are not approved; the running (approved) preview stays.
    expect(decidePolicy({ ...base, preview: p, pr: fork, forkApprover: maint })).toMatchObject({
      allow: false,
      code: 'fork',
      teardown: false,
      reason: expect.stringContaining('re-apply'),
    });
    expect(
      decidePolicy({ ...base, preview: p, pr: fork, forkApprover: { login: 'stranger', permission: 'triage' } }),
    ).toMatchObject({
      allow: false,
      code: 'fork',
    });
    expect(decidePolicy({ ...base, preview: p, pr: fork, forkApprover: null })).toMatchObject({ allow: false });
  });

  it('honours drafts, opt-in and opt-out labels', () => {
    expect(decidePolicy({ ...base, preview: preview(), pr: pr({ draft: true }) })).toMatchObject({
      code: 'draft',
      teardown: true,
    });
    expect(decidePolicy({ ...base, preview: preview({ drafts: true }), pr: pr({ draft: true }) })).toEqual({
      allow: true,
    });
    expect(decidePolicy({ ...base, preview: preview({ requireLabel: 'preview' }), pr: pr() })).toMatchObject({
      code: 'opt-in',
    });
    expect(
      decidePolicy({ ...base, preview: preview({ requireLabel: 'preview' }), pr: pr({ labels: ['preview'] }) }),
    ).toEqual({
      allow: true,
    });
    expect(decidePolicy({ ...base, preview: preview(), pr: pr({ labels: ['no-preview'] }) })).toMatchObject({
      code: 'opt-out',
      teardown: true,
    });
  });

  it('caps new previews per app but never refuses one that exists', () => {
    const p = preview({ maxPerApp: 2 });
    expect(decidePolicy({ ...base, preview: p, pr: pr(), activeCount: 2 })).toMatchObject({
      code: 'cap',
      teardown: false,
    });
    expect(decidePolicy({ ...base, preview: p, pr: pr(), activeCount: 2, hasPreview: true })).toEqual({ allow: true });
  });
});
