// The delivery record: DORA metrics of one environment with 30 days of deployments (4 a day: 120),
// read through Octokit from the GitHub stand-in, cold (commit dates not yet known) and warm (commit
// dates kept by the adapter); and the pure computation over 10,000 deployments. Counts GitHub calls.
//   node --experimental-strip-types bench/delivery.ts
import { readDelivery } from '../shared/app/delivery/read-delivery.ts';
import type { DeliveryDeployment } from '../shared/domain/delivery/delivery-record.ts';
import { computeDora } from '../shared/domain/delivery/dora-metrics.ts';
import { DAY, deliveryDeps, HOUR, iso, REPO } from '../test/support/delivery/delivery-fixtures.ts';
import { startGitHubServer } from '../test/support/github/server.ts';

const NOW = Date.parse('2026-12-01T12:00:00Z');
const PER_DAY = 4;
const sha = (i: number) => i.toString(16).padStart(40, 'c');

const gh = await startGitHubServer({ tokens: ['test-token'] });
for (let i = 0; i < 30 * PER_DAY; i++) {
  const created = NOW - 30 * DAY + (i * DAY) / PER_DAY + 60_000;
  gh.control.seedCommit({ repo: REPO, sha: sha(i), committedAt: iso(created - 2 * HOUR) });
  gh.control.seedDeployment({
    repo: REPO,
    sha: sha(i),
    environment: 'shop/production',
    createdAt: iso(created),
    statuses: [
      { state: 'in_progress', at: iso(created), description: 'Deploying (automatic)' },
      { state: i % 9 === 4 ? 'failure' : 'success', at: iso(created + 600_000), description: 'Done (automatic)' },
    ],
  });
}

const deps = deliveryDeps(gh.url, NOW);
for (const label of ['cold', 'warm']) {
  gh.control.clearCalls();
  const t0 = performance.now();
  const result = await readDelivery(deps, { app: 'shop', environment: 'production', since: '30d' });
  const ms = performance.now() - t0;
  const m = result.reports[0]!.metrics;
  console.log(
    `readDelivery ${label}: ${m.timeline.length} deployments, ${gh.calls.length} GitHub calls, ${ms.toFixed(0)} ms` +
      ` (frequency ${m.deployments.perDay}/day, failure rate ${m.changeFailure.rate})`,
  );
}
await gh.close();

const many: DeliveryDeployment[] = Array.from({ length: 10_000 }, (_, i) => {
  const created = NOW - 365 * DAY + i * 3_000_000;
  return {
    id: i,
    sha: sha(i),
    createdAt: new Date(created).toISOString(),
    commitAt: new Date(created - HOUR).toISOString(),
    ...(i % 50 === 7 ? { rollbackOf: sha(i - 1) } : {}),
    statuses: [
      { state: 'in_progress', at: new Date(created).toISOString(), description: '' },
      { state: i % 11 === 3 ? 'error' : 'success', at: new Date(created + 60_000).toISOString(), description: '' },
    ],
  };
});
const runs = 5;
const t0 = performance.now();
for (let r = 0; r < runs; r++) computeDora(many, { since: new Date(NOW - 365 * DAY), until: new Date(NOW) });
console.log(`computeDora over ${many.length} deployments: ${((performance.now() - t0) / runs).toFixed(1)} ms`);
