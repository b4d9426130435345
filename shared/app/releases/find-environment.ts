import type { EnvironmentConfig } from '../../config/release-schema.ts';
import type { AppConfig } from '../../config/schema.ts';
import { NotFoundError } from '../../errors.ts';

export function findEnvironment(
  apps: readonly AppConfig[],
  appName: string,
  envName: string,
): { app: AppConfig; env: EnvironmentConfig } {
  const app = apps.find((a) => a.name === appName);
  if (!app)
    throw new NotFoundError(
      `no app named "${appName}" in the config (apps: ${apps.map((a) => a.name).join(', ') || 'none'})`,
    );
  const env = app.environments.find((e) => e.name === envName);
  if (!env) {
    throw new NotFoundError(
      `app "${appName}" has no environment "${envName}" (environments: ${app.environments.map((e) => e.name).join(', ') || 'none'})`,
    );
  }
  return { app, env };
}
