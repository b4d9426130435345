import { randomBytes } from 'node:crypto';
import type { ShiftConfig } from '../../config/shift-schema.ts';
import { changeBatchJson } from '../../domain/traffic/build-batch.ts';
import { checkChangeBatch } from '../../domain/traffic/check-change-batch.ts';
import { planRecordPending, type ShiftPlan, writtenStateRecord } from '../../domain/traffic/plan-shift.ts';
import { type RecordSet, sameRecord } from '../../domain/traffic/record-set.ts';
import { stateRecordName } from '../../domain/traffic/shift-names.ts';
import { ConflictError, TransientError } from '../../errors.ts';
import type { ChangeInfo } from '../../ports/traffic-dns.ts';
import type { TrafficDeps } from './traffic-deps.ts';

export type ShiftOutcome = 'noop' | 'applied' | 'dry-run' | 'conflict' | 'error';

export interface ShiftResult {
  shift: string;
  action: ShiftPlan['action'];
  reason: string;
  outcome: ShiftOutcome;
  /** The exact ChangeResourceRecordSets batch (sent, or that would be sent on a dry run). */
  batch: unknown | null;
  change: ChangeInfo | null;
  /** False when the change was still PENDING at the deadline (its id is then kept in the state). */
  inSync: boolean | null;
  report: string[];
  error?: string;
}

export function batchComment(plan: ShiftPlan): string {
  return `switchyard shift ${plan.shift}: ${plan.action}: ${plan.reason}`.slice(0, 256);
}

/** A fresh id for the state a plan writes (ShiftState.op): 12 base-36 characters from 8 random bytes. */
export function newWriteId(): string {
  return randomBytes(8).readBigUInt64BE().toString(36).slice(0, 12);
}

/** The records of a shift's name and state name, as every traffic use case reads them. */
export function readShiftRecords(deps: Pick<TrafficDeps, 'dns'>, shift: ShiftConfig): Promise<RecordSet[]> {
  return deps.dns.listRecordsAt(shift.hostedZoneId, [shift.record, stateRecordName(shift.record)]);
}

/**
 * After a failed or refused send: was the batch applied all the same? Route 53 applies a batch all or
 * nothing, so a state record holding exactly what this plan wrote (its random write id included) means
 * the batch went through and only the answer was lost, e.g. a dropped connection whose retry then found
 * its own DELETE already done. Unreadable records mean "not proven".
 */
async function appliedAnyway(deps: TrafficDeps, shift: ShiftConfig, plan: ShiftPlan): Promise<boolean> {
  const mine = writtenStateRecord(shift, plan);
  if (!mine?.values?.join('').includes(';o=')) return false;
  try {
    const records = await readShiftRecords(deps, shift);
    return records.some((r) => r.name === mine.name && r.type === 'TXT' && sameRecord(r, mine));
  } catch {
    return false;
  }
}

/**
 * Sends the plan's batch. A lost compare-and-set (someone else moved first) is an outcome, not a crash;
 * a batch whose answer was lost but whose state is in Route 53 is reported as applied.
 */
export async function sendPlan(
  deps: TrafficDeps,
  shift: ShiftConfig,
  plan: ShiftPlan,
  dryRun: boolean,
): Promise<ShiftResult> {
  const base = {
    shift: shift.name,
    action: plan.action,
    reason: plan.reason,
    report: plan.report,
  };
  if (plan.changes.length === 0) return { ...base, outcome: 'noop', batch: null, change: null, inSync: null };
  const comment = batchComment(plan);
  const batch = changeBatchJson(plan.changes, comment);
  deps.logger.info('shift plan', { shift: shift.name, action: plan.action, reason: plan.reason, dryRun, batch });
  if (dryRun) return { ...base, outcome: 'dry-run', batch, change: null, inSync: null };
  try {
    const change = await deps.dns.applyChanges(shift.hostedZoneId, plan.changes, comment);
    return { ...base, outcome: 'applied', batch, change, inSync: change.status === 'INSYNC' };
  } catch (error) {
    if (
      (error instanceof ConflictError || error instanceof TransientError) &&
      (await appliedAnyway(deps, shift, plan))
    ) {
      deps.logger.warn('shift batch applied, but its answer was lost', {
        shift: shift.name,
        error: (error as Error).message,
      });
      return {
        ...base,
        report: [...plan.report, 'Route 53 did not answer, but the records show this batch applied'],
        outcome: 'applied',
        batch,
        change: null,
        inSync: null,
      };
    }
    if (error instanceof ConflictError) {
      deps.logger.info('shift lost the race: state changed since it was read', { shift: shift.name });
      return { ...base, outcome: 'conflict', batch, change: null, inSync: null, error: error.message };
    }
    throw error;
  }
}

/**
 * Waits for the applied changes to be INSYNC, all at once with one deadline; a change still PENDING
 * then gets its id written into the state (one more small batch) so that the next tick waits for it.
 */
export async function settle(
  deps: TrafficDeps,
  items: { shift: ShiftConfig; plan: ShiftPlan; records: readonly RecordSet[]; result: ShiftResult }[],
): Promise<void> {
  await Promise.all(
    items.map(async ({ shift, plan, records, result }) => {
      if (result.outcome !== 'applied' || !result.change || result.change.status === 'INSYNC') return;
      const changeId = result.change.id;
      let waitError: Error | null = null;
      try {
        const info = await deps.dns.waitForInSync(changeId, shift.inSyncDeadlineSeconds * 1000);
        result.inSync = info.status === 'INSYNC';
        if (result.inSync) return;
      } catch (error) {
        // The change itself was applied; only its confirmation is unknown: treat it as still PENDING.
        waitError = error as Error;
        result.inSync = null;
      }
      try {
        const after = checkChangeBatch({ changes: plan.changes, current: records }).after;
        const followUp = planRecordPending(
          { shift, records: after, now: deps.clock.now(), writeId: newWriteId() },
          changeId,
        );
        await deps.dns.applyChanges(shift.hostedZoneId, followUp.changes, batchComment(followUp));
        result.report.push(`change ${changeId} not confirmed INSYNC yet; the next tick waits for it`);
      } catch (error) {
        // Someone moved on meanwhile: their batch supersedes ours, nothing to remember.
        if (error instanceof ConflictError) return;
        waitError ??= error as Error;
      }
      if (waitError) {
        result.error = `applied, but INSYNC could not be confirmed: ${waitError.message}`;
        deps.logger.warn('shift change not confirmed', { shift: shift.name, change: changeId, error: result.error });
      }
    }),
  );
}
