import { describe, expect, it } from 'vitest';
import { readDelivery } from '../../../shared/app/delivery/read-delivery.ts';
import { rolledBackOnCluster } from '../../../shared/app/delivery/rolled-back-on-cluster.ts';
import type { DeliveryDeployment } from '../../../shared/domain/delivery/delivery-record.ts';
import { releaseAnnotations } from '../../../shared/domain/release/release-record.ts';
import { type LoggerPort, silentLogger } from '../../../shared/ports/logger.ts';
import { deployment as view } from '../../support/releases/deployments.ts';
import { fakeReleaseCluster } from '../../support/releases/fakes.ts';
import { shopApp } from '../../support/releases/in-memory-deps.ts';
import { at, deployment, T0 } from './fixtures.ts';

const app = shopApp([{ name: 'staging', branch: 'main', namespace: 'shop', deployments: [{ name: 'web' }] }]);
const A = 'a1'.padEnd(40, '0');
const B = 'b2'.padEnd(40, '0');

/** In-memory twin of the GitHub delivery record: the given deployments per environment. */
function record(byEnv: Record<string, DeliveryDeployment[]>) {
  const asked: string[] = [];
  return {
    asked,
    port: {
      listDeployments: async (_repo: string, environment: string, since: Date) => {
        asked.push(environment);
        return (byEnv[environment] ?? []).filter((d) => Date.parse(d.createdAt) >= since.getTime());
      },
    },
  };
}

function logger() {
  const warnings: string[] = [];
  const log: LoggerPort = { ...silentLogger, warn: (message: string) => void warnings.push(message) };
  return { log, warnings };
}

// B released on the cluster, then rolled back while GitHub was unreachable: only the cluster knows.
const web = view('web', {
  annotations: releaseAnnotations(
    {
      sha: A,
      image: 'shop:a1',
      images: {},
      previousImages: {},
      at: at(3),
      eventTime: at(3),
      state: 'rolling',
      since: at(3),
      rollbackOf: B,
    },
    [
      { sha: A, image: 'shop:a1', images: {}, at: at(3) },
      { sha: B, image: 'shop:b2', images: {}, at: at(2), rolledBack: true },
    ],
  ),
});
const github = {
  'shop/staging': [deployment('a1', at(1), [['success', at(1, 1)]]), deployment('b2', at(2), [['success', at(2, 1)]])],
};

describe('readDelivery', () => {
  const clock = { now: () => new Date(T0 + 10 * 86_400_000), sleep: async () => {} };

  it('completes GitHub record with the rollbacks the release records on the cluster hold', async () => {
    const cluster = fakeReleaseCluster([web]);
    const { log } = logger();
    const result = await readDelivery({
      apps: [app],
      record: record(github).port,
      rolledBackOnCluster: rolledBackOnCluster(async () => cluster.port),
      clock,
      logger: log,
    });
    const m = result.reports[0]!.metrics;
    expect(m.changeFailure).toEqual({ failed: 1, total: 2, rate: 0.5 });
    expect(m.timeline.map((t) => t.kind)).toEqual(['success', 'rolled-back']);
    // When it was restored is not known to GitHub: the failure is neither timed nor left open.
    expect(m.restore).toMatchObject({ samples: 0, open: 0 });
  });

  it('stands on GitHub alone, with a warning, when the cluster cannot be read', async () => {
    const { log, warnings } = logger();
    const result = await readDelivery({
      apps: [app],
      record: record(github).port,
      rolledBackOnCluster: async () => {
        throw new Error('connect ECONNREFUSED');
      },
      clock,
      logger: log,
    });
    expect(result.reports[0]!.metrics.changeFailure).toEqual({ failed: 0, total: 2, rate: 0 });
    expect(warnings).toEqual(['could not read the release records for the delivery metrics']);
  });

  it('refuses a bad window before reading anything', async () => {
    const r = record(github);
    await expect(
      readDelivery({ apps: [app], record: r.port, clock, logger: logger().log }, { since: 'yesterday' }),
    ).rejects.toThrow(/--since/);
    expect(r.asked).toEqual([]);
  });
});
