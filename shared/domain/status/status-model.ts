import type { DoraMetrics } from '../delivery/dora-metrics.ts';

/** Everything the status page and `switchyard status` show, gathered from the cluster and Route 53. */
export interface StatusModel {
  generatedAt: string;
  previews: PreviewRow[];
  releases: ReleaseRow[];
  shifts: ShiftRow[];
  health: HealthRow[];
  /** DORA metrics and the deployment timeline of each release environment. */
  delivery: DeliveryRow[];
  /** Sections that could not be read this time, with why: the page still shows the rest. */
  errors: Array<{ section: string; message: string }>;
}

export interface PreviewRow {
  app: string;
  pr: number;
  namespace: string;
  headSha: string;
  deployedSha: string | null;
  /** When the preview was last deployed (ISO 8601), if ever. */
  since: string | null;
  url: string | null;
  state: string;
}

export interface ReleaseRow {
  app: string;
  environment: string;
  track: string | null;
  sha: string | null;
  image: string | null;
  state: string;
  since: string | null;
}

export interface ShiftRow {
  name: string;
  record: string;
  state: string;
  /** Percent of traffic on Kubernetes now. */
  kubernetesWeight: number;
  steps: Array<{ weight: number; status: 'done' | 'current' | 'next' }>;
  /** Weight of Kubernetes over time, oldest first. */
  history: Array<{ at: string; weight: number }>;
  message: string | null;
}

export interface HealthRow {
  namespace: string;
  service: string;
  track: string | null;
  ok: boolean;
  problem: string | null;
}

export interface DeliveryRow {
  app: string;
  environment: string;
  metrics: DoraMetrics;
}
