import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { receiveGitHubWebhook } from '../../../shared/app/ingress/receive-github-webhook.ts';
import { MAX_BODY_BYTES } from '../../../shared/domain/webhook/read-http-request.ts';
import { signBody, verifySignature } from '../../../shared/domain/webhook/verify-signature.ts';
import { silentLogger } from '../../../shared/ports/logger.ts';
import { apiGatewayEvent, githubDelivery, TEST_GITHUB_SECRET } from '../../support/api-gateway-event.ts';
import { EXAMPLE_REPO, webhookExamples } from '../../support/webhook-examples.ts';

function setup(opts: { failInvoke?: boolean } = {}) {
  const invoked: Array<{ fn: string; payload: unknown }> = [];
  const deps = {
    secrets: [TEST_GITHUB_SECRET],
    repos: new Set([EXAMPLE_REPO]),
    ignoreStatusContexts: [],
    invoker: {
      invokeAsync: async (fn: string, payload: unknown) => {
        if (opts.failInvoke) throw new Error('Lambda is down');
        invoked.push({ fn, payload });
      },
    },
    workerFunctionName: 'switchyard-pipelineWorker',
    logger: silentLogger,
    now: () => new Date('2026-11-22T10:00:00Z'),
  };
  return { deps, invoked };
}

const opened = () => webhookExamples('pull_request').find((p) => p['action'] === 'opened')!;

describe('verifySignature', () => {
  it("matches GitHub's documented test vector", () => {
    // https://docs.github.com/webhooks/using-webhooks/validating-webhook-deliveries#testing-the-webhook-payload-validation
    const header = 'sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17';
    expect(verifySignature("It's a Secret to Everybody", Buffer.from('Hello, World!'), header)).toBe(true);
    expect(signBody("It's a Secret to Everybody", 'Hello, World!')).toBe(header);
    expect(verifySignature('another secret', Buffer.from('Hello, World!'), header)).toBe(false);
  });
});

describe('receiveGitHubWebhook', () => {
  it('hands a signed pull_request to the worker and answers 202', async () => {
    const { deps, invoked } = setup();
    const res = await receiveGitHubWebhook(deps, githubDelivery('pull_request', opened()));
    expect(res.statusCode).toBe(202);
    expect(JSON.parse(res.body)).toMatchObject({ status: 'accepted', intents: 1 });
    expect(invoked).toHaveLength(1);
    expect(invoked[0]).toMatchObject({
      fn: 'switchyard-pipelineWorker',
      payload: { deliveryId: '72d3162e-cc78-11e3-81ab-4c9367dc0958', intents: [{ kind: 'pull_request', pr: 2 }] },
    });
  });

  it('accepts base64 bodies (API Gateway binary) and form-encoded deliveries', async () => {
    const { deps, invoked } = setup();
    expect(
      (await receiveGitHubWebhook(deps, githubDelivery('pull_request', opened(), { base64: true }))).statusCode,
    ).toBe(202);
    expect(
      (await receiveGitHubWebhook(deps, githubDelivery('pull_request', opened(), { form: true }))).statusCode,
    ).toBe(202);
    expect(invoked).toHaveLength(2);
  });

  it('answers ping without handing anything off', async () => {
    const { deps, invoked } = setup();
    const res = await receiveGitHubWebhook(deps, githubDelivery('ping', webhookExamples('ping')[0]));
    expect(res.statusCode).toBe(200);
    expect(invoked).toHaveLength(0);
  });

  it('refuses a wrong or missing signature with 401 and hands nothing off', async () => {
    const { deps, invoked } = setup();
    const wrong = githubDelivery('pull_request', opened(), { secret: 'not-the-secret' });
    const missing = githubDelivery('pull_request', opened());
    delete missing.headers['x-hub-signature-256'];
    expect((await receiveGitHubWebhook(deps, wrong)).statusCode).toBe(401);
    expect((await receiveGitHubWebhook(deps, missing)).statusCode).toBe(401);
    expect(invoked).toHaveLength(0);
  });

  it('refuses a body changed after signing', async () => {
    const { deps, invoked } = setup();
    const ev = githubDelivery('pull_request', opened());
    ev.body = ev.body.replace('"number":2', '"number":3');
    expect((await receiveGitHubWebhook(deps, ev)).statusCode).toBe(401);
    expect(invoked).toHaveLength(0);
  });

  it('accepts the previous secret during rotation', async () => {
    const { deps, invoked } = setup();
    deps.secrets = ['new-secret', TEST_GITHUB_SECRET];
    expect((await receiveGitHubWebhook(deps, githubDelivery('pull_request', opened()))).statusCode).toBe(202);
    expect(invoked).toHaveLength(1);
  });

  it('answers 415 for other content types, 400 for missing headers or bad JSON', async () => {
    const { deps, invoked } = setup();
    const xml = githubDelivery('pull_request', opened());
    xml.headers['content-type'] = 'text/xml';
    expect((await receiveGitHubWebhook(deps, xml)).statusCode).toBe(415);
    const noEvent = githubDelivery('pull_request', opened());
    delete noEvent.headers['x-github-event'];
    expect((await receiveGitHubWebhook(deps, noEvent)).statusCode).toBe(400);
    const body = '{"not json';
    const bad = apiGatewayEvent('/github/webhook', body, {
      'content-type': 'application/json',
      'x-github-event': 'pull_request',
      'x-github-delivery': 'x',
      'x-hub-signature-256': signBody(TEST_GITHUB_SECRET, body),
    });
    const res = await receiveGitHubWebhook(deps, bad);
    expect(res.statusCode).toBe(400);
    expect(JSON.parse(res.body).error).toMatch(/not valid JSON/);
    expect(invoked).toHaveLength(0);
  });

  it('answers 400 with the reason for a signed payload of the wrong shape', async () => {
    const { deps } = setup();
    const res = await receiveGitHubWebhook(deps, githubDelivery('pull_request', { action: 'opened', number: 'x' }));
    expect(res.statusCode).toBe(400);
    expect(JSON.parse(res.body).error).toMatch(/pull_request payload is malformed/);
  });

  it('answers 413 above the 6 MB Lambda request limit, and reads a body at the limit', async () => {
    const { deps } = setup();
    const json = { 'content-type': 'application/json' };
    const over = apiGatewayEvent('/github/webhook', 'x'.repeat(MAX_BODY_BYTES + 1), json);
    expect(MAX_BODY_BYTES).toBe(6 * 1024 * 1024);
    const res = await receiveGitHubWebhook(deps, over);
    expect(res.statusCode).toBe(413);
    expect(JSON.parse(res.body).error).toMatch(/6 MB/);
    const base64 = apiGatewayEvent('/github/webhook', Buffer.alloc(MAX_BODY_BYTES + 1).toString('base64'), json, {
      base64: true,
    });
    expect((await receiveGitHubWebhook(deps, base64)).statusCode).toBe(413);
    // At the limit the body is read and judged on its signature (none here), not on its size.
    const at = apiGatewayEvent('/github/webhook', 'x'.repeat(MAX_BODY_BYTES), json);
    expect((await receiveGitHubWebhook(deps, at)).statusCode).toBe(401);
  });

  it('matches the configured repository case-insensitively, as GitHub does', async () => {
    const { deps, invoked } = setup();
    const payload = structuredClone(opened());
    const repository = payload['repository'] as Record<string, unknown>;
    repository['full_name'] = String(repository['full_name']).toUpperCase();
    const res = await receiveGitHubWebhook(deps, githubDelivery('pull_request', payload));
    expect(res.statusCode).toBe(202);
    expect(invoked).toHaveLength(1);
    const other = structuredClone(opened());
    (other['repository'] as Record<string, unknown>)['full_name'] = 'someone/else';
    await receiveGitHubWebhook(deps, githubDelivery('pull_request', other));
    expect(invoked).toHaveLength(1);
  });

  it('answers 202 ignored, with why, for events it does not act on', async () => {
    const { deps, invoked } = setup();
    const res = await receiveGitHubWebhook(deps, githubDelivery('issues', webhookExamples('issues')[0]));
    expect(res.statusCode).toBe(202);
    expect(JSON.parse(res.body)).toMatchObject({ status: 'ignored', reason: expect.stringMatching(/issues/) });
    expect(invoked).toHaveLength(0);
  });

  it('answers 503 when the hand-off fails so GitHub shows the delivery as failed', async () => {
    const { deps } = setup({ failInvoke: true });
    expect((await receiveGitHubWebhook(deps, githubDelivery('pull_request', opened()))).statusCode).toBe(503);
  });

  it('never answers 5xx and never hands off without a valid signature, whatever arrives', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          body: fc.oneof(fc.string(), fc.json(), fc.constant(JSON.stringify(opened()))),
          contentType: fc.constantFrom('application/json', 'application/x-www-form-urlencoded', 'text/plain', ''),
          event: fc.constantFrom('pull_request', 'push', 'status', 'check_suite', 'ping', '', 'weird'),
          signature: fc.oneof(fc.string(), fc.constant('sha256=' + '0'.repeat(64)), fc.constant(undefined)),
          base64: fc.boolean(),
        }),
        async (input) => {
          const { deps, invoked } = setup();
          const headers: Record<string, string> = {
            'content-type': input.contentType,
            'x-github-event': input.event,
            'x-github-delivery': 'prop',
          };
          if (input.signature !== undefined) headers['x-hub-signature-256'] = input.signature;
          const res = await receiveGitHubWebhook(
            deps,
            apiGatewayEvent('/github/webhook', input.body, headers, { base64: input.base64 }),
          );
          expect(res.statusCode).toBeLessThan(500);
          expect(invoked).toHaveLength(0);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('never answers 5xx for signed random JSON bodies', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.jsonValue(),
        fc.constantFrom('pull_request', 'push', 'status', 'check_run', 'check_suite', 'workflow_run'),
        async (value, event) => {
          const { deps } = setup();
          const res = await receiveGitHubWebhook(deps, githubDelivery(event, value));
          expect(res.statusCode).toBeLessThan(500);
        },
      ),
      { numRuns: 300 },
    );
  });
});
