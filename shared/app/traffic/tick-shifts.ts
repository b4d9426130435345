import type { ShiftConfig } from '../../config/shift-schema.ts';
import { planTick, type ShiftPlan, shiftNeeds } from '../../domain/traffic/plan-shift.ts';
import type { RecordSet } from '../../domain/traffic/record-set.ts';
import { newWriteId, readShiftRecords, type ShiftResult, sendPlan, settle } from './apply-shift-plan.ts';
import { evaluateGates, type GateCache } from './evaluate-gates.ts';
import type { TrafficDeps } from './traffic-deps.ts';

export interface TickOptions {
  dryRun?: boolean;
}

export interface TickReport {
  at: string;
  results: ShiftResult[];
}

/** Runs `fn` over items with at most `limit` in flight. */
export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const workers = Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, async () => {
    for (let i = next++; i < items.length; i = next++) out[i] = await fn(items[i]!);
  });
  await Promise.all(workers);
  return out;
}

/**
 * The scheduled tick (stateless): for every shift, re-read its records and state from Route 53, read
 * only the gates/metrics its state needs, plan, and apply at most one batch. Then wait for the applied
 * batches to be INSYNC together. One shift failing never stops the others.
 */
export async function tickShifts(
  deps: TrafficDeps,
  shifts: readonly ShiftConfig[],
  options: TickOptions = {},
): Promise<TickReport> {
  const now = deps.clock.now();
  const gateCache: GateCache = new Map();
  const applied: { shift: ShiftConfig; plan: ShiftPlan; records: RecordSet[]; result: ShiftResult }[] = [];
  const results = await mapLimit(shifts, deps.concurrency ?? 8, async (shift): Promise<ShiftResult> => {
    try {
      const records = await readShiftRecords(deps, shift);
      const needs = shiftNeeds(shift, records, now);
      const [gates, change, legacyRequests] = await Promise.all([
        needs.gates ? evaluateGates(deps, shift, gateCache) : Promise.resolve(undefined),
        needs.changeId ? deps.dns.getChange(needs.changeId) : Promise.resolve(undefined),
        needs.requestWindow && deps.requests && shift.finish.requestCount
          ? deps.requests.sum({
              namespace: shift.finish.requestCount.namespace,
              metricName: shift.finish.requestCount.metricName,
              dimensions: shift.finish.requestCount.dimensions,
              ...(shift.finish.requestCount.region !== undefined ? { region: shift.finish.requestCount.region } : {}),
              start: needs.requestWindow.start,
              end: needs.requestWindow.end,
              periodSeconds: 60,
            })
          : Promise.resolve(undefined),
      ]);
      const plan = planTick({
        shift,
        records,
        now,
        writeId: newWriteId(),
        ...(gates ? { gates } : {}),
        ...(change ? { changeStatus: change.status } : {}),
        ...(legacyRequests !== undefined ? { legacyRequests } : {}),
      });
      if (plan.action === 'none') deps.logger.debug('shift idle', { shift: shift.name, reason: plan.reason });
      for (const line of plan.report) deps.logger.info(line, { shift: shift.name });
      const result = await sendPlan(deps, shift, plan, options.dryRun ?? false);
      if (result.outcome === 'applied') applied.push({ shift, plan, records, result });
      return result;
    } catch (error) {
      deps.logger.error('shift tick failed', { shift: shift.name, error: (error as Error).message });
      return {
        shift: shift.name,
        action: 'none',
        reason: 'error',
        outcome: 'error',
        batch: null,
        change: null,
        inSync: null,
        report: [],
        error: (error as Error).message,
      };
    }
  });
  await settle(deps, applied);
  return { at: now.toISOString(), results };
}
