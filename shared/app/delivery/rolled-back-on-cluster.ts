import type { EnvironmentConfig } from '../../config/release-schema.ts';
import type { AppConfig } from '../../config/schema.ts';
import { readRelease } from '../../domain/release/release-record.ts';
import { environmentTargets } from '../../domain/release/release-targets.ts';
import type { ReleaseClusterPort } from '../../ports/release.ts';

/**
 * The commits an environment's release records mark as rolled back: history entries flagged
 * `rolledBack` and a current record in state `rolled-back`, on every Deployment of the environment
 * (one list call per environment).
 */
export function rolledBackOnCluster(cluster: (name: string) => Promise<ReleaseClusterPort>) {
  return async (app: AppConfig, env: EnvironmentConfig): Promise<ReadonlySet<string>> => {
    const port = await cluster(app.cluster);
    const views = await port.getDeployments(
      env.namespace,
      environmentTargets(env).map((t) => t.name),
    );
    const shas = new Set<string>();
    for (const view of views.values()) {
      if (!view) continue;
      const { record, history } = readRelease(view.annotations);
      if (record?.state === 'rolled-back' && record.sha !== '') shas.add(record.sha);
      for (const h of history) if (h.rolledBack && h.sha !== '') shas.add(h.sha);
    }
    return shas;
  };
}
