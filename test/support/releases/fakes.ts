import type { ReleaseScm } from '../../../shared/app/releases/release-deps.ts';
import type { DeploymentView } from '../../../shared/domain/release/deployment-view.ts';
import type { DeploymentChange } from '../../../shared/domain/release/release-plan.ts';
import { ConflictError } from '../../../shared/errors.ts';
import type { ReleaseClusterPort } from '../../../shared/ports/release.ts';
import type { CommitStatus, DeploymentStatusUpdate, NewDeployment } from '../../../shared/ports/scm.ts';
import { applyChanges, finish } from './deployments.ts';
import { fakeCommits } from './fake-commits.ts';

/**
 * An in-memory cluster for use-case unit tests: changes land like the API server would apply them,
 * rollouts finish at once unless `stall` says otherwise, and `conflictOnce` makes the next write to a
 * Deployment lose a race (as a status write by the controller would make it).
 */
export function fakeReleaseCluster(initial: readonly DeploymentView[]) {
  let views = new Map(initial.map((d) => [d.name, d]));
  const conflictOnce = new Set<string>();
  const stall = new Set<string>();
  const writes: DeploymentChange[] = [];
  const port: ReleaseClusterPort = {
    async getDeployments(_namespace, names) {
      return new Map(names.map((n) => [n, views.get(n) ?? null]));
    },
    async applyChange(change) {
      if (conflictOnce.delete(change.name)) {
        const d = views.get(change.name)!;
        views.set(change.name, { ...d, resourceVersion: String(Number(d.resourceVersion) + 1) });
        throw new ConflictError(`the object has been modified (${change.name})`);
      }
      writes.push(change);
      views = applyChanges(views, [change], false);
      const d = views.get(change.name)!;
      if (!stall.has(change.name)) views.set(change.name, finish(d));
      return views.get(change.name)!;
    },
    async podRestarts() {
      return 0;
    },
    async waitForDeployments(_namespace, names, until) {
      const map = new Map(names.flatMap((n) => (views.has(n) ? [[n, views.get(n)!] as const] : [])));
      return { met: until(map), deployments: map };
    },
  };
  return {
    port,
    writes,
    conflictOnce,
    stall,
    get: (name: string) => views.get(name)!,
    set: (d: DeploymentView) => views.set(d.name, d),
  };
}

/** An ScmPort that records what would have been sent to GitHub, over an in-memory Git history. */
export function recordingScm(commits = fakeCommits()) {
  const statuses: CommitStatus[] = [];
  const deployments: NewDeployment[] = [];
  const deploymentStatuses: DeploymentStatusUpdate[] = [];
  const scm: ReleaseScm = {
    ...commits.port,
    setCommitStatus: async (s) => {
      statuses.push(s);
    },
    createDeployment: async (d) => {
      deployments.push(d);
      commits.deployments.push({ sha: d.ref, environment: d.environment, id: deployments.length });
      return deployments.length;
    },
    setDeploymentStatus: async (u) => {
      deploymentStatuses.push(u);
    },
  };
  return { scm, statuses, deployments, deploymentStatuses, commits };
}
