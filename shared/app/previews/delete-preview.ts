import { previewNamespace } from '../../domain/naming.ts';
import { NotFoundError } from '../../errors.ts';
import type { PreviewDeps, PreviewRunOptions } from './preview-deps.ts';
import { allPreviewApps } from './preview-deps.ts';
import { readRecord } from './read-preview-state.ts';
import { type TeardownOutcome, teardownPreview } from './teardown-preview.ts';

export interface DeletePreviewResult {
  app: string;
  pr: number;
  namespace: string;
  dryRun: boolean;
  /** Null when there was no preview, or on a dry run. */
  teardown: TeardownOutcome | null;
}

/** The operator's `switchyard previews delete <app> <pr>`. */
export async function deletePreview(
  deps: PreviewDeps,
  appName: string,
  pr: number,
  opts: PreviewRunOptions = {},
): Promise<DeletePreviewResult> {
  const app = allPreviewApps(deps.config).find((a) => a.name === appName);
  if (!app) throw new NotFoundError(`no app "${appName}" with previews in the configuration`);
  const namespace = previewNamespace(app.name, pr);
  const cluster = deps.cluster(app.cluster);
  const record = await readRecord(cluster, namespace);
  const dryRun = opts.dryRun ?? false;
  deps.logger.info('preview delete plan', { app: app.name, pr, namespace, exists: record !== null, dryRun });
  if (!record || dryRun) return { app: app.name, pr, namespace, dryRun, teardown: null };
  const teardown = await teardownPreview(
    deps,
    app,
    cluster,
    record,
    'deleted by an operator',
    deps.clock.now().toISOString(),
  );
  return { app: app.name, pr, namespace, dryRun, teardown };
}
