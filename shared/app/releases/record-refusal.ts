import type { EnvironmentConfig } from '../../config/release-schema.ts';
import { ReleaseKeys } from '../../domain/naming.ts';
import { type DeploymentView, imagesOf } from '../../domain/release/deployment-view.ts';
import type { DeploymentChange } from '../../domain/release/release-plan.ts';
import { readRelease, releaseAnnotations } from '../../domain/release/release-record.ts';
import { entryTargets } from '../../domain/release/release-targets.ts';
import type { ReleaseClusterPort } from '../../ports/release.ts';
import type { ReleaseDeps } from './release-deps.ts';

export interface Refusal {
  sha: string;
  reason: string;
  at?: string;
}

/** The refusal recorded on a Deployment, or null. */
export function readRefusal(annotations: Readonly<Record<string, string>>): Refusal | null {
  const text = annotations[ReleaseKeys.refused];
  if (!text) return null;
  try {
    const value = JSON.parse(text) as Partial<Refusal>;
    return typeof value.sha === 'string' && typeof value.reason === 'string'
      ? { sha: value.sha, reason: value.reason, ...(typeof value.at === 'string' ? { at: value.at } : {}) }
      : null;
  } catch {
    return null;
  }
}

/**
 * Notes on the entry Deployments that a commit was refused for its order, so `switchyard release
 * status` can say why it is not running. Only annotations change: the apply repeats the images that
 * run and our release annotations (apply drops owned keys left out), so nothing rolls out; the next
 * release leaves the key out and so clears it. Best effort: a conflict or error is logged only.
 */
export async function recordRefusal(
  deps: ReleaseDeps,
  cluster: ReleaseClusterPort,
  env: EnvironmentConfig,
  current: ReadonlyMap<string, DeploymentView | null>,
  refusal: Refusal,
): Promise<void> {
  const at = deps.clock.now().toISOString();
  const changes: DeploymentChange[] = [];
  for (const target of entryTargets(env)) {
    const d = current.get(target.name);
    if (!d) continue;
    const { record, history } = readRelease(d.annotations);
    if (!record || readRefusal(d.annotations)?.sha === refusal.sha) continue;
    changes.push({
      namespace: d.namespace,
      name: d.name,
      resourceVersion: d.resourceVersion,
      apply: {
        images: imagesOf(d, target.containers),
        annotations: {
          ...releaseAnnotations(record, history),
          [ReleaseKeys.refused]: JSON.stringify({ sha: refusal.sha, reason: refusal.reason, at }),
        },
      },
    });
  }
  for (const change of changes) {
    try {
      await cluster.applyChange(change);
    } catch (error) {
      deps.logger.warn('could not record the refusal on the Deployment', {
        deployment: `${change.namespace}/${change.name}`,
        sha: refusal.sha,
        error: String(error),
      });
    }
  }
}
