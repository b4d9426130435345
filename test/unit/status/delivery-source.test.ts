import { describe, expect, it } from 'vitest';
import { deliveryStatusSource } from '../../../functions/wiring/delivery-status-source.ts';
import type { Production } from '../../../functions/wiring/production.ts';
import { buildStatusSources } from '../../../functions/wiring/status-sources.ts';
import { silentLogger } from '../../../shared/ports/logger.ts';
import { shopConfig } from '../../support/delivery/delivery-fixtures.ts';

const prod = (env: NodeJS.ProcessEnv) =>
  ({
    loaded: { config: shopConfig, baseDir: '.', path: 'x' },
    env,
    delivery: async () => ({}),
  }) as unknown as Production;

describe('status page Delivery source', () => {
  it('is left out where the function has no GitHub credential (the deployed status page by default)', () => {
    expect(buildStatusSources(prod({})).delivery).toBeUndefined();
    expect(buildStatusSources(prod({ GITHUB_TOKEN_SSM: '/switchyard/prod/github-token' })).delivery).toBeTypeOf(
      'function',
    );
  });

  it('reads GitHub once per cache period and forgets a failed read', async () => {
    let reads = 0;
    let fail = true;
    const source = deliveryStatusSource(async () => {
      reads++;
      if (fail) throw new Error('GitHub answered 502');
      return {
        apps: [],
        record: { listDeployments: async () => [] },
        clock: { now: () => new Date(), sleep: async () => {} },
        logger: silentLogger,
      };
    }, 60_000);
    await expect(source()).rejects.toThrow('502');
    fail = false;
    expect(await source()).toEqual([]);
    expect(await source()).toEqual([]);
    expect(reads).toBe(2);
  });
});
