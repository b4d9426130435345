import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PreviewSchema } from '../../../shared/config/preview-schema.ts';
import { isDnsLabel, previewHost, previewHostIssues } from '../../../shared/domain/naming.ts';

const parse = (host: string) => PreviewSchema.safeParse({ templates: 't', host });

describe('preview.host', () => {
  it.each([
    ['{branch}.example.com', /must contain \{pr\}/],
    ['{app}-{branch}.preview.example.com', /must contain \{pr\}/],
    ['pr-{pr}.{ref}.example.com', /unknown placeholder\(s\) \{ref\}/],
    ['pr-{pr}', /must be a host name/],
    ['pr_{pr}.example.com', /must be a host name/],
    [`pr-{pr}.${'x.'.repeat(120)}example.com`, /can reach \d+ characters/],
  ])('refuses %s with a config error', (host, message) => {
    const parsed = parse(host);
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues.map((i) => i.message).join('\n')).toMatch(message);
  });

  it('accepts the documented patterns', () => {
    for (const host of ['pr-{pr}.web.preview.example.com', 'pr-{pr}-{branch}.{app}.preview.example.test']) {
      expect(previewHostIssues(host)).toEqual([]);
      expect(parse(host).success).toBe(true);
    }
  });

  it('keeps every DNS label within 63 characters for every branch and app, and two PRs never share a host', () => {
    const pattern = '{app}-{branch}-pr-{pr}.preview.example.com';
    fc.assert(
      fc.property(
        fc.string({ maxLength: 300 }),
        fc.string({ minLength: 1, maxLength: 80 }),
        fc.integer({ min: 1, max: 2 ** 31 - 1 }),
        (branch, app, pr) => {
          const host = previewHost(pattern, { app, pr, branch });
          for (const label of host.split('.')) expect(isDnsLabel(label)).toBe(true);
          expect(host.length).toBeLessThanOrEqual(253);
          expect(previewHost(pattern, { app, pr: pr + 1, branch })).not.toBe(host);
        },
      ),
    );
  });

  it('cuts a long label with a stable hash, so two long branches that share a prefix get different hosts', () => {
    const long = 'feature/'.padEnd(60, 'x');
    const a = previewHost('{branch}-{app}-{pr}.example.com', { app: 'a'.repeat(40), pr: 1, branch: `${long}-one` });
    const b = previewHost('{branch}-{app}-{pr}.example.com', { app: 'a'.repeat(40), pr: 1, branch: `${long}-two` });
    expect(a.split('.')[0]!.length).toBeLessThanOrEqual(63);
    expect(a).not.toBe(b);
    expect(previewHost('{branch}-{app}-{pr}.example.com', { app: 'a'.repeat(40), pr: 1, branch: `${long}-one` })).toBe(
      a,
    );
  });
});
