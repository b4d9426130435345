import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2 } from 'aws-lambda';
import { createLambdaInvoker } from '../shared/adapters/lambda/lambda-invoker.ts';
import { createLogger } from '../shared/adapters/log/powertools-logger.ts';
import { resolveSecretWithRotation } from '../shared/adapters/ssm/ssm-secrets.ts';
import { type CiNotificationDeps, receiveCiNotification } from '../shared/app/ingress/receive-ci-notification.ts';
import { workerFunctionName } from '../shared/config/env.ts';
import { loadConfig } from '../shared/config/load-config.ts';

/** `POST /ci/notify`. */
export function createHandler(deps: CiNotificationDeps) {
  return (event: APIGatewayProxyEventV2): Promise<APIGatewayProxyResultV2> => receiveCiNotification(deps, event);
}

async function defaultDeps(env = process.env): Promise<CiNotificationDeps> {
  const { config } = loadConfig(env);
  return {
    secrets: await resolveSecretWithRotation(env, 'CI_WEBHOOK_SECRET'),
    apps: config.apps,
    invoker: createLambdaInvoker(),
    workerFunctionName: workerFunctionName(env),
    logger: createLogger('ciNotification'),
    now: () => new Date(),
  };
}

let cold: ReturnType<typeof createHandler> | undefined;
export const handler = async (event: APIGatewayProxyEventV2): Promise<APIGatewayProxyResultV2> => {
  cold ??= createHandler(await defaultDeps());
  return cold(event);
};
