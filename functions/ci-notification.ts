import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2 } from 'aws-lambda';
import { createLambdaInvoker } from '../shared/adapters/lambda/lambda-invoker.ts';
import { resolveSecretWithRotation } from '../shared/adapters/ssm/ssm-secrets.ts';
import { type CiNotificationDeps, receiveCiNotification } from '../shared/app/ingress/receive-ci-notification.ts';
import { workerFunctionName } from '../shared/config/env.ts';
import { functionContainer } from './wiring/function-container.ts';

/** `POST /ci/notify`. */
export function createHandler(deps: CiNotificationDeps) {
  return (event: APIGatewayProxyEventV2): Promise<APIGatewayProxyResultV2> => receiveCiNotification(deps, event);
}

async function defaultDeps(): Promise<CiNotificationDeps> {
  const { config, env, logger } = functionContainer('ciNotification');
  return {
    secrets: await resolveSecretWithRotation(env, 'CI_WEBHOOK_SECRET'),
    repos: new Set(config.apps.map((a) => a.repo)),
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
