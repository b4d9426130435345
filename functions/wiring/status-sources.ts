import { listPreviews } from '../../shared/app/previews/index.ts';
import { checkHealth, releaseStatus } from '../../shared/app/releases/index.ts';
import type { StatusSources } from '../../shared/app/status/read-status.ts';
import { readShiftStatuses, toShiftRow } from '../../shared/app/traffic/read-shift-status.ts';
import { deliveryStatusSource } from './delivery-status-source.ts';
import { hasGitHubCredential } from './github-options.ts';
import type { Production } from './production.ts';

/** Each status section from its use case's read model; sections the config does not use stay empty. */
export function buildStatusSources(prod: Production): StatusSources {
  const { config } = prod.loaded;
  const sources: StatusSources = {};
  if (config.apps.some((a) => a.preview)) {
    sources.previews = async () =>
      (await listPreviews(await prod.previews())).map((p) => ({
        app: p.app,
        pr: p.pr,
        namespace: p.namespace,
        headSha: p.commit ?? '',
        deployedSha: p.deployedSha,
        since: p.lastDeployed,
        url: p.url,
        state: p.state,
      }));
  }
  if (config.apps.some((a) => a.environments.length > 0)) {
    sources.releases = async () =>
      (await releaseStatus(await prod.releases())).map((r) => ({
        app: r.app,
        environment: r.environment,
        track: r.track,
        sha: r.sha,
        image: r.image,
        state: r.state,
        since: r.since,
      }));
    // A read-only pass of the health check: no alert is sent and no alert state is written.
    sources.health = async () => (await checkHealth(await prod.health(), { dryRun: true })).rows;
    if (hasGitHubCredential(prod.env)) sources.delivery = deliveryStatusSource(prod.delivery);
  }
  if (config.shifts.length > 0) {
    sources.shifts = async () => (await readShiftStatuses(prod.traffic(), config.shifts)).map(toShiftRow);
  }
  return sources;
}
