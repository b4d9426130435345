import { listPreviewRecords } from './list-previews.ts';
import { allPreviewApps, type PreviewDeps, type PreviewRunOptions } from './preview-deps.ts';
import { reportRollout } from './report-rollout.ts';

export interface ReportRolloutsResult {
  /** Previews whose rollout was not reported yet. */
  pending: number;
  reported: Array<{ app: string; pr: number; sha: string; outcome: 'complete' | 'failed' }>;
  stillRolling: Array<{ app: string; pr: number; sha: string; message: string }>;
  failures: Array<{ app: string; pr: number; error: string }>;
  dryRun: boolean;
}

/**
 * rolloutWatcher's preview half: every preview whose deployed commit has no reported outcome yet gets
 * its Deployments read (kubectl's rules) and, once finished, its final status posted. One preview's
 * failure never stops the others.
 */
export async function reportPreviewRollouts(
  deps: PreviewDeps,
  opts: PreviewRunOptions = {},
): Promise<ReportRolloutsResult> {
  const apps = new Map(allPreviewApps(deps.config).map((a) => [a.name, a]));
  const result: ReportRolloutsResult = {
    pending: 0,
    reported: [],
    stillRolling: [],
    failures: [],
    dryRun: opts.dryRun ?? false,
  };
  for (const { record } of await listPreviewRecords(deps)) {
    const app = apps.get(record.app);
    const sha = record.deployedSha;
    if (!app || !sha || record.deleting || record.reportedSha === sha) continue;
    result.pending++;
    try {
      const cluster = deps.cluster(app.cluster);
      const summary = await cluster.readRollouts(record.namespace);
      if (summary.phase !== 'complete' && summary.phase !== 'failed') {
        result.stillRolling.push({ app: app.name, pr: record.pr, sha, message: summary.message });
        continue;
      }
      deps.logger.info('preview rollout finished', {
        app: app.name,
        pr: record.pr,
        sha,
        phase: summary.phase,
        dryRun: result.dryRun,
      });
      if (result.dryRun || (await reportRollout(deps, app, cluster, record, summary))) {
        result.reported.push({ app: app.name, pr: record.pr, sha, outcome: summary.phase });
      }
    } catch (error) {
      result.failures.push({ app: app.name, pr: record.pr, error: (error as Error).message });
      deps.logger.error('preview rollout report failed', {
        app: app.name,
        pr: record.pr,
        error: (error as Error).message,
      });
    }
  }
  return result;
}
