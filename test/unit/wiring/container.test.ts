import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { buildContainer, lazyPort, part } from '../../../functions/wiring/container.ts';
import { github } from '../../../functions/wiring/github.ts';
import { kubeConfigs } from '../../../functions/wiring/kube.ts';
import { trafficDeps } from '../../../functions/wiring/traffic.ts';
import { kubeConfigProvider } from '../../../shared/adapters/k8s/kube-client.ts';
import { parseConfig } from '../../../shared/config/parse-config.ts';
import { TransientError, ValidationError } from '../../../shared/errors.ts';
import { silentLogger } from '../../../shared/ports/logger.ts';

const config = (clusters = '- { name: prod, kubeconfig: /nonexistent }') =>
  parseConfig(`clusters:\n  ${clusters.split('\n').join('\n  ')}\n`);
const container = (env: NodeJS.ProcessEnv = {}, clusters?: string, overrides?: [never, unknown][]) =>
  buildContainer({ config: config(clusters), path: '/cfg/switchyard.config.yml', baseDir: '/cfg' }, env, {
    logger: silentLogger,
    overrides,
  });

const ssm = mockClient(SSMClient);
afterEach(() => ssm.reset());

describe('buildContainer', () => {
  it('builds a part once and shares it, also between concurrent first calls', async () => {
    let builds = 0;
    const p = part('thing', async () => ({ n: ++builds }));
    const c = container();
    const [a, b] = await Promise.all([c.get(p), c.get(p)]);
    expect(a).toBe(b);
    expect(await c.get(p)).toBe(a);
    expect(builds).toBe(1);
  });

  it('does not keep a failed build: the next call builds again', async () => {
    let builds = 0;
    const p = part('flaky', async () => {
      builds++;
      if (builds === 1) throw new TransientError('DescribeCluster timed out');
      return { ok: true };
    });
    const c = container();
    await expect(c.get(p)).rejects.toThrow('DescribeCluster timed out');
    const value = await c.get(p);
    expect(value).toEqual({ ok: true });
    expect(await c.get(p)).toBe(value);
    expect(builds).toBe(2);
  });

  it('uses an override instead of building the part', async () => {
    const p = part('never', () => {
      throw new Error('built');
    });
    const c = container({}, undefined, [[p as never, 'given']]);
    expect(await c.get(p)).toBe('given');
  });

  it('retries the GitHub credential read after SSM failed at cold start', async () => {
    ssm
      .on(GetParameterCommand)
      .rejectsOnce(Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' }))
      .resolves({ Parameter: { Value: 'ghp_token' } });
    const c = container({ GITHUB_TOKEN_SSM: '/switchyard/prod/github-token', AWS_REGION: 'eu-west-1' });
    await expect(c.get(github)).rejects.toThrow(TransientError);
    const scm = await c.get(github);
    expect(typeof scm.getPullRequest).toBe('function');
    expect(await c.get(github)).toBe(scm);
    expect(ssm.commandCalls(GetParameterCommand)).toHaveLength(2);
  });
});

describe('lazyPort', () => {
  it('reads nothing until a method is called, and retries a failed build on the next call', async () => {
    let builds = 0;
    const p = part('notifier', async () => {
      builds++;
      if (builds === 1) throw new TransientError('SSM unreachable');
      return { notify: async (m: string) => `sent ${m}` };
    });
    const port = lazyPort(container(), p);
    // Awaiting the port gives the port (it is not a thenable), and builds nothing.
    expect(await port).toBe(port);
    expect(builds).toBe(0);
    await expect(port.notify('a')).rejects.toThrow('SSM unreachable');
    expect(await port.notify('b')).toBe('sent b');
    expect(builds).toBe(2);
  });

  it('keeps the GitHub credential unread when no GitHub call is made', async () => {
    const c = container({ GITHUB_TOKEN_SSM: '/switchyard/prod/github-token' });
    lazyPort(c, github);
    expect(ssm.commandCalls(GetParameterCommand)).toHaveLength(0);
  });
});

describe('traffic wiring: the Deployment gate', () => {
  const twoClusters = `- { name: prod, eks: { name: prod-eks, region: eu-west-1 } }\n- { name: edge, kubeconfig: /nonexistent }`;

  it('builds the KubeConfig once per container, not once per check', async () => {
    let describes = 0;
    const provider = kubeConfigProvider(config(twoClusters).clusters, {
      credentials: async () => ({ accessKeyId: 'AKID', secretAccessKey: 'secret' }),
      describeEks: async () => {
        describes++;
        // A closed loopback port: the check itself fails fast, which is all this test needs.
        return { server: 'https://127.0.0.1:9', caData: Buffer.from('ca').toString('base64') };
      },
    });
    const deps = trafficDeps(container({}, twoClusters, [[kubeConfigs as never, provider]]));
    for (let i = 0; i < 3; i++) {
      await expect(deps.deployments!.isAvailable('web', 'web', 'prod')).rejects.toThrow();
    }
    expect(describes).toBe(1);
  });

  it('refuses to guess a cluster when the shift names none and there are several', async () => {
    const deps = trafficDeps(container({}, twoClusters));
    await expect(deps.deployments!.isAvailable('web', 'web', undefined)).rejects.toThrow(ValidationError);
    await expect(deps.deployments!.isAvailable('web', 'web', undefined)).rejects.toThrow(/shifts\[\]\.cluster/);
  });
});
