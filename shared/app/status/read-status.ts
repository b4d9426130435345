import type {
  DeliveryRow,
  HealthRow,
  PreviewRow,
  ReleaseRow,
  ShiftRow,
  StatusModel,
} from '../../domain/status/status-model.ts';

/** Where each section of the status comes from; a missing source is simply an empty section. */
export interface StatusSources {
  previews?: () => Promise<PreviewRow[]>;
  releases?: () => Promise<ReleaseRow[]>;
  shifts?: () => Promise<ShiftRow[]>;
  health?: () => Promise<HealthRow[]>;
  delivery?: () => Promise<DeliveryRow[]>;
}

/**
 * Reads every section in parallel. One unreadable section (cluster down, Route 53 throttled) is
 * reported in `errors` and never hides the others.
 */
export async function readStatus(sources: StatusSources, now: Date): Promise<StatusModel> {
  const model: StatusModel = {
    generatedAt: now.toISOString(),
    previews: [],
    releases: [],
    shifts: [],
    health: [],
    delivery: [],
    errors: [],
  };
  const load = async <K extends keyof StatusSources>(key: K) => {
    const source = sources[key];
    if (!source) return;
    try {
      (model[key] as unknown) = await source();
    } catch (error) {
      model.errors.push({ section: key, message: (error as Error).message });
    }
  };
  await Promise.all([load('previews'), load('releases'), load('shifts'), load('health'), load('delivery')]);
  return model;
}
