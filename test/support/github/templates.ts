import { createRequire } from 'node:module';

/**
 * Response bodies are cloned from GitHub's own payloads (the webhook examples and the recorded API
 * exchanges of @octokit/fixtures) and then overridden, so every field a client might read exists with
 * GitHub's spelling and type.
 */

const require = createRequire(import.meta.url);

type Json = Record<string, unknown>;
interface ExampleGroup {
  name: string;
  examples: Json[];
}
interface FixtureExchange {
  method: string;
  path: string;
  response: unknown;
}

let cache: { examples: ExampleGroup[]; createStatus: FixtureExchange[] } | undefined;
function load(): { examples: ExampleGroup[]; createStatus: FixtureExchange[] } {
  cache ??= {
    examples: require('@octokit/webhooks-examples/api.github.com/index.json') as ExampleGroup[],
    createStatus:
      require('@octokit/fixtures/scenarios/api.github.com/create-status/normalized-fixture.json') as FixtureExchange[],
  };
  return cache;
}

function example(event: string, index = 0): Json {
  const group = load().examples.find((g) => g.name === event);
  const found = group?.examples[index];
  if (!found) throw new Error(`no webhook example for ${event}[${index}]`);
  return found;
}

function clone<T>(value: T): T {
  return structuredClone(value);
}

const templates = {
  get pullRequest(): Json {
    return example('pull_request').pull_request as Json;
  },
  get repository(): Json {
    return example('pull_request').repository as Json;
  },
  get user(): Json {
    return example('pull_request').sender as Json;
  },
  get deployment(): Json {
    return example('deployment').deployment as Json;
  },
  get deploymentStatus(): Json {
    return example('deployment_status').deployment_status as Json;
  },
  get comment(): Json {
    return example('issue_comment').comment as Json;
  },
  get checkRun(): Json {
    return example('check_run').check_run as Json;
  },
  get label(): Json {
    return ((example('pull_request', 8).pull_request as Json).labels as Json[])[0] ?? { name: 'x' };
  },
  get status(): Json {
    const first = load().createStatus.find((x) => x.method === 'post');
    return first?.response as Json;
  },
  get combinedStatus(): Json {
    const combined = load().createStatus.find((x) => x.path.endsWith('/status'));
    return combined?.response as Json;
  },
};

/** A fresh copy of one of GitHub's response shapes. */
export function template(name: keyof typeof templates): Json {
  return clone(templates[name]);
}
