import { type DeliveryDeps, readDelivery } from '../../shared/app/delivery/read-delivery.ts';
import type { DeliveryRow } from '../../shared/domain/status/status-model.ts';

/**
 * How long the status page reuses the delivery metrics. They move with deployments (minutes apart),
 * while the page refreshes every 30 s per viewer: reading GitHub on each refresh would spend the
 * installation's rate limit (one listing plus one request per deployment) for nothing.
 */
export const DELIVERY_CACHE_MS = 5 * 60_000;

/** The status page's Delivery section: the last 30 days of each release environment, cached. */
export function deliveryStatusSource(
  deps: () => Promise<DeliveryDeps>,
  ttlMs = DELIVERY_CACHE_MS,
): () => Promise<DeliveryRow[]> {
  let cached: { at: number; rows: Promise<DeliveryRow[]> } | undefined;
  return async () => {
    const now = Date.now();
    if (!cached || now - cached.at > ttlMs) {
      const rows = deps().then(async (d) =>
        (await readDelivery(d, { since: '30d' })).reports.map((r) => ({
          app: r.app,
          environment: r.environment,
          metrics: r.metrics,
        })),
      );
      // A failed read is not kept: the next refresh tries GitHub again.
      rows.catch(() => {
        if (cached?.rows === rows) cached = undefined;
      });
      cached = { at: now, rows };
    }
    return cached.rows;
  };
}
