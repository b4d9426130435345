import { describe, expect, it } from 'vitest';
import type { StatusSources } from '../../../shared/app/status/read-status.ts';
import { serveStatus } from '../../../shared/app/status/serve-status.ts';

const now = new Date('2026-11-22T12:00:00Z');
const sources: StatusSources = {
  previews: async () => [
    {
      app: 'web',
      pr: 42,
      namespace: 'pr-42-web',
      headSha: 'abcdef0123456789abcdef0123456789abcdef01',
      deployedSha: 'abcdef0123456789abcdef0123456789abcdef01',
      since: '2026-11-22T11:55:00Z',
      url: 'https://pr-42.web.example.com',
      state: 'ready',
    },
  ],
  releases: async () => [
    {
      app: 'web',
      environment: 'prod',
      track: 'free',
      sha: 'b'.repeat(40),
      image: 'r/web:bbbbbbb',
      state: 'baking',
      since: '2026-11-22T10:00:00Z',
    },
  ],
  shifts: async () => [
    {
      name: 'web-migration',
      record: 'www.example.com',
      state: 'running',
      kubernetesWeight: 25,
      steps: [
        { weight: 5, status: 'done' },
        { weight: 25, status: 'current' },
        { weight: 100, status: 'next' },
      ],
      history: [
        { at: '2026-11-22T10:00:00Z', weight: 0 },
        { at: '2026-11-22T10:15:00Z', weight: 5 },
        { at: '2026-11-22T10:30:00Z', weight: 25 },
      ],
      message: null,
    },
  ],
  health: async () => {
    throw new Error('cluster unreachable');
  },
};

describe('serveStatus', () => {
  it('renders every section, an SVG per shift, and says which section could not be read', async () => {
    const res = await serveStatus({ sources, token: undefined, now: () => now }, { rawPath: '/status' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/text\/html/);
    expect(res.body).toContain('#42');
    expect(res.body).toContain('https://pr-42.web.example.com');
    expect(res.body).toContain('5m');
    expect(res.body).toContain('<svg class="weights"');
    expect(res.body).toContain('class="step-current"');
    expect(res.body).toContain('Could not read health: cluster unreachable');
    expect(res.body).not.toMatch(/<script|https?:\/\/(?!pr-42)[^"]*\.(css|js)/);
  });

  it('escapes what it shows', async () => {
    const evil: StatusSources = {
      previews: async () => [
        {
          app: '<script>alert(1)</script>',
          pr: 1,
          namespace: 'x',
          headSha: 'a',
          deployedSha: null,
          since: null,
          url: null,
          state: 'x',
        },
      ],
    };
    const res = await serveStatus({ sources: evil, token: undefined, now: () => now }, { rawPath: '/status' });
    expect(res.body).not.toContain('<script>alert(1)</script>');
    expect(res.body).toContain('&lt;script&gt;');
  });

  it('serves the same model as JSON', async () => {
    const res = await serveStatus({ sources, token: undefined, now: () => now }, { rawPath: '/status.json' });
    const model = JSON.parse(res.body);
    expect(model.previews[0].pr).toBe(42);
    expect(model.errors).toEqual([{ section: 'health', message: 'cluster unreachable' }]);
  });

  it('requires the token when one is configured', async () => {
    const deps = { sources, token: 's3cret', now: () => now };
    expect((await serveStatus(deps, { rawPath: '/status' })).statusCode).toBe(401);
    expect(
      (await serveStatus(deps, { rawPath: '/status', queryStringParameters: { token: 'wrong!' } })).statusCode,
    ).toBe(401);
    expect(
      (await serveStatus(deps, { rawPath: '/status', queryStringParameters: { token: 's3cret' } })).statusCode,
    ).toBe(200);
    expect(
      (await serveStatus(deps, { rawPath: '/status.json', headers: { Authorization: 'Bearer s3cret' } })).statusCode,
    ).toBe(200);
  });
});
