import type { IntentHandlers } from '../../shared/app/dispatch-intents.ts';
import * as previewUseCases from '../../shared/app/previews/index.ts';
import * as releaseUseCases from '../../shared/app/releases/index.ts';
import type { Container } from './container.ts';
import { previews } from './previews.ts';
import { releases } from './releases.ts';

/**
 * Wires each intent kind to the use cases that act on it. A CI result feeds both previews (is it the
 * head of an open PR?) and releases (is it a tested merge on an environment's branch?). Push intents
 * have no use case: CI, not the push, says when a commit may be deployed; they are counted as unhandled.
 */
export function buildIntentHandlers(c: Container, opts: { deadline: () => number }): IntentHandlers {
  const apps = c.config.apps;
  const handlers: IntentHandlers = {};
  if (apps.some((a) => a.preview)) {
    handlers.pull_request = [
      { name: 'previews', run: async (i) => previewUseCases.handlePullRequest(await c.get(previews), i) },
    ];
    handlers.ci_result = [
      { name: 'previews', run: async (i) => previewUseCases.handleCiResult(await c.get(previews), i) },
    ];
  }
  if (apps.some((a) => a.environments.length > 0)) {
    handlers.ci_result = [
      ...(handlers.ci_result ?? []),
      {
        name: 'releases',
        run: async (i) => releaseUseCases.handleCiResult(await c.get(releases), i, { deadline: opts.deadline() }),
      },
    ];
  }
  return handlers;
}
