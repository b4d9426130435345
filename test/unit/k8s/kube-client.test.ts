import { createHash, createHmac } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  eksKubeConfig,
  eksToken,
  kubeConfigProvider,
  loadKubeConfig,
} from '../../../shared/adapters/k8s/kube-client.ts';
import { ValidationError } from '../../../shared/errors.ts';

// AWS's documented example credentials: never valid anywhere.
const credentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' };
const signingDate = new Date('2026-03-04T05:06:07Z');

function decode(token: string): URL {
  return new URL(Buffer.from(token.slice('k8s-aws-v1.'.length), 'base64url').toString('utf8'));
}

function hmac(key: Buffer | string, data: string): Buffer {
  return createHmac('sha256', key).update(data).digest();
}

/** An independent SigV4 query-signature computation, to check the token would verify at STS. */
function expectedSignature(url: URL, cluster: string, region: string): string {
  const params = [...url.searchParams.entries()].filter(([k]) => k !== 'X-Amz-Signature');
  const enc = (v: string) =>
    encodeURIComponent(v).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  const canonicalQuery = params
    .map(([k, v]) => [enc(k), enc(v)] as const)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
  const canonicalRequest = [
    'GET',
    '/',
    canonicalQuery,
    `host:${url.hostname}\nx-k8s-aws-id:${cluster}\n`,
    'host;x-k8s-aws-id',
    createHash('sha256').update('').digest('hex'),
  ].join('\n');
  const amzDate = url.searchParams.get('X-Amz-Date')!;
  const scope = `${amzDate.slice(0, 8)}/${region}/sts/aws4_request`;
  const stringToSign = [
    'AWS4-HMAC-SHA256',
    amzDate,
    scope,
    createHash('sha256').update(canonicalRequest).digest('hex'),
  ].join('\n');
  let key = hmac(`AWS4${credentials.secretAccessKey}`, amzDate.slice(0, 8));
  for (const part of [region, 'sts', 'aws4_request']) key = hmac(key, part);
  return createHmac('sha256', key).update(stringToSign).digest('hex');
}

describe('eksToken', () => {
  it('is a k8s-aws-v1 presigned STS GetCallerIdentity URL, base64url without padding', async () => {
    const token = await eksToken({ clusterName: 'prod-eu', region: 'eu-west-1', credentials, signingDate });

    expect(token.startsWith('k8s-aws-v1.')).toBe(true);
    const body = token.slice('k8s-aws-v1.'.length);
    expect(body).toMatch(/^[A-Za-z0-9_-]+$/); // no '=', '+' or '/'
    const url = decode(token);
    expect(url.origin).toBe('https://sts.eu-west-1.amazonaws.com');
    expect(url.pathname).toBe('/');
    const q = url.searchParams;
    expect(q.get('Action')).toBe('GetCallerIdentity');
    expect(q.get('Version')).toBe('2011-06-15');
    expect(q.get('X-Amz-Algorithm')).toBe('AWS4-HMAC-SHA256');
    expect(q.get('X-Amz-Credential')).toBe('AKIDEXAMPLE/20260304/eu-west-1/sts/aws4_request');
    expect(q.get('X-Amz-Date')).toBe('20260304T050607Z');
    expect(q.get('X-Amz-Expires')).toBe('60');
    expect(q.get('X-Amz-SignedHeaders')).toBe('host;x-k8s-aws-id');
    expect(q.get('X-Amz-Signature')).toBe(expectedSignature(url, 'prod-eu', 'eu-west-1'));
    // aws-iam-authenticator rejects any other query parameter.
    for (const key of q.keys()) expect(['Action', 'Version'].includes(key) || key.startsWith('X-Amz-')).toBe(true);
  });

  it('carries a session token as X-Amz-Security-Token and binds the cluster name into the signature', async () => {
    const withSession = await eksToken({
      clusterName: 'a',
      region: 'us-east-1',
      credentials: { ...credentials, sessionToken: 'session/token+value' },
      signingDate,
    });
    const other = await eksToken({ clusterName: 'b', region: 'us-east-1', credentials, signingDate });
    const plain = await eksToken({ clusterName: 'a', region: 'us-east-1', credentials, signingDate });

    expect(decode(withSession).searchParams.get('X-Amz-Security-Token')).toBe('session/token+value');
    expect(decode(other).searchParams.get('X-Amz-Signature')).not.toBe(
      decode(plain).searchParams.get('X-Amz-Signature'),
    );
    expect(decode(plain).searchParams.get('X-Amz-Signature')).toBe(expectedSignature(decode(plain), 'a', 'us-east-1'));
  });
});

describe('eksKubeConfig', () => {
  it('sends a fresh bearer token and re-signs it after ten minutes', async () => {
    let now = new Date('2026-03-04T05:00:00Z');
    const kc = await eksKubeConfig('prod-eu', 'eu-west-1', {
      credentials: async () => credentials,
      describeEks: async () => ({
        server: 'https://127.0.0.1:1',
        caData: Buffer.from('not a real CA').toString('base64'),
      }),
      now: () => now,
    });
    const header = async () => {
      const opts: { headers?: Record<string, string> } = {};
      await kc.applyToHTTPSOptions(opts);
      return opts.headers?.['Authorization'] ?? '';
    };

    const first = await header();
    now = new Date(now.getTime() + 9 * 60_000);
    const cached = await header();
    now = new Date(now.getTime() + 2 * 60_000);
    const refreshed = await header();

    expect(kc.getCurrentCluster()?.server).toBe('https://127.0.0.1:1');
    expect(first).toMatch(/^Bearer k8s-aws-v1\./);
    expect(cached).toBe(first);
    expect(refreshed).not.toBe(first);
    expect(decode(refreshed.slice('Bearer '.length)).searchParams.get('X-Amz-Date')).toBe('20260304T051100Z');
  });
});

describe('loadKubeConfig', () => {
  const file = (): string => {
    const dir = mkdtempSync(join(tmpdir(), 'kc-'));
    const path = join(dir, 'config');
    writeFileSync(
      path,
      [
        'apiVersion: v1',
        'kind: Config',
        'clusters:',
        '- {name: one, cluster: {server: "https://127.0.0.1:6443"}}',
        '- {name: two, cluster: {server: "https://127.0.0.1:7443"}}',
        'users: [{name: u, user: {token: t}}]',
        'contexts:',
        '- {name: default, context: {cluster: one, user: u}}',
        '- {name: staging, context: {cluster: two, user: u}}',
        'current-context: default',
      ].join('\n'),
    );
    return path;
  };

  it('uses the context named like the cluster, else the current context', async () => {
    const path = file();
    const staging = await loadKubeConfig({ name: 'staging', kubeconfig: path });
    const other = await loadKubeConfig({ name: 'other', kubeconfig: path });
    expect(staging.getCurrentCluster()?.server).toBe('https://127.0.0.1:7443');
    expect(other.getCurrentCluster()?.server).toBe('https://127.0.0.1:6443');
  });

  it('lets the caller-provided KUBECONFIG replace the configured path', async () => {
    const kc = await loadKubeConfig({ name: 'staging', kubeconfig: '/nonexistent' }, { kubeconfigEnv: `${file()}:/x` });
    expect(kc.getCurrentCluster()?.server).toBe('https://127.0.0.1:7443');
  });

  it('reports an unreadable kubeconfig as a ValidationError naming the path', async () => {
    await expect(loadKubeConfig({ name: 'x', kubeconfig: '/nonexistent/kubeconfig' })).rejects.toThrow(ValidationError);
    await expect(loadKubeConfig({ name: 'x', kubeconfig: '/nonexistent/kubeconfig' })).rejects.toThrow(
      /\/nonexistent\/kubeconfig/,
    );
  });
});

describe('kubeConfigProvider', () => {
  it('builds each cluster once, rejects unknown names and retries a failed load', async () => {
    let describes = 0;
    const get = kubeConfigProvider([{ name: 'prod', eks: { name: 'prod-eks', region: 'eu-west-1' } }], {
      credentials: async () => credentials,
      describeEks: async () => {
        describes++;
        if (describes === 1) throw new Error('EKS unreachable');
        return { server: 'https://127.0.0.1:1', caData: Buffer.from('ca').toString('base64') };
      },
    });

    await expect(get('prod')).rejects.toThrow('EKS unreachable');
    const first = await get('prod');
    const second = await get('prod');
    await expect(get('staging')).rejects.toThrow(ValidationError);

    expect(second).toBe(first);
    expect(describes).toBe(2);
  });
});
