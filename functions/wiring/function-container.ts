import { createLogger } from '../../shared/adapters/log/powertools-logger.ts';
import { loadConfig } from '../../shared/config/load-config.ts';
import { buildContainer, type Container } from './container.ts';

let current: Container | undefined;

/**
 * The container of this Lambda process, made on the first invocation. A config that cannot be read
 * throws and nothing is kept, so the next invocation tries again.
 */
export function functionContainer(functionName: string, env: NodeJS.ProcessEnv = process.env): Container {
  current ??= buildContainer(loadConfig(env), env, { logger: createLogger(functionName) });
  return current;
}
