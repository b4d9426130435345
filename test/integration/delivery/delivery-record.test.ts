import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { buildOperations } from '../../../functions/wiring/operations.ts';
import type { Production } from '../../../functions/wiring/production.ts';
import { readDelivery } from '../../../shared/app/delivery/read-delivery.ts';
import { runOperation } from '../../../shared/app/ops/run-operation.ts';
import { AuthError, NotFoundError } from '../../../shared/errors.ts';
import { DAY, deliveryDeps, HOUR, iso, REPO, shopConfig } from '../../support/delivery/delivery-fixtures.ts';
import { type GitHubServer, startGitHubServer } from '../../support/github/index.ts';

// The delivery record read through real Octokit from the GitHub stand-in: 250 deployments, so the
// listing spans pages of 100 and must stop once it reaches back past the window.
const ENV = 'shop/production';
const NOW = Date.parse('2026-12-01T12:00:00Z');
const sha = (prefix: string, i: number) => `${prefix}${i.toString(16).padStart(6, '0')}`.padEnd(40, '0');

let gh: GitHubServer;
const deps = () => deliveryDeps(gh.url, NOW);
const deliveries = () => deps().record;

/**
 * 120 deployments in the 30 days before NOW, one every 6 hours, each committed 2 hours before it was
 * created and successful 10 minutes after; every tenth (i % 10 === 5) fails instead. Deployment 50 is
 * rolled back an hour later by a rollback that succeeds 5 minutes after that. Commit 7 is unknown to
 * GitHub. 130 older deployments lie before the window; staging has its own.
 */
function seed(): void {
  const start = NOW - 30 * DAY;
  for (let k = 130; k >= 1; k--) {
    const created = start - k * 6 * HOUR;
    gh.control.seedDeployment({
      repo: REPO,
      sha: sha('b', k),
      environment: ENV,
      createdAt: iso(created),
      statuses: [{ state: 'success', at: iso(created + 10 * 60_000) }],
    });
  }
  for (let i = 0; i < 120; i++) {
    const created = start + i * 6 * HOUR + HOUR;
    if (i !== 7) gh.control.seedCommit({ repo: REPO, sha: sha('a', i), committedAt: iso(created - 2 * HOUR) });
    gh.control.seedDeployment({
      repo: REPO,
      sha: sha('a', i),
      environment: ENV,
      production: true,
      createdAt: iso(created),
      statuses: [
        { state: 'in_progress', at: iso(created), description: 'Deploying (automatic)' },
        {
          state: i % 10 === 5 ? 'failure' : 'success',
          at: iso(created + 10 * 60_000),
          description: 'Done (automatic)',
        },
      ],
    });
    if (i === 50) {
      gh.control.seedDeployment({
        repo: REPO,
        sha: sha('a', 49),
        environment: ENV,
        production: true,
        createdAt: iso(created + HOUR),
        payload: { app: 'shop', environment: 'production', rollbackOf: sha('a', 50) },
        statuses: [{ state: 'success', at: iso(created + HOUR + 5 * 60_000), description: 'Rolled back (by alice)' }],
      });
    }
  }
  gh.control.seedDeployment({
    repo: REPO,
    sha: sha('c', 1),
    environment: 'shop/staging',
    createdAt: iso(NOW - DAY),
    statuses: [{ state: 'failure', at: iso(NOW - DAY + 60_000) }],
  });
}

beforeAll(async () => {
  gh = await startGitHubServer({ tokens: ['test-token'] });
});
afterAll(async () => {
  await gh?.close();
});
beforeEach(() => {
  gh.control.reset();
  seed();
  gh.control.clearCalls();
});

describe('GitHub delivery record', () => {
  it('pages through the deployments newest first and stops once a page reaches back past the window', async () => {
    const listed = await deliveries().listDeployments(REPO, ENV, new Date(NOW - 30 * DAY));
    expect(listed).toHaveLength(121);
    expect(listed[0]!.sha).toBe(sha('a', 119));
    const listings = gh.calls.filter((c) => c.path === `/repos/${REPO}/deployments`);
    // Page 1 (100 inside the window), page 2 (21 inside, then older): page 3 is never asked for.
    expect(listings.map((c) => c.query['page'] ?? '1')).toEqual(['1', '2']);
    expect(listings.every((c) => c.query['per_page'] === '100' && c.query['environment'] === ENV)).toBe(true);
    const rollback = listed.find((d) => d.rollbackOf !== undefined);
    expect(rollback).toMatchObject({ sha: sha('a', 49), rollbackOf: sha('a', 50) });
    const first = listed.find((d) => d.sha === sha('a', 0));
    expect(first?.statuses.map((s) => s.state).sort()).toEqual(['in_progress', 'success']);
    expect(first?.commitAt).toBe(iso(NOW - 30 * DAY - HOUR));
    expect(listed.find((d) => d.sha === sha('a', 7))?.commitAt).toBeNull();
  });

  it('computes the four metrics per environment from what GitHub holds', async () => {
    const result = await readDelivery(deps(), { app: 'shop', environment: 'production', since: '30d' });
    expect(result.reports).toHaveLength(1);
    const m = result.reports[0]!.metrics;
    expect(m.deployments).toEqual({ count: 108, perDay: 3.6 });
    // 2 h from commit to creation plus 10 min to success; commit 7 has no date.
    expect(m.leadTime).toMatchObject({ medianSeconds: 2 * 3600 + 600, samples: 107 });
    expect(m.changeFailure).toEqual({ failed: 13, total: 120, rate: 0.1083 });
    // Each failure is restored by the next deployment 6 hours later; the rollback took 5 minutes.
    expect(m.restore).toMatchObject({ medianSeconds: 6 * 3600, samples: 13, open: 0 });
    expect(m.rollbacks).toBe(1);
    expect(m.timeline.filter((t) => t.kind === 'rollback')[0]?.actor).toBe('alice');
  });

  it('reads every environment of the app when none is named, each from its own GitHub environment', async () => {
    const result = await readDelivery(deps(), { since: '7d' });
    expect(result.reports.map((r) => [r.githubEnvironment, r.metrics.changeFailure.total])).toEqual([
      ['shop/staging', 1],
      ['shop/production', 28],
    ]);
  });

  it('refuses an unknown app or environment before calling GitHub', async () => {
    await expect(readDelivery(deps(), { app: 'nope' })).rejects.toThrow(NotFoundError);
    await expect(readDelivery(deps(), { environment: 'qa' })).rejects.toThrow(NotFoundError);
    expect(gh.calls).toHaveLength(0);
  });

  it('retries a 502 and reports a refused token as an AuthError', async () => {
    gh.control.serverError({ times: 1, path: /\/statuses$/ });
    const listed = await deliveries().listDeployments(REPO, ENV, new Date(NOW - DAY));
    expect(listed).toHaveLength(4);
    const bad = deliveryDeps(gh.url, NOW, 'wrong').record;
    await expect(bad.listDeployments(REPO, ENV, new Date(NOW - DAY))).rejects.toThrow(AuthError);
  });

  it('answers the ops command dora, and refuses a bad window or argument with nothing read', async () => {
    const prod = {
      loaded: { config: { ...shopConfig, shifts: [] }, baseDir: '.' },
      delivery: async () => deps(),
    } as unknown as Production;
    const registry = buildOperations(prod);
    const ok = await runOperation(registry, {
      command: 'dora',
      args: { app: 'shop', environment: 'production', since: '7d' },
    });
    expect(ok).toMatchObject({ ok: true, command: 'dora' });
    const result = (ok as { result: { reports: Array<{ metrics: { timeline: unknown[] } }> } }).result;
    expect(result.reports[0]?.metrics.timeline).toHaveLength(28);
    gh.control.clearCalls();
    const bad = await runOperation(registry, { command: 'dora', args: { since: 'last week' } });
    expect(bad).toMatchObject({ ok: false, error: { type: 'ValidationError', retryable: false } });
    const unknown = await runOperation(registry, { command: 'dora', args: { track: 'paid' } });
    expect(unknown).toMatchObject({ ok: false, error: { type: 'ValidationError' } });
    expect(gh.calls).toHaveLength(0);
  });
});
