import { commentMarker, PREVIEW_STATUS_CONTEXT, previewOwner, shortSha } from '../../domain/naming.ts';
import { describe, previewUrl, renderComment } from '../../domain/preview/preview-report.ts';
import type { OwnedDnsResult } from '../../ports/dns.ts';
import type { PreviewApp, PreviewDeps } from './preview-deps.ts';

/**
 * Writes the preview host's CNAME where this preview owns the name (creating the ownership TXT beside
 * it when the name is free). Null when the app has no `preview.dns` or no DNS port is wired.
 */
export async function writePreviewHost(
  deps: PreviewDeps,
  app: PreviewApp,
  at: { repo: string; pr: number; host: string },
): Promise<OwnedDnsResult | null> {
  const dns = app.preview.dns;
  if (!dns || !deps.dns) return null;
  return deps.dns.upsertOwnedRecord(
    { zoneId: dns.hostedZoneId, name: at.host, type: 'CNAME', ttl: dns.ttl, values: [dns.target] },
    previewOwner(at.repo, app.name, at.pr),
  );
}

/**
 * The DNS record of a preview host, written only where this preview owns the name (an ownership TXT
 * beside it; shared/domain/preview/dns-ownership.ts). Returns null when the record is in place (or DNS
 * is not configured), else why the host is not ours: the pull request is told (commit status and
 * comment) and nothing is deployed, since the preview would not be reachable at its URL.
 */
export async function claimPreviewHost(
  deps: PreviewDeps,
  app: PreviewApp,
  at: { repo: string; pr: number; host: string; sha: string; time: string },
): Promise<string | null> {
  const result = await writePreviewHost(deps, app, at);
  if (result?.outcome !== 'not-owned') return null;
  const why = `preview host not deployed: ${result.reason}`;
  deps.logger.warn('preview DNS record not ours', { app: app.name, pr: at.pr, host: at.host, reason: result.reason });
  await deps.scm.setCommitStatus({
    repo: at.repo,
    sha: at.sha,
    context: PREVIEW_STATUS_CONTEXT,
    state: 'failure',
    description: describe.failed(at.sha, why),
    targetUrl: previewUrl(at.host),
  });
  await deps.scm.upsertComment(
    at.repo,
    at.pr,
    commentMarker(app.name),
    renderComment({
      app: app.name,
      state: 'failed',
      sha: at.sha,
      deployedSha: null,
      url: null,
      message: `The preview of \`${shortSha(at.sha)}\` was not deployed: ${result.reason}. Change \`preview.host\` or remove the record.`,
      time: at.time,
    }),
  );
  return why;
}

/**
 * Deletes the preview host's record and ownership TXT if this preview owns them. Returns whether a
 * record was deleted, and why not when the name belongs to someone else (left untouched).
 */
export async function releasePreviewHost(
  deps: PreviewDeps,
  app: PreviewApp | undefined,
  record: { repo: string; pr: number; app: string; host: string | null },
): Promise<{ deleted: boolean; notOwned?: string }> {
  if (!app?.preview.dns || !deps.dns || !record.host) return { deleted: false };
  const result = await deps.dns.deleteOwnedRecord(
    { zoneId: app.preview.dns.hostedZoneId, name: record.host, type: 'CNAME' },
    previewOwner(record.repo, record.app, record.pr),
  );
  if (result.outcome === 'not-owned') {
    deps.logger.warn('preview DNS record not ours; left untouched', {
      app: record.app,
      pr: record.pr,
      reason: result.reason,
    });
    return { deleted: false, notOwned: result.reason };
  }
  return { deleted: result.outcome === 'changed' };
}
