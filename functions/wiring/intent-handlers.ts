import type { IntentHandlers } from '../../shared/app/dispatch-intents.ts';
import * as previews from '../../shared/app/previews/index.ts';
import * as releases from '../../shared/app/releases/index.ts';
import type { Production } from './production.ts';

/**
 * Wires each intent kind to the use cases that act on it. A CI result feeds both previews (is it the
 * head of an open PR?) and releases (is it a tested merge on an environment's branch?). Push intents
 * to an environment's branch ask releases to evaluate the new head (CI, not the push, still decides).
 */
export function buildIntentHandlers(prod: Production, opts: { deadline: () => number }): IntentHandlers {
  const apps = prod.loaded.config.apps;
  const handlers: IntentHandlers = {};
  if (apps.some((a) => a.preview)) {
    handlers.pull_request = [
      { name: 'previews', run: async (i) => previews.handlePullRequest(await prod.previews(), i) },
    ];
    handlers.ci_result = [{ name: 'previews', run: async (i) => previews.handleCiResult(await prod.previews(), i) }];
  }
  if (apps.some((a) => a.environments.length > 0)) {
    handlers.ci_result = [
      ...(handlers.ci_result ?? []),
      {
        name: 'releases',
        run: async (i) => releases.handleCiResult(await prod.releases(), i, { deadline: opts.deadline() }),
      },
    ];
    // A push moving an environment's branch to an already tested commit (merge queues) is a hint too.
    handlers.push = [
      {
        name: 'releases',
        run: async (i) => releases.handlePush(await prod.releases(), i, { deadline: opts.deadline() }),
      },
    ];
  }
  return handlers;
}
