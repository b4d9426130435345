import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2 } from 'aws-lambda';
import { type GitHubWebhookDeps, receiveGitHubWebhook } from '../shared/app/ingress/receive-github-webhook.ts';
import { functionContainer } from './wiring/function-container.ts';
import { ingressDeps } from './wiring/ingress.ts';

/** `POST /github/webhook`. */
export function createHandler(deps: GitHubWebhookDeps) {
  return (event: APIGatewayProxyEventV2): Promise<APIGatewayProxyResultV2> => receiveGitHubWebhook(deps, event);
}

async function defaultDeps(): Promise<GitHubWebhookDeps> {
  const c = functionContainer('githubWebhook');
  return { ...(await ingressDeps(c, 'GITHUB_WEBHOOK_SECRET')), ignoreStatusContexts: c.config.ignoreStatusContexts };
}

let cold: ReturnType<typeof createHandler> | undefined;
export const handler = async (event: APIGatewayProxyEventV2): Promise<APIGatewayProxyResultV2> => {
  cold ??= createHandler(await defaultDeps());
  return cold(event);
};
