import type { DeliveryDeployment } from '../../../shared/domain/delivery/delivery-record.ts';

/** Day 0 of the fixtures; `at(day, hour)` counts from it. */
export const T0 = Date.parse('2026-11-01T00:00:00Z');
export const at = (day: number, hour = 0, minute = 0): string =>
  new Date(T0 + day * 86_400_000 + hour * 3_600_000 + minute * 60_000).toISOString();

let ids = 1;
/** A deployment created at `created` with statuses given as [state, time] pairs. */
export function deployment(
  sha: string,
  created: string,
  statuses: Array<[string, string, string?]>,
  extra: Partial<DeliveryDeployment> = {},
): DeliveryDeployment {
  return {
    id: ids++,
    sha: sha.padEnd(40, '0'),
    createdAt: created,
    statuses: statuses.map(([state, when, description]) => ({ state, at: when, description: description ?? state })),
    commitAt: null,
    ...extra,
  };
}
