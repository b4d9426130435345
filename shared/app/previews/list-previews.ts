import { previewSelector } from '../../domain/naming.ts';
import { type PreviewRecord, previewFromNamespace } from '../../domain/preview/preview-record.ts';
import { previewUrl } from '../../domain/preview/preview-report.ts';
import { allPreviewApps, type PreviewDeps } from './preview-deps.ts';

export type PreviewViewState = 'waiting' | 'deploying' | 'ready' | 'failed' | 'deleting';

/** One preview as the status page and the CLI show it. */
export interface PreviewView {
  app: string;
  pr: number;
  repo: string;
  namespace: string;
  cluster: string;
  /** The commit last claimed (head when it was claimed). */
  commit: string | null;
  deployedSha: string | null;
  /** Seconds since the namespace was created. */
  ageSeconds: number | null;
  lastDeployed: string | null;
  url: string | null;
  state: PreviewViewState;
  message: string | null;
}

export function viewState(r: PreviewRecord): PreviewViewState {
  if (r.deleting) return 'deleting';
  if (!r.deployedSha) return 'waiting';
  if (r.headSha !== r.deployedSha || r.reportedSha !== r.deployedSha) return 'deploying';
  return r.rollout === 'failed' ? 'failed' : 'ready';
}

/**
 * The preview namespaces of the configured apps, newest PR first. Listed per app (label selector with
 * the app), so two installations sharing a cluster never judge each other's previews.
 */
export async function listPreviewRecords(
  deps: PreviewDeps,
): Promise<Array<{ cluster: string; record: PreviewRecord }>> {
  const out: Array<{ cluster: string; record: PreviewRecord }> = [];
  for (const app of allPreviewApps(deps.config)) {
    for (const ns of await deps.cluster(app.cluster).listNamespaces(previewSelector(app.name))) {
      const record = previewFromNamespace(ns);
      if (record && record.app === app.name) out.push({ cluster: app.cluster, record });
    }
  }
  return out.sort((a, b) => b.record.pr - a.record.pr || a.record.app.localeCompare(b.record.app));
}

export async function listPreviews(deps: PreviewDeps): Promise<PreviewView[]> {
  const now = deps.clock.now().getTime();
  return (await listPreviewRecords(deps)).map(({ cluster, record: r }) => {
    const created = r.createdAt ? Date.parse(r.createdAt) : Number.NaN;
    return {
      app: r.app,
      pr: r.pr,
      repo: r.repo,
      namespace: r.namespace,
      cluster,
      commit: r.headSha,
      deployedSha: r.deployedSha,
      ageSeconds: Number.isNaN(created) ? null : Math.max(0, Math.floor((now - created) / 1000)),
      lastDeployed: r.lastDeployed,
      url: r.host ? previewUrl(r.host) : null,
      state: viewState(r),
      message: r.rolloutMessage,
    };
  });
}
