import { describe, expect, it } from 'vitest';
import { handleCiResult, promoteRelease, rollback, watchReleases } from '../../../shared/app/releases/index.ts';
import { actorOf, isAutomaticRollback } from '../../../shared/domain/delivery/audit-actor.ts';
import { readRelease } from '../../../shared/domain/release/release-record.ts';
import { ciSuccess } from '../../support/releases/cluster-fixtures.ts';
import { deployment, failDeadline } from '../../support/releases/deployments.ts';
import { inMemoryReleaseDeps, shopApp } from '../../support/releases/in-memory-deps.ts';

// The audit trail: every deployment status switchyard writes says who acted or that it was automatic,
// and the release record and history on the Deployment keep the operator's name.
const A = 'a'.repeat(40);
const B = 'b'.repeat(40);
const app = shopApp([
  { name: 'staging', branch: 'main', namespace: 'shop', deployments: [{ name: 'web' }] },
  {
    name: 'production',
    branch: 'release',
    namespace: 'shop-prod',
    tracks: [
      { name: 'internal', deployment: 'web-internal', containers: ['app'], bakeMinutes: 0, manualGate: true },
      { name: 'public', deployment: 'web-public', containers: ['app'], bakeMinutes: 0 },
    ],
  },
]);
const intent = (sha: string, eventTime: string, branch = 'main') =>
  ciSuccess('acme/shop', sha, eventTime, null, branch);
const setup = (onReleaseBranch = false) => {
  const made = inMemoryReleaseDeps(
    [app],
    [
      deployment('web'),
      deployment('web-internal', {
        namespace: 'shop-prod',
        containers: [{ name: 'app', image: 'registry.example.com/shop:old' }],
      }),
      deployment('web-public', {
        namespace: 'shop-prod',
        containers: [{ name: 'app', image: 'registry.example.com/shop:old' }],
      }),
    ],
  );
  // GitHub knows the commits: A then B on main (or A on release only), all green; releases check all
  // three, and a commit releases to every environment whose branch holds it.
  const { commits } = made.github;
  if (onReleaseBranch) commits.commit('release', A);
  else {
    commits.commit('main', A);
    commits.commit('main', B);
  }
  commits.green(A);
  commits.green(B);
  return made;
};

describe('audit trail', () => {
  it('marks deploys and ticks automatic, and a rollback with the operator who ran it', async () => {
    const { cluster, github, deps } = setup();
    await handleCiResult(deps, intent(A, '2026-11-02T09:00:00Z'));
    await watchReleases(deps);
    await handleCiResult(deps, intent(B, '2026-11-02T09:30:00Z'));
    await watchReleases(deps);
    const result = await rollback(deps, 'shop', 'staging', undefined, { actor: 'alice' });
    expect(result).toMatchObject({ action: 'rolled-back', toSha: A });

    const byDeployment = (id: number) => github.deploymentStatuses.filter((s) => s.deploymentId === id);
    expect(byDeployment(1).map((s) => actorOf(s.description))).toEqual(['automatic', 'automatic']);
    expect(github.deployments[2]).toMatchObject({ ref: A, description: expect.stringMatching(/\(by alice\)$/) });
    expect(byDeployment(3)[0]?.description).toMatch(/^Rollback of staging from bbbbbbb to aaaaaaa \(by alice\)$/);
    expect(github.statuses.at(-1)).toMatchObject({ sha: B, state: 'failure' });
    expect(actorOf(github.statuses.at(-1)!.description)).toBe('alice');

    const { record, history } = readRelease(cluster.get('web').annotations);
    expect(record).toMatchObject({ sha: A, rollbackOf: B, by: 'alice' });
    expect(history[0]).toMatchObject({ sha: A, by: 'alice' });
    // The releases before were automatic: no name on them.
    expect(history.find((h) => h.sha === B)?.by).toBeUndefined();
  });

  it('records who passed a manual gate on the Deployment and in a GitHub deployment status', async () => {
    const { cluster, github, deps } = setup(true);
    await handleCiResult(deps, intent(A, '2026-11-02T09:00:00Z', 'release'));
    await watchReleases(deps);
    const promoted = await promoteRelease(deps, 'shop', 'production', { actor: 'bob (on call)' });
    expect(promoted.promoted).toBe('internal');
    const gate = github.deploymentStatuses.find((s) => s.description.startsWith('Manual gate passed'));
    expect(gate).toMatchObject({ deploymentId: 1, state: 'in_progress' });
    expect(gate?.description).toBe('Manual gate passed at internal (by bob-on-call)');
    expect(readRelease(cluster.get('web-internal').annotations).record).toMatchObject({
      gate: true,
      gateBy: 'bob-on-call',
    });
  });

  it('marks a rollback switchyard made by itself as an automatic rollback', async () => {
    const { cluster, github, deps } = setup();
    await handleCiResult(deps, intent(A, '2026-11-02T09:00:00Z'));
    await watchReleases(deps);
    cluster.stall.add('web');
    await handleCiResult(deps, intent(B, '2026-11-02T09:30:00Z'));
    cluster.set(failDeadline(cluster.get('web')));
    await watchReleases(deps);
    const last = github.deploymentStatuses.at(-1)!;
    expect(last).toMatchObject({ deploymentId: 2, state: 'failure' });
    expect(isAutomaticRollback(last.description)).toBe(true);
    expect(actorOf(last.description)).toBe('automatic');
  });

  it('writes nothing on a dry run, not even the audit status', async () => {
    const { github, deps } = setup(true);
    await handleCiResult(deps, intent(A, '2026-11-02T09:00:00Z', 'release'));
    await watchReleases(deps);
    const before = github.deploymentStatuses.length;
    await promoteRelease(deps, 'shop', 'production', { actor: 'bob', dryRun: true });
    expect(github.deploymentStatuses).toHaveLength(before);
  });
});
