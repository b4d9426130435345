import { z } from 'zod';
import { type DeliveryQuery, readDelivery } from '../../shared/app/delivery/read-delivery.ts';
import type { OperationRegistry } from '../../shared/app/ops/run-operation.ts';
import { deletePreview, listPreviews } from '../../shared/app/previews/index.ts';
import { deployCommit, promoteRelease, releaseStatus, rollback } from '../../shared/app/releases/index.ts';
import { readStatus } from '../../shared/app/status/read-status.ts';
import { findShift, operateShift } from '../../shared/app/traffic/operate-shift.ts';
import { readShiftStatuses } from '../../shared/app/traffic/read-shift-status.ts';
import type { OperatorAction } from '../../shared/domain/traffic/plan-shift.ts';
import type { Production } from './production.ts';
import { buildStatusSources } from './status-sources.ts';

const AppEnv = z.object({ app: z.string().min(1), environment: z.string().min(1) }).strict();
const ShiftName = z.object({ name: z.string().min(1) }).strict();
/** Who runs the command, as the CLI declares it (audit trail; invoking the function is the access control). */
const By = { by: z.string().min(1).max(100).optional() };
const actorOf = (args: Record<string, unknown>) => (args['by'] ? { actor: args['by'] as string } : {});

/** Every operator command (the CLI's grammar maps onto these names), wired to its use case. */
export function buildOperations(prod: Production): OperationRegistry {
  const { config } = prod.loaded;
  const shiftOp = (action: OperatorAction, summary: string) => ({
    summary,
    args: ShiftName,
    run: async (args: Record<string, unknown>, opts: { dryRun: boolean }) =>
      operateShift(prod.traffic(), findShift(config.shifts, args['name'] as string), action, opts),
  });
  return {
    status: {
      summary: 'previews, releases, traffic shifts and health at a glance',
      args: z.object({}).strict(),
      run: () => readStatus(buildStatusSources(prod), new Date()),
    },
    'previews.list': {
      summary: 'list preview environments',
      args: z.object({}).strict(),
      run: async () => listPreviews(await prod.previews()),
    },
    'previews.delete': {
      summary: 'delete the preview of a pull request',
      args: z.object({ app: z.string().min(1), pr: z.number().int().positive() }).strict(),
      run: async (args, opts) =>
        deletePreview(await prod.previews(), args['app'] as string, args['pr'] as number, opts),
    },
    'releases.status': {
      summary: 'where each release stands',
      args: z.object({}).strict(),
      run: async () => releaseStatus(await prod.releases()),
    },
    'releases.promote': {
      summary: 'pass the manual gate of the current track or gray step',
      args: AppEnv.extend(By),
      run: async (args, opts) =>
        promoteRelease(await prod.releases(), args['app'] as string, args['environment'] as string, {
          ...opts,
          ...actorOf(args),
        }),
    },
    'releases.rollback': {
      summary: 'redeploy the previous or a named image without a rebuild',
      args: AppEnv.extend({
        sha: z
          .string()
          .regex(/^[0-9a-f]{7,40}$/, 'must be a commit SHA (7 to 40 hex digits)')
          .optional(),
        ...By,
      }),
      run: async (args, opts) =>
        rollback(
          await prod.releases(),
          args['app'] as string,
          args['environment'] as string,
          args['sha'] as string | undefined,
          { ...opts, ...actorOf(args) },
        ),
    },
    'releases.deploy': {
      summary: 'deploy a named commit even when older than what runs or rolled back (try --dry-run first)',
      args: AppEnv.extend({
        sha: z.string().regex(/^[0-9a-f]{40}$/, 'must be a full 40-character lowercase commit SHA'),
      }),
      run: async (args, opts) =>
        deployCommit(
          await prod.releases(),
          args['app'] as string,
          args['environment'] as string,
          args['sha'] as string,
          opts,
        ),
    },
    'shifts.status': {
      summary: 'traffic shifts and their weights',
      args: z.object({ name: z.string().min(1).optional() }).strict(),
      run: async (args) => {
        const shifts = args['name'] ? [findShift(config.shifts, args['name'] as string)] : config.shifts;
        return readShiftStatuses(prod.traffic(), shifts);
      },
    },
    'shifts.start': shiftOp('start', 'start a traffic shift'),
    'shifts.pause': shiftOp('pause', 'pause a traffic shift'),
    'shifts.resume': shiftOp('resume', 'resume a paused shift'),
    'shifts.promote': {
      summary: 'pass an indefinite pause, or with full: go straight to 100%',
      args: ShiftName.extend({ full: z.literal('true').optional() }),
      run: async (args, opts) =>
        operateShift(
          prod.traffic(),
          findShift(config.shifts, args['name'] as string),
          args['full'] ? 'promote-full' : 'promote',
          opts,
        ),
    },
    dora: {
      summary: 'DORA metrics per release environment from GitHub deployments and statuses',
      args: z
        .object({
          app: z.string().min(1).optional(),
          environment: z.string().min(1).optional(),
          since: z.string().min(1).max(40).optional(),
        })
        .strict(),
      run: async (args) => readDelivery(await prod.delivery(), args as DeliveryQuery),
    },
    'shifts.abort': shiftOp('abort', 'abort: all traffic back to legacy'),
    'shifts.rollback': shiftOp('rollback', 'back to the last good step and pause'),
  };
}
