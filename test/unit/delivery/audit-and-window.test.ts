import { describe, expect, it } from 'vitest';
import { actorOf, actorSuffix, cleanActor, withActor } from '../../../shared/domain/delivery/audit-actor.ts';
import { parseSince } from '../../../shared/domain/delivery/parse-window.ts';
import { ValidationError } from '../../../shared/errors.ts';

describe('audit suffix', () => {
  it('says who acted, or automatic', () => {
    expect(withActor('Promoted past paid', 'alice')).toBe('Promoted past paid (by alice)');
    expect(withActor('Released', undefined)).toBe('Released (automatic)');
    expect(actorSuffix('')).toBe('(automatic)');
  });

  it('keeps the suffix whole within GitHub 140-character limit, cutting the description instead', () => {
    const text = withActor('x'.repeat(200), 'octocat');
    expect(Array.from(text)).toHaveLength(140);
    expect(text.endsWith('… (by octocat)')).toBe(true);
    expect(actorOf(text)).toBe('octocat');
  });

  it('reads back what it wrote and nothing else', () => {
    expect(actorOf(withActor('Rollback', 'dependabot[bot]'))).toBe('dependabot[bot]');
    expect(actorOf('Released (automatic)')).toBe('automatic');
    expect(actorOf('Deployed by hand')).toBeNull();
  });

  it('cleans names so a description cannot be forged into another shape', () => {
    expect(cleanActor('Jane Doe (admin)')).toBe('Jane-Doe-admin');
    expect(cleanActor('  ')).toBeNull();
    expect(cleanActor('a'.repeat(60))).toHaveLength(39);
  });
});

describe('parseSince', () => {
  const now = new Date('2026-12-01T00:00:00Z');
  it('reads durations and dates', () => {
    expect(parseSince('30d', now).toISOString()).toBe('2026-11-01T00:00:00.000Z');
    expect(parseSince('12h', now).toISOString()).toBe('2026-11-30T12:00:00.000Z');
    expect(parseSince('2w', now).toISOString()).toBe('2026-11-17T00:00:00.000Z');
    expect(parseSince('2026-11-20', now).toISOString()).toBe('2026-11-20T00:00:00.000Z');
    expect(parseSince(undefined, now).toISOString()).toBe('2026-11-01T00:00:00.000Z');
  });

  it.each(['thirty days', '30', '-3d', '2027-01-01', '400d', '2026-13-45'])('refuses "%s"', (text) => {
    expect(() => parseSince(text, now)).toThrow(ValidationError);
  });
});
