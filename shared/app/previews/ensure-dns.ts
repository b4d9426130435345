import type { PreviewApp, PreviewDeps } from './preview-deps.ts';

/**
 * The preview host's CNAME, when the app configures `preview.dns`. A deploy writes it (an UPSERT is
 * idempotent); the schedule reads it first (`check`), since an UPSERT of what is already there is
 * still a Route 53 change and counts against its five requests per second. Returns whether it wrote.
 */
export async function ensureDns(
  deps: PreviewDeps,
  app: PreviewApp,
  host: string,
  opts: { check?: boolean } = {},
): Promise<boolean> {
  const dns = app.preview.dns;
  if (!dns || !deps.dns) return false;
  const ref = { zoneId: dns.hostedZoneId, name: host, type: 'CNAME' as const };
  if (!opts.check) {
    await deps.dns.upsertRecord({ ...ref, ttl: dns.ttl, values: [dns.target] });
    return true;
  }
  const current = await deps.dns.getRecord(ref);
  const target = dns.target.toLowerCase().replace(/\.$/, '');
  const same =
    current !== null &&
    current.ttl === dns.ttl &&
    current.values.length === 1 &&
    current.values[0]?.toLowerCase().replace(/\.$/, '') === target;
  if (same) return false;
  await deps.dns.upsertRecord({ ...ref, ttl: dns.ttl, values: [dns.target] });
  deps.logger.info('preview DNS record written', { app: app.name, host, target: dns.target });
  return true;
}
