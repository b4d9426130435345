import type { EnvironmentConfig } from '../../config/release-schema.ts';
import type { AppConfig } from '../../config/schema.ts';
import type { DeploymentView } from '../../domain/release/deployment-view.ts';
import { planGray } from '../../domain/release/gray-promotion.ts';
import { planPlain } from '../../domain/release/plain-release.ts';
import type { DeploymentChange, ReleaseEvent, StepPlan } from '../../domain/release/release-plan.ts';
import { readRelease, TERMINAL_STATES } from '../../domain/release/release-record.ts';
import { environmentTargets } from '../../domain/release/release-targets.ts';
import { planTracks, type TrackInput } from '../../domain/release/track-promotion.ts';
import { ConflictError } from '../../errors.ts';
import type { ReleaseClusterPort } from '../../ports/release.ts';
import type { ReleaseDeps, ReleaseRunOptions } from './release-deps.ts';
import { reportEvents } from './report-release.ts';

export interface TickOutcome {
  app: string;
  environment: string;
  events: ReleaseEvent[];
  changes: number;
  /** Changes that lost a race (someone else wrote first): the next tick plans again. */
  conflicts: number;
  dryRun: boolean;
}

/** Reads an environment's Deployments (and restarts where a release is baking), then plans one tick. */
export async function planEnvironmentTick(
  deps: ReleaseDeps,
  env: EnvironmentConfig,
  cluster: ReleaseClusterPort,
  current?: ReadonlyMap<string, DeploymentView | null>,
): Promise<{ plan: StepPlan; current: ReadonlyMap<string, DeploymentView | null> }> {
  const targets = environmentTargets(env);
  const views =
    current ??
    (await cluster.getDeployments(
      env.namespace,
      targets.map((t) => t.name),
    ));
  const now = deps.clock.now();
  const plan: StepPlan = { changes: [], events: [] };
  const add = (p: StepPlan) => {
    plan.changes.push(...p.changes);
    plan.events.push(...p.events);
  };
  const restartsOf = async (d: DeploymentView) => {
    const state = readRelease(d.annotations).record?.state;
    return state && !TERMINAL_STATES.includes(state) ? cluster.podRestarts(d.namespace, d.selector) : 0;
  };
  const present = (name: string) => views.get(name) ?? null;

  const plain = targets.filter((t) => t.role === 'deployment').map((t) => present(t.name));
  add(
    planPlain(
      plain.filter((d): d is DeploymentView => d !== null),
      { now, autoRollback: env.autoRollback, historyLimit: env.historyLimit },
    ),
  );

  if (env.tracks && env.tracks.length > 0) {
    const tracks: TrackInput[] = [];
    for (const t of env.tracks) {
      const d = present(t.deployment);
      const target = targets.find((x) => x.role === 'track' && x.name === t.deployment);
      if (!d || !target) break;
      tracks.push({
        target,
        deployment: d,
        restarts: await restartsOf(d),
        bakeMinutes: t.bakeMinutes,
        manualGate: t.manualGate,
      });
    }
    const lead = tracks[0] ? readRelease(tracks[0].deployment.annotations).record : null;
    if (lead?.rollbackOf) {
      // A rollback goes to every track at once: each finishes like a plain release.
      add(
        planPlain(
          tracks.map((t) => t.deployment),
          { now, autoRollback: false, historyLimit: env.historyLimit },
        ),
      );
    } else if (tracks.length === env.tracks.length) {
      add(planTracks(tracks, { now, autoRollback: env.autoRollback, historyLimit: env.historyLimit }));
    }
  }

  if (env.gray) {
    const canaryTarget = targets.find((t) => t.role === 'canary');
    const stableTarget = targets.find((t) => t.role === 'stable');
    const canary = present(env.gray.canary);
    const stable = present(env.gray.stable);
    if (canary && stable && canaryTarget && stableTarget) {
      add(
        planGray(
          {
            gray: env.gray,
            canary: { target: canaryTarget, deployment: canary, restarts: await restartsOf(canary) },
            stable: { target: stableTarget, deployment: stable },
          },
          { now, historyLimit: env.historyLimit },
        ),
      );
      // After the last step stable carries the release and finishes like a plain one.
      add(planPlain([stable], { now, autoRollback: env.autoRollback, historyLimit: env.historyLimit }));
    }
  }
  return { plan, current: views };
}

/** Runs one tick for an environment: plan, log, apply, report. */
export async function tickEnvironment(
  deps: ReleaseDeps,
  app: AppConfig,
  env: EnvironmentConfig,
  options: ReleaseRunOptions = {},
  current?: ReadonlyMap<string, DeploymentView | null>,
): Promise<TickOutcome> {
  const cluster = await deps.cluster(app.cluster);
  let outcome: TickOutcome = {
    app: app.name,
    environment: env.name,
    events: [],
    changes: 0,
    conflicts: 0,
    dryRun: options.dryRun === true,
  };
  // The Deployment controller bumps resourceVersion with every status write, so a precondition can
  // fail on a mere status change: read again and plan again (plans are derived from state, so a
  // partly applied plan is simply continued).
  const landed: ReleaseEvent[] = [];
  const report = () => reportEvents(deps, { repo: app.repo, app: app.name, environment: env.name }, dedupe(landed));
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const { plan, current: views } = await planEnvironmentTick(deps, env, cluster, attempt === 0 ? current : undefined);
    outcome = { ...outcome, changes: outcome.changes + plan.changes.length };
    if (plan.changes.length === 0) break;
    deps.logger.info('release tick plan', {
      app: app.name,
      environment: env.name,
      dryRun: outcome.dryRun,
      attempt,
      changes: plan.changes.map(describeChange),
      events: plan.events,
    });
    if (options.dryRun) return { ...outcome, events: plan.events };
    // Plain Deployments are independent; tracks and gray depend on the order of their writes.
    const plain = !env.tracks?.length && !env.gray;
    const { applied, conflicts } = await applyChanges(deps, cluster, plan.changes, plain ? 8 : 1);
    outcome.conflicts = conflicts;
    // Planners put the change an event is about first, so an event stands once anything landed.
    if (applied > 0) landed.push(...environmentEvents(env, plan, views));
    if (conflicts === 0) break;
  }
  await report();
  return { ...outcome, events: dedupe(landed) };
}

function dedupe(events: readonly ReleaseEvent[]): ReleaseEvent[] {
  const seen = new Set<string>();
  return events.filter((e) => {
    const key = `${e.kind}|${e.where}|${e.sha}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

const MAX_ATTEMPTS = 4;

/**
 * Applies changes in order (or `parallel` at a time when they are independent); a conflict stops the
 * rest, since they were planned from the same reading. Returns how many landed and how many did not.
 */
export async function applyChanges(
  deps: ReleaseDeps,
  cluster: ReleaseClusterPort,
  changes: readonly DeploymentChange[],
  parallel = 1,
): Promise<{ applied: number; conflicts: number }> {
  let applied = 0;
  let conflicted = false;
  let next = 0;
  const worker = async () => {
    while (!conflicted && next < changes.length) {
      const change = changes[next++]!;
      try {
        await cluster.applyChange(change);
        applied++;
      } catch (error) {
        if (!(error instanceof ConflictError)) throw error;
        conflicted = true;
        deps.logger.warn('release change lost a race; planning again', {
          deployment: `${change.namespace}/${change.name}`,
          error: error.message,
        });
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(parallel, changes.length)) }, worker));
  return { applied, conflicts: changes.length - applied };
}

export function describeChange(c: DeploymentChange): Record<string, unknown> {
  const record = c.apply ? readRelease(c.apply.annotations).record : null;
  return {
    deployment: `${c.namespace}/${c.name}`,
    ...(c.apply && Object.keys(c.apply.images).length > 0 ? { images: c.apply.images } : {}),
    ...(record ? { sha: record.sha, state: record.state } : {}),
    ...(c.replicas !== undefined ? { replicas: c.replicas } : {}),
  };
}

/**
 * A plain environment with several Deployments is released when all of them are: their per-Deployment
 * `released` events become one event in the tick the last one lands.
 */
function environmentEvents(
  env: EnvironmentConfig,
  plan: StepPlan,
  current: ReadonlyMap<string, DeploymentView | null>,
): ReleaseEvent[] {
  const plainNames = env.deployments.map((d) => d.name);
  if (plainNames.length <= 1) return plan.events;
  const released = plan.events.filter((e) => e.kind === 'released' && plainNames.includes(e.where));
  const first = released[0];
  if (!first) return plan.events;
  const stateAfter = (name: string) => {
    const change = plan.changes.find((c) => c.name === name && c.apply);
    const annotations = change?.apply?.annotations ?? current.get(name)?.annotations ?? {};
    return readRelease(annotations).record?.state;
  };
  const others = plan.events.filter((e) => !released.includes(e));
  if (!plainNames.every((n) => stateAfter(n) === 'released')) return others;
  return [...others, { ...first, where: env.name, message: `released to ${env.name} (${plainNames.join(', ')})` }];
}
