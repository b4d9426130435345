import type { IntentHandlers } from '../../shared/app/dispatch-intents.ts';
import type { LoggerPort } from '../../shared/ports/logger.ts';

/**
 * Wires each intent kind to the use cases that act on it, with production adapters. Kinds with no use
 * case are left out on purpose: the dispatcher logs and counts them.
 */
export async function buildIntentHandlers(_env: NodeJS.ProcessEnv, _logger: LoggerPort): Promise<IntentHandlers> {
  return {};
}
