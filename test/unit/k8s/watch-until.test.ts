import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { KubeConfig } from '@kubernetes/client-node';
import { afterEach, describe, expect, it } from 'vitest';
import { watchUntil } from '../../../shared/adapters/k8s/watch-until.ts';
import { AuthError, TransientError } from '../../../shared/errors.ts';

// Error paths the real control plane does not produce on demand (test/cluster/k8s/watch-until.test.ts
// covers the real ones): a loopback server answers discovery, the list, and scripted watch responses.
type WatchReply = (res: ServerResponse) => void;

const discovery = {
  kind: 'APIResourceList',
  apiVersion: 'v1',
  groupVersion: 'v1',
  resources: [
    { name: 'configmaps', singularName: 'configmap', namespaced: true, kind: 'ConfigMap', verbs: ['list', 'watch'] },
  ],
};
const cm = (rv: string, step: string) => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name: 'cm', namespace: 'ns', resourceVersion: rv, labels: { step } },
});

let server: Server | undefined;
afterEach(() => new Promise<void>((r) => (server ? server.close(() => r()) : r())));

async function stub(options: { list?: WatchReply; watches: WatchReply[] }) {
  const seen: string[] = [];
  server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const json = (code: number, body: unknown) => {
      res.writeHead(code, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (url.pathname === '/api/v1') return json(200, discovery);
    if (url.pathname !== '/api/v1/namespaces/ns/configmaps') return json(404, { kind: 'Status', code: 404 });
    if (url.searchParams.get('watch') === 'true') {
      seen.push(`watch@${url.searchParams.get('resourceVersion')}`);
      const reply = options.watches.shift();
      if (!reply) return json(500, { kind: 'Status', code: 500, message: 'no more scripted watches' });
      return reply(res);
    }
    seen.push('list');
    if (options.list) return options.list(res);
    return json(200, {
      kind: 'ConfigMapList',
      apiVersion: 'v1',
      metadata: { resourceVersion: '100' },
      items: [cm('100', '1')],
    });
  });
  await new Promise<void>((r) => server?.listen(0, '127.0.0.1', r));
  const kc = new KubeConfig();
  kc.loadFromClusterAndUser(
    { name: 'stub', server: `http://127.0.0.1:${(server!.address() as AddressInfo).port}`, skipTLSVerify: true },
    { name: 'u', token: 't' },
  );
  return { kc, seen };
}

const stream =
  (...events: unknown[]): WatchReply =>
  (res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    for (const e of events) res.write(`${JSON.stringify(e)}\n`);
    // Leave the stream open, as the API server does until timeoutSeconds.
  };
const status =
  (code: number, message: string): WatchReply =>
  (res) => {
    res.writeHead(code, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ kind: 'Status', apiVersion: 'v1', status: 'Failure', code, message }));
  };
const target = { apiVersion: 'v1', kind: 'ConfigMap', namespace: 'ns' };
const stepIs = (step: string) => (items: readonly { metadata?: { labels?: Record<string, string> } }[]) =>
  items[0]?.metadata?.labels?.['step'] === step ? step : undefined;

describe('watchUntil error paths', () => {
  it('relists after a 410 HTTP status on the watch request and resumes from the new list', async () => {
    const { kc, seen } = await stub({
      watches: [status(410, 'too old resource version'), stream({ type: 'MODIFIED', object: cm('101', '2') })],
    });
    const reasons: string[] = [];

    const result = await watchUntil(kc, {
      ...target,
      resourceVersion: '5',
      until: stepIs('2'),
      onRelist: (r) => reasons.push(r),
      deadline: Date.now() + 5_000,
    });

    expect(result).toMatchObject({ met: true, value: '2', relists: 1, resourceVersion: '101' });
    expect(seen).toEqual(['watch@5', 'list', 'watch@100']);
    expect(reasons).toEqual(['HTTP 410 Gone']);
  });

  it('reconnects from the last resourceVersion after an in-stream error that is not 410', async () => {
    const { kc, seen } = await stub({
      watches: [
        stream(
          { type: 'MODIFIED', object: cm('150', '2') },
          { type: 'ERROR', object: { kind: 'Status', code: 500, message: 'etcd leader changed' } },
        ),
        stream(
          { type: 'BOOKMARK', object: { kind: 'ConfigMap', metadata: { resourceVersion: '160' } } },
          { type: 'MODIFIED', object: cm('170', '3') },
        ),
      ],
    });

    const result = await watchUntil(kc, {
      ...target,
      until: stepIs('3'),
      deadline: Date.now() + 5_000,
      retryDelayMs: 10,
    });

    expect(result).toMatchObject({ met: true, relists: 0, reconnects: 1, resourceVersion: '170' });
    expect(seen).toEqual(['list', 'watch@100', 'watch@150']);
  });

  it('throws AuthError when the list is forbidden', async () => {
    const { kc } = await stub({ list: status(403, 'configmaps is forbidden'), watches: [] });
    await expect(
      watchUntil(kc, { ...target, until: stepIs('1'), deadline: Date.now() + 5_000 }),
    ).rejects.toBeInstanceOf(AuthError);
  });

  it('keeps retrying a 503 list until the deadline and reports the last error', async () => {
    const { kc, seen } = await stub({ list: status(503, 'etcd unavailable'), watches: [] });

    const result = await watchUntil(kc, {
      ...target,
      until: stepIs('1'),
      deadline: Date.now() + 600,
      retryDelayMs: 100,
    });

    expect(result.met).toBe(false);
    expect(!result.met && result.lastError).toBeInstanceOf(TransientError);
    expect(seen.filter((s) => s === 'list').length).toBeGreaterThanOrEqual(2);
  });
});
