import { Logger } from '@aws-lambda-powertools/logger';
import type { LoggerPort } from '../../ports/logger.ts';

/**
 * Structured JSON logs keyed by delivery id, repo, PR and SHA (passed as extra keys). Secrets are never
 * given to the logger: the handlers hold them and log only whether a signature verified.
 */
export function createLogger(serviceName: string): LoggerPort & { appendKeys(keys: Record<string, unknown>): void } {
  const logger = new Logger({ serviceName, logLevel: (process.env['LOG_LEVEL'] as 'INFO' | undefined) ?? 'INFO' });
  return {
    debug: (m, e) => logger.debug(m, e ?? {}),
    info: (m, e) => logger.info(m, e ?? {}),
    warn: (m, e) => logger.warn(m, e ?? {}),
    error: (m, e) => logger.error(m, e ?? {}),
    appendKeys: (keys) => logger.appendKeys(keys),
  };
}
