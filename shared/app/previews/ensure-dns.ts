import type { PreviewApp, PreviewDeps } from './preview-deps.ts';
import { writePreviewHost } from './preview-dns.ts';

/**
 * The schedule's check of a preview host's CNAME (when the app configures `preview.dns`): the owned
 * UPSERT reads first and writes only when the record is missing or different, and never over a name
 * this preview does not own. Returns whether it wrote.
 */
export async function ensureDns(deps: PreviewDeps, app: PreviewApp, at: { repo: string; pr: number; host: string }) {
  const result = await writePreviewHost(deps, app, at);
  if (!result) return false;
  if (result.outcome === 'not-owned') {
    deps.logger.warn('preview DNS record not ours; left alone', {
      app: app.name,
      host: at.host,
      reason: result.reason,
    });
  }
  if (result.outcome === 'changed') deps.logger.info('preview DNS record restored', { app: app.name, host: at.host });
  return result.outcome === 'changed';
}
