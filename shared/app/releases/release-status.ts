import { readRelease } from '../../domain/release/release-record.ts';
import { environmentTargets } from '../../domain/release/release-targets.ts';
import { readRefusal } from './record-refusal.ts';
import type { ReleaseDeps } from './release-deps.ts';

/** One row of `switchyard release status` and the status page (the shape of status-model ReleaseRow). */
export interface ReleaseStatusRow {
  app: string;
  environment: string;
  /** Track name, `canary`/`stable` for gray, null for a plain Deployment. */
  track: string | null;
  deployment: string;
  sha: string | null;
  /** The image running now (the first configured container), whatever the record says. */
  image: string | null;
  /** The release state, `unreleased` (never released by switchyard) or `missing` (no Deployment). */
  state: string;
  since: string | null;
  reason: string | null;
  /** The last commit refused here for its order, and why (cleared by the next release). */
  refused?: string;
}

/** Where each release stands: per app, environment and track. One list call per environment. */
export async function releaseStatus(deps: ReleaseDeps): Promise<ReleaseStatusRow[]> {
  const rows: ReleaseStatusRow[] = [];
  for (const app of deps.apps) {
    const cluster = await deps.cluster(app.cluster);
    for (const env of app.environments) {
      const targets = environmentTargets(env);
      const current = await cluster.getDeployments(
        env.namespace,
        targets.map((t) => t.name),
      );
      for (const t of targets) {
        const d = current.get(t.name) ?? null;
        const record = d ? readRelease(d.annotations).record : null;
        const refusal = d ? readRefusal(d.annotations) : null;
        const container = t.containers[0];
        rows.push({
          app: app.name,
          environment: env.name,
          track: t.track ?? null,
          deployment: t.name,
          sha: record?.sha || null,
          image: d?.containers.find((c) => c.name === container)?.image ?? null,
          state: !d ? 'missing' : (record?.state ?? 'unreleased'),
          since: record?.since ?? null,
          reason: record?.reason ?? null,
          ...(refusal ? { refused: `${refusal.sha.slice(0, 7)}: ${refusal.reason}` } : {}),
        });
      }
    }
  }
  return rows;
}
