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
      repos: new Set([REPO]),
      invoker: { invokeAsync: async (_fn: string, payload: unknown) => void invoked.push(payload) },
      workerFunctionName: 'worker',
      logger: silentLogger,
      now: () => new Date('2026-11-22T10:00:00Z'),
    },
  };
}

describe('receiveCiNotification', () => {
  it('hands a signed success to the worker as a ci_result intent', async () => {
    const { deps, invoked } = setup();
    const res = await receiveCiNotification(deps, ciNotification({ ...good, pr: 7 }));
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
    expect((await receiveCiNotification(deps, ciNotification({ ...good, repo: 'Acme/Web' }))).statusCode).toBe(202);
    expect(invoked).toHaveLength(1);
    const other = await receiveCiNotification(deps, ciNotification({ ...good, repo: 'acme/webapp' }));
    expect(JSON.parse(other.body)).toMatchObject({ status: 'ignored' });
    expect(invoked).toHaveLength(1);
  });

  it('gives the same delivery id to the same notification sent twice', async () => {
    const { deps, invoked } = setup();
    await receiveCiNotification(deps, ciNotification(good));
    await receiveCiNotification(deps, ciNotification(good));
    expect((invoked[0] as { deliveryId: string }).deliveryId).toBe((invoked[1] as { deliveryId: string }).deliveryId);
  });

  it('refuses bad signatures with 401', async () => {
    const { deps, invoked } = setup();
    expect((await receiveCiNotification(deps, ciNotification(good, { secret: 'nope' }))).statusCode).toBe(401);
    expect(invoked).toHaveLength(0);
  });

  it.each([
    [{ ...good, sha: 'abc' }, /sha/],
    [{ ...good, result: 'maybe' }, /result/],
    [{ ...good, extra: 1 }, /extra|Unrecognized/],
    [{ repo: REPO }, /sha/],
  ])('answers 400 naming the bad field', async (body, pattern) => {
    const { deps, invoked } = setup();
    const res = await receiveCiNotification(deps, ciNotification(body));
    expect(res.statusCode).toBe(400);
    expect(res.body).toMatch(pattern);
    expect(invoked).toHaveLength(0);
  });

  it('ignores repositories that are not configured', async () => {
    const { deps } = setup();
    const res = await receiveCiNotification(deps, ciNotification({ ...good, repo: 'acme/other' }));
    expect(res.statusCode).toBe(202);
    expect(JSON.parse(res.body).status).toBe('ignored');
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
