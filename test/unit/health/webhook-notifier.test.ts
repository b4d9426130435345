import { GetParameterCommand, ParameterNotFound, SSMClient } from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import { describe, expect, it } from 'vitest';
import { resolveWebhookUrl } from '../../../shared/adapters/notify/resolve-webhook-url.ts';
import { createWebhookNotifier } from '../../../shared/adapters/notify/webhook-notifier.ts';
import { AuthError, TransientError, ValidationError } from '../../../shared/errors.ts';

const SECRET_URL = 'https://hooks.slack.com/services/T000/B000/s3cr3tT0k3n';
const message = {
  title: 'shop/web is failing',
  text: 'shop/web is failing\n• free: 1 ready endpoints',
  severity: 'error' as const,
};

function fakeFetch(respond: () => Response | Promise<Response>) {
  const calls: { url: string; body: unknown }[] = [];
  const f = (async (url: string, init: RequestInit) => {
    calls.push({ url, body: JSON.parse(String(init.body)) });
    return respond();
  }) as unknown as typeof fetch;
  return { f, calls };
}

describe('webhook notifier', () => {
  it('posts Slack text to a slack target and title/text/severity to a plain webhook', async () => {
    const { f, calls } = fakeFetch(() => new Response('ok'));
    const notifier = createWebhookNotifier(
      [
        { name: 'ops', type: 'slack', url: SECRET_URL },
        { name: 'pager', type: 'webhook', url: 'https://example.com/hook' },
      ],
      { fetch: f },
    );
    await notifier.notify(message);
    expect(calls).toEqual([
      { url: SECRET_URL, body: { text: message.text, mrkdwn: true } },
      { url: 'https://example.com/hook', body: { title: message.title, text: message.text, severity: 'error' } },
    ]);
  });

  it.each([
    [429, 'rate_limited', TransientError],
    [503, 'unavailable', TransientError],
    [403, 'invalid_token', AuthError],
    [404, 'no_service', ValidationError],
  ])('maps HTTP %i to the error taxonomy without revealing the URL', async (status, body, type) => {
    const { f } = fakeFetch(() => new Response(body, { status }));
    const notifier = createWebhookNotifier([{ name: 'ops', type: 'slack', url: SECRET_URL }], { fetch: f });
    const error = await notifier.notify(message).then(
      () => new Error('expected a failure'),
      (e: unknown) => e as Error,
    );
    expect(error).toBeInstanceOf(type);
    expect(error.message).toContain(`"ops" answered HTTP ${status} (${body})`);
    expect(error.message).not.toContain('s3cr3t');
  });

  it('reports an unreachable target as transient, naming it but not its URL', async () => {
    const f = (async () => {
      throw new TypeError(`fetch failed for ${SECRET_URL}`, { cause: { code: 'ECONNREFUSED' } });
    }) as unknown as typeof fetch;
    const error = await createWebhookNotifier([{ name: 'ops', type: 'slack', url: SECRET_URL }], { fetch: f })
      .notify(message)
      .then(
        () => new Error('expected a failure'),
        (e: unknown) => e as Error,
      );
    expect(error).toBeInstanceOf(TransientError);
    expect(error.message).toBe('notification target "ops" unreachable (ECONNREFUSED)');
    expect(JSON.stringify(error)).not.toContain('s3cr3t');
  });

  it('still tries every target when one fails, and says the whole is retryable if any failure is', async () => {
    let n = 0;
    const { f, calls } = fakeFetch(() => new Response('', { status: n++ === 0 ? 500 : 404 }));
    const error = await createWebhookNotifier(
      [
        { name: 'a', type: 'slack', url: SECRET_URL },
        { name: 'b', type: 'slack', url: SECRET_URL },
      ],
      { fetch: f },
    )
      .notify(message)
      .then(
        () => new Error('expected a failure'),
        (e: unknown) => e as Error,
      );
    expect(calls).toHaveLength(2);
    expect(error).toBeInstanceOf(TransientError);
  });
});

describe('resolveWebhookUrl', () => {
  it('reads the URL from the named environment variable', async () => {
    await expect(resolveWebhookUrl('ops', { env: 'SLACK_URL' }, { SLACK_URL: SECRET_URL })).resolves.toBe(SECRET_URL);
  });

  it('names the missing variable and never echoes a bad value', async () => {
    await expect(resolveWebhookUrl('ops', { env: 'SLACK_URL' }, {})).rejects.toThrow(
      'notification "ops": environment variable SLACK_URL is not set',
    );
    const error = await resolveWebhookUrl('ops', { env: 'SLACK_URL' }, { SLACK_URL: 'not a url s3cr3t' }).then(
      () => new Error('expected a failure'),
      (e: unknown) => e as Error,
    );
    expect(error).toBeInstanceOf(ValidationError);
    expect(error.message).not.toContain('s3cr3t');
  });

  it('reads an SSM parameter with decryption, mapping a missing one and an outage', async () => {
    const ssm = mockClient(SSMClient);
    ssm
      .on(GetParameterCommand, { Name: '/switchyard/slack', WithDecryption: true })
      .resolves({ Parameter: { Value: SECRET_URL } });
    ssm
      .on(GetParameterCommand, { Name: '/missing' })
      .rejects(new ParameterNotFound({ message: 'not found', $metadata: {} }));
    ssm.on(GetParameterCommand, { Name: '/down' }).rejects(new Error('socket hang up'));
    const client = new SSMClient({ region: 'eu-west-1' });
    await expect(resolveWebhookUrl('ops', { ssm: '/switchyard/slack' }, {}, client)).resolves.toBe(SECRET_URL);
    await expect(resolveWebhookUrl('ops', { ssm: '/missing' }, {}, client)).rejects.toThrow(
      'notification "ops": SSM parameter /missing does not exist',
    );
    await expect(resolveWebhookUrl('ops', { ssm: '/down' }, {}, client)).rejects.toBeInstanceOf(TransientError);
    ssm.restore();
  });
});
