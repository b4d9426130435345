import type { PreviewConfig } from '../../config/preview-schema.ts';
import type { AppConfig, Config } from '../../config/schema.ts';
import type { Clock } from '../../ports/clock.ts';
import type { DnsPort } from '../../ports/dns.ts';
import type { LoggerPort } from '../../ports/logger.ts';
import type { PreviewClusterPort } from '../../ports/preview-cluster.ts';
import type { PreviewTemplateSource } from '../../ports/preview-templates.ts';
import type { ScmPort } from '../../ports/scm.ts';

/** Everything the preview use cases reach the world through. */
export interface PreviewDeps {
  config: Config;
  scm: ScmPort;
  /** The preview port of a configured cluster, by name (apps name their cluster). */
  cluster(name: string): PreviewClusterPort;
  templates: PreviewTemplateSource;
  /** Route 53 for preview hosts; only needed when an app configures `preview.dns`. */
  dns?: DnsPort | undefined;
  clock: Clock;
  logger: LoggerPort;
}

export interface PreviewRunOptions {
  /** Plan and log, change nothing (no Kubernetes, DNS or GitHub writes). */
  dryRun?: boolean | undefined;
  /** Overrides the app's `preview.waitSeconds` (how long the worker waits for a fast rollout). */
  waitSeconds?: number | undefined;
  /**
   * Epoch milliseconds the run must be done by (the Lambda's remaining time minus a margin): the
   * rollout wait is cut to fit; what is not finished by then is left to rolloutWatcher.
   */
  deadline?: number | undefined;
  /** previewJanitor: at most this many removals per run (default: as many as the deadline allows). */
  maxDeletions?: number | undefined;
}

/** Seconds the worker may wait for a rollout: the configured wait, cut to the deadline. */
export function rolloutWaitSeconds(configured: number, opts: PreviewRunOptions, nowMs: number): number {
  const wanted = opts.waitSeconds ?? configured;
  if (opts.deadline === undefined) return wanted;
  return Math.max(0, Math.min(wanted, Math.floor((opts.deadline - nowMs) / 1000)));
}

export type PreviewApp = AppConfig & { preview: PreviewConfig };

/** The apps of a repository that have previews configured. */
export function previewAppsOf(config: Config, repo: string): PreviewApp[] {
  return config.apps.filter(
    (a): a is PreviewApp => a.preview !== undefined && a.repo.toLowerCase() === repo.toLowerCase(),
  );
}

export function allPreviewApps(config: Config): PreviewApp[] {
  return config.apps.filter((a): a is PreviewApp => a.preview !== undefined);
}
