import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { receiveCiNotification } from '../../../shared/app/ingress/receive-ci-notification.ts';
import { silentLogger } from '../../../shared/ports/logger.ts';
import { apiGatewayEvent, ciNotification, TEST_CI_SECRET } from '../../support/api-gateway-event.ts';

const REPO = 'acme/web';
const good = {
  repo: REPO,
  sha: 'a'.repeat(40),
  branch: 'main',
  image: 'registry.example.com/acme/web:aaaaaaa',
  result: 'success',
  url: 'https://ci.example.com/build/1',
};

function setup() {
  const invoked: unknown[] = [];
  return {
    invoked,
    deps: {
      secrets: [TEST_CI_SECRET],
      apps: [{ repo: REPO, image: 'registry.example.com/acme/web', imageRepositories: ['mirror.example.com/web'] }],
      invoker: { invokeAsync: async (_fn: string, payload: unknown) => void invoked.push(payload) },
      workerFunctionName: 'worker',
      logger: silentLogger,
      now: () => NOW,
    },
  };
}

const NOW = new Date('2026-11-22T10:00:00Z');
const signedAt = (offsetSeconds: number) => ({ timestamp: Math.floor(NOW.getTime() / 1000) + offsetSeconds });

describe('receiveCiNotification', () => {
  it('hands a signed success to the worker as a ci_result intent', async () => {
    const { deps, invoked } = setup();
    const res = await receiveCiNotification(deps, ciNotification({ ...good, pr: 7 }, { now: NOW }));
    expect(res.statusCode).toBe(202);
    expect(invoked[0]).toMatchObject({
      deliveryId: expect.stringMatching(/^ci-[0-9a-f]{16}$/),
      intents: [
        {
          kind: 'ci_result',
          source: 'ci_notification',
          sha: good.sha,
          branch: 'main',
          image: good.image,
          prs: [7],
          result: 'success',
        },
      ],
    });
  });

  it('matches the repository case-insensitively, as GitHub does', async () => {
    const { deps, invoked } = setup();
    expect(
      (await receiveCiNotification(deps, ciNotification({ ...good, repo: 'Acme/Web' }, { now: NOW }))).statusCode,
    ).toBe(202);
    expect(invoked).toHaveLength(1);
    const other = await receiveCiNotification(deps, ciNotification({ ...good, repo: 'acme/webapp' }, { now: NOW }));
    expect(JSON.parse(other.body)).toMatchObject({ status: 'ignored' });
    expect(invoked).toHaveLength(1);
  });

  it('gives the same delivery id to the same notification sent twice', async () => {
    const { deps, invoked } = setup();
    await receiveCiNotification(deps, ciNotification(good, { now: NOW }));
    await receiveCiNotification(deps, ciNotification(good, { now: NOW }));
    expect((invoked[0] as { deliveryId: string }).deliveryId).toBe((invoked[1] as { deliveryId: string }).deliveryId);
  });

  it('refuses bad signatures with 401', async () => {
    const { deps, invoked } = setup();
    expect((await receiveCiNotification(deps, ciNotification(good, { secret: 'nope', now: NOW }))).statusCode).toBe(
      401,
    );
    expect(invoked).toHaveLength(0);
  });

  it.each([
    [{ ...good, sha: 'abc' }, /sha/],
    [{ ...good, result: 'maybe' }, /result/],
    [{ ...good, extra: 1 }, /extra|Unrecognized/],
    [{ repo: REPO }, /sha/],
  ])('answers 400 naming the bad field', async (body, pattern) => {
    const { deps, invoked } = setup();
    const res = await receiveCiNotification(deps, ciNotification(body, { now: NOW }));
    expect(res.statusCode).toBe(400);
    expect(res.body).toMatch(pattern);
    expect(invoked).toHaveLength(0);
  });

  it('ignores repositories that are not configured', async () => {
    const { deps } = setup();
    const res = await receiveCiNotification(deps, ciNotification({ ...good, repo: 'acme/other' }, { now: NOW }));
    expect(res.statusCode).toBe(202);
    expect(JSON.parse(res.body).status).toBe('ignored');
  });

  it.each([
    [-301, /301 s old \(more than 300 s\): replayed or delayed/],
    [-86_400, /86400 s old/],
    [301, /301 s in the future/],
  ])(
    'refuses a timestamp %i s away with 401 and the reason, even when the signature is right',
    async (offset, reason) => {
      const { deps, invoked } = setup();
      const res = await receiveCiNotification(deps, ciNotification(good, signedAt(offset)));
      expect(res.statusCode).toBe(401);
      expect(JSON.parse(res.body).error).toMatch(reason);
      expect(invoked).toHaveLength(0);
    },
  );

  it.each([-300, 0, 300])('accepts a timestamp %i s away (the window is inclusive)', async (offset) => {
    const { deps } = setup();
    expect((await receiveCiNotification(deps, ciNotification(good, signedAt(offset)))).statusCode).toBe(202);
  });

  it('refuses a replay whose timestamp was changed (the signature covers it), or one without a timestamp', async () => {
    const { deps, invoked } = setup();
    const event = ciNotification(good, signedAt(-3600));
    const moved = { ...event, headers: { ...event.headers, 'x-switchyard-timestamp': String(signedAt(0).timestamp) } };
    expect((await receiveCiNotification(deps, moved)).statusCode).toBe(401);
    const { 'x-switchyard-timestamp': _, ...without } = event.headers;
    const res = await receiveCiNotification(deps, { ...event, headers: without });
    expect(res.statusCode).toBe(401);
    expect(JSON.parse(res.body).error).toMatch(/missing X-Switchyard-Timestamp/);
    expect(invoked).toHaveLength(0);
  });

  it.each([
    ['docker.io/someone/else:latest', 400],
    ['someone/else:latest', 400],
    ['registry.example.com/acme/web-evil:1', 400],
    ['registry.example.com/acme:web', 400],
    ['registry.example.com/acme/web:aaaaaaa', 202],
    ['registry.example.com/acme/web@sha256:' + 'e'.repeat(64), 202],
    ['mirror.example.com/web:aaaaaaa', 202],
  ])('checks the image repository: %s -> %i', async (image, status) => {
    const { deps, invoked } = setup();
    const res = await receiveCiNotification(deps, ciNotification({ ...good, image }, { now: NOW }));
    expect(res.statusCode).toBe(status);
    if (status === 400) {
      expect(res.body).toMatch(/not in registry.example.com\/acme\/web, mirror.example.com\/web/);
      expect(invoked).toHaveLength(0);
    }
  });

  it.each(['javascript:alert(1)', 'data:text/html,x', 'ftp://ci.example.com/1', 'not a url'])(
    'refuses a url that is not http or https: %s',
    async (url) => {
      const { deps } = setup();
      const res = await receiveCiNotification(deps, ciNotification({ ...good, url }, { now: NOW }));
      expect(res.statusCode).toBe(400);
      expect(res.body).toMatch(/url: must be an http or https URL/);
    },
  );

  it('matches the repository ignoring case and hands on the configured spelling', async () => {
    const { deps, invoked } = setup();
    const res = await receiveCiNotification(deps, ciNotification({ ...good, repo: 'Acme/WEB' }, { now: NOW }));
    expect(res.statusCode).toBe(202);
    expect(invoked[0]).toMatchObject({ intents: [{ repo: REPO }] });
  });

  it('never answers 5xx nor hands off unsigned bodies', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string(), fc.option(fc.string(), { nil: undefined }), async (body, sig) => {
        const { deps, invoked } = setup();
        const headers: Record<string, string> = { 'content-type': 'application/json' };
        if (sig !== undefined) headers['x-switchyard-signature-256'] = sig;
        const res = await receiveCiNotification(deps, apiGatewayEvent('/ci/notify', body, headers));
        expect(res.statusCode).toBeLessThan(500);
        expect(invoked).toHaveLength(0);
      }),
      { numRuns: 300 },
    );
  });
});
