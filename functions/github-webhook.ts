import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2 } from 'aws-lambda';
import { createLambdaInvoker } from '../shared/adapters/lambda/lambda-invoker.ts';
import { resolveSecretWithRotation } from '../shared/adapters/ssm/ssm-secrets.ts';
import { type GitHubWebhookDeps, receiveGitHubWebhook } from '../shared/app/ingress/receive-github-webhook.ts';
import { workerFunctionName } from '../shared/config/env.ts';
import { functionContainer } from './wiring/function-container.ts';

/** `POST /github/webhook`. */
export function createHandler(deps: GitHubWebhookDeps) {
  return (event: APIGatewayProxyEventV2): Promise<APIGatewayProxyResultV2> => receiveGitHubWebhook(deps, event);
}

async function defaultDeps(): Promise<GitHubWebhookDeps> {
  const { config, env, logger } = functionContainer('githubWebhook');
  return {
    secrets: await resolveSecretWithRotation(env, 'GITHUB_WEBHOOK_SECRET'),
    repos: new Set(config.apps.map((a) => a.repo)),
    ignoreStatusContexts: config.ignoreStatusContexts,
    invoker: createLambdaInvoker(),
    workerFunctionName: workerFunctionName(env),
    logger,
    now: () => new Date(),
  };
}

let cold: ReturnType<typeof createHandler> | undefined;
export const handler = async (event: APIGatewayProxyEventV2): Promise<APIGatewayProxyResultV2> => {
  cold ??= createHandler(await defaultDeps());
  return cold(event);
};
