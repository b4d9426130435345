import type { ShiftConfig } from '../../config/shift-schema.ts';
import { type OperatorAction, planOperatorAction, ShiftActionRefused } from '../../domain/traffic/plan-shift.ts';
import { ConflictError, NotFoundError, PolicyError } from '../../errors.ts';
import { newWriteId, readShiftRecords, type ShiftResult, sendPlan, settle } from './apply-shift-plan.ts';
import type { TrafficDeps } from './traffic-deps.ts';

export const OPERATOR_ACTIONS: readonly OperatorAction[] = [
  'start',
  'pause',
  'resume',
  'promote',
  'promote-full',
  'abort',
  'rollback',
];

export function findShift(shifts: readonly ShiftConfig[], name: string): ShiftConfig {
  const shift = shifts.find((s) => s.name === name);
  if (!shift)
    throw new NotFoundError(
      `no shift named "${name}" in the config (have: ${shifts.map((s) => s.name).join(', ') || 'none'})`,
    );
  return shift;
}

/**
 * `switchyard shift start|pause|resume|promote|abort|rollback <name>`: one batch, the same
 * compare-and-set as a tick. A dry run returns the exact batch without sending it.
 */
export async function operateShift(
  deps: TrafficDeps,
  shift: ShiftConfig,
  action: OperatorAction,
  options: { dryRun?: boolean } = {},
): Promise<ShiftResult> {
  const records = await readShiftRecords(deps, shift);
  let plan: ReturnType<typeof planOperatorAction>;
  try {
    plan = planOperatorAction({ shift, records, now: deps.clock.now(), writeId: newWriteId() }, action);
  } catch (error) {
    if (error instanceof ShiftActionRefused) throw new PolicyError(error.message, { cause: error });
    throw error;
  }
  const result = await sendPlan(deps, shift, plan, options.dryRun ?? false);
  if (result.outcome === 'conflict') {
    throw new ConflictError(
      `shift ${shift.name} changed while ${action} was being applied; look at its status and try again`,
    );
  }
  await settle(deps, [{ shift, plan, records, result }]);
  return result;
}
