import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ciNotification, TEST_CI_SECRET, TEST_GITHUB_SECRET } from '../../support/api-gateway-event.ts';
import { type OfflineStack, startOffline } from '../../support/serverless-offline.ts';

const root = resolve(import.meta.dirname, '../../..');
const load = (file: string) =>
  JSON.parse(readFileSync(resolve(root, 'events', file), 'utf8')) as { headers: Record<string, string>; body: string };

// The real functions under serverless-offline: HTTP in, signature checked, the worker invoked through
// serverless-offline's Lambda Invoke endpoint by the real @aws-sdk/client-lambda.
describe('ingress under serverless-offline', () => {
  let stack: OfflineStack;

  beforeAll(async () => {
    stack = await startOffline({
      SWITCHYARD_CONFIG: resolve(root, 'events/switchyard.config.yml'),
      GITHUB_WEBHOOK_SECRET: TEST_GITHUB_SECRET,
      CI_WEBHOOK_SECRET: TEST_CI_SECRET,
      WORKER_FUNCTION_NAME: 'switchyard-dev-pipelineWorker',
      // The worker needs no cluster to prove the hand-off; it reports what it received.
      KUBECONFIG: '/nonexistent',
    });
  }, 180_000);

  afterAll(async () => {
    await stack?.stop();
  });

  async function post(path: string, event: { headers: Record<string, string>; body: string }) {
    return fetch(`${stack.httpUrl}${path}`, { method: 'POST', headers: event.headers, body: event.body });
  }

  it('accepts a signed pull_request and the worker receives its intent', async () => {
    const event = load('github/pull_request.opened.apigw.json');
    const res = await post('/github/webhook', event);
    expect(res.status).toBe(202);
    expect(await res.json()).toMatchObject({
      status: 'accepted',
      intents: 1,
      deliveryId: 'example-pull_request.opened',
    });
    await stack.waitFor(/"message":"delivery processed"[^\n]*"deliveryId":"example-pull_request.opened"/, 60_000);
  });

  it('refuses a tampered delivery with 401 and invokes nothing', async () => {
    const event = load('github/pull_request.synchronize.apigw.json');
    const res = await post('/github/webhook', { ...event, body: event.body.replace('"number":2', '"number":3') });
    expect(res.status).toBe(401);
    await new Promise((r) => setTimeout(r, 1000));
    expect(
      stack.output().match(/"message":"delivery processed"[^\n]*example-pull_request.synchronize/g)?.length ?? 0,
    ).toBe(0);
  });

  it('hands a signed CI notification to the worker', async () => {
    // Signed now: a notification's timestamp must be within 5 minutes of the receiver's clock.
    const res = await post(
      '/ci/notify',
      ciNotification(JSON.parse(readFileSync(resolve(root, 'events/ci/build-succeeded.json'), 'utf8'))),
    );
    expect(res.status).toBe(202);
    const body = (await res.json()) as { deliveryId: string };
    await stack.waitFor(new RegExp(`"message":"delivery processed"[^\\n]*"deliveryId":"${body.deliveryId}"`), 60_000);
  });

  it('answers ping', async () => {
    const res = await post('/github/webhook', load('github/ping.apigw.json'));
    expect(res.status).toBe(200);
  });
});
