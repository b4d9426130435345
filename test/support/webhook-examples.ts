import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

interface ExampleGroup {
  name: string;
  examples: Array<Record<string, unknown>>;
}

/** Real payloads recorded by GitHub users (`@octokit/webhooks-examples`), by event name. */
export function webhookExamples(event: string): Array<Record<string, unknown>> {
  const all = require('@octokit/webhooks-examples') as ExampleGroup[];
  const group = all.find((g) => g.name === event);
  if (!group) throw new Error(`no examples for ${event}`);
  return group.examples.map((e) => structuredClone(e));
}

/** The repository every example payload comes from. */
export const EXAMPLE_REPO = 'Codertocat/Hello-World';
