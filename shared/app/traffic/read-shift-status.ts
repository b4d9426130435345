import type { ShiftConfig } from '../../config/shift-schema.ts';
import type { ShiftRow } from '../../domain/status/status-model.ts';
import { type ShiftStatus, shiftStatus } from '../../domain/traffic/shift-status.ts';
import { readShiftRecords } from './apply-shift-plan.ts';
import { mapLimit } from './tick-shifts.ts';
import type { TrafficDeps } from './traffic-deps.ts';

export type { ShiftStatus };
export { shiftStatus };

/** The read model of every shift (one ListResourceRecordSets call each), for the status page and CLI. */
export async function readShiftStatuses(
  deps: Pick<TrafficDeps, 'dns' | 'clock' | 'concurrency'>,
  shifts: readonly ShiftConfig[],
): Promise<ShiftStatus[]> {
  const now = deps.clock.now();
  return mapLimit(shifts, deps.concurrency ?? 8, async (shift) =>
    shiftStatus(shift, await readShiftRecords(deps, shift), now),
  );
}

/** The status page's row (shared/domain/status/status-model.ts) from the read model. */
export function toShiftRow(status: ShiftStatus): ShiftRow {
  return {
    name: status.name,
    record: status.record,
    state: status.state,
    kubernetesWeight: status.weights?.kubernetes ?? 0,
    steps: status.steps.map((s) => ({ weight: s.percent, status: s.status })),
    history: status.history.map((h) => ({ at: h.at, weight: h.kubernetes })),
    message: status.reason ? `${status.reason}: ${status.next}` : status.next,
  };
}
