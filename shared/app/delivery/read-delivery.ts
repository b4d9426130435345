import type { EnvironmentConfig } from '../../config/release-schema.ts';
import type { AppConfig } from '../../config/schema.ts';
import { computeDora, type DoraMetrics } from '../../domain/delivery/dora-metrics.ts';
import { parseSince } from '../../domain/delivery/parse-window.ts';
import { releaseEnvironment } from '../../domain/naming.ts';
import { NotFoundError } from '../../errors.ts';
import type { Clock } from '../../ports/clock.ts';
import type { DeliveryRecordPort } from '../../ports/delivery-record.ts';
import type { LoggerPort } from '../../ports/logger.ts';

export interface DeliveryDeps {
  apps: readonly AppConfig[];
  record: DeliveryRecordPort;
  /**
   * Commits the release records on the cluster mark as rolled back (history and current record). They
   * complete GitHub's record when a rollback could not be reported; absent, GitHub alone is used.
   */
  rolledBackOnCluster?: (app: AppConfig, env: EnvironmentConfig) => Promise<ReadonlySet<string>>;
  clock: Clock;
  logger: LoggerPort;
}

export interface DeliveryQuery {
  app?: string;
  environment?: string;
  /** `30d`, `12h`, `8w` or a date; default 30 days. */
  since?: string;
}

export interface DeliveryReport {
  app: string;
  environment: string;
  /** The GitHub environment the figures come from (`<app>/<env>`). */
  githubEnvironment: string;
  production: boolean;
  metrics: DoraMetrics;
}

export interface DeliveryResult {
  since: string;
  until: string;
  reports: DeliveryReport[];
}

/**
 * `switchyard dora` and the status page's Delivery section: the DORA metrics of each release
 * environment (or the ones asked for), computed from GitHub's deployments and statuses alone.
 */
export async function readDelivery(deps: DeliveryDeps, query: DeliveryQuery = {}): Promise<DeliveryResult> {
  const until = deps.clock.now();
  const since = parseSince(query.since, until);
  const targets = selectEnvironments(deps.apps, query);
  // Environments are read a few at a time (each reads up to 4 requests at once): a status page with
  // many environments stays within its function timeout without a burst GitHub would call abuse.
  const reports: DeliveryReport[] = [];
  for (let i = 0; i < targets.length; i += ENVIRONMENTS_AT_ONCE) {
    const batch = targets.slice(i, i + ENVIRONMENTS_AT_ONCE);
    reports.push(...(await Promise.all(batch.map(({ app, env }) => readOne(deps, app, env, since, until)))));
  }
  deps.logger.info('delivery metrics read', { environments: reports.length, since: since.toISOString() });
  return { since: since.toISOString(), until: until.toISOString(), reports };
}

const ENVIRONMENTS_AT_ONCE = 3;

async function readOne(
  deps: DeliveryDeps,
  app: AppConfig,
  env: EnvironmentConfig,
  since: Date,
  until: Date,
): Promise<DeliveryReport> {
  const githubEnvironment = releaseEnvironment(app.name, env.name);
  // Rollbacks up to now judge the changes of the window, so the listing always runs to now.
  const [deployments, rolledBack] = await Promise.all([
    deps.record.listDeployments(app.repo, githubEnvironment, since),
    clusterMarks(deps, app, env),
  ]);
  return {
    app: app.name,
    environment: env.name,
    githubEnvironment,
    production: env.production,
    metrics: computeDora(deployments, { since, until }, rolledBack),
  };
}

/** The cluster's view is a complement: when it cannot be read, the metrics stand on GitHub alone. */
async function clusterMarks(deps: DeliveryDeps, app: AppConfig, env: EnvironmentConfig): Promise<ReadonlySet<string>> {
  if (!deps.rolledBackOnCluster) return new Set();
  try {
    return await deps.rolledBackOnCluster(app, env);
  } catch (error) {
    deps.logger.warn('could not read the release records for the delivery metrics', {
      app: app.name,
      environment: env.name,
      error: String(error),
    });
    return new Set();
  }
}

function selectEnvironments(apps: readonly AppConfig[], query: DeliveryQuery) {
  const chosen = query.app === undefined ? apps : apps.filter((a) => a.name === query.app);
  if (query.app !== undefined && chosen.length === 0) {
    throw new NotFoundError(
      `no app named "${query.app}" in the config (apps: ${apps.map((a) => a.name).join(', ') || 'none'})`,
    );
  }
  const pairs = chosen.flatMap((app) =>
    app.environments
      .filter((env) => query.environment === undefined || env.name === query.environment)
      .map((env) => ({ app, env })),
  );
  if (query.environment !== undefined && pairs.length === 0) {
    throw new NotFoundError(
      `no release environment named "${query.environment}"${query.app ? ` in app "${query.app}"` : ''}`,
    );
  }
  return pairs;
}
