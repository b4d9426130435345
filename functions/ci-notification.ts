import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2 } from 'aws-lambda';
import { type CiNotificationDeps, receiveCiNotification } from '../shared/app/ingress/receive-ci-notification.ts';
import { functionContainer } from './wiring/function-container.ts';
import { ingressDeps } from './wiring/ingress.ts';

/** `POST /ci/notify`. */
export function createHandler(deps: CiNotificationDeps) {
  return (event: APIGatewayProxyEventV2): Promise<APIGatewayProxyResultV2> => receiveCiNotification(deps, event);
}

async function defaultDeps(): Promise<CiNotificationDeps> {
  const c = functionContainer('ciNotification');
  return { ...(await ingressDeps(c, 'CI_WEBHOOK_SECRET')) };
}

let cold: ReturnType<typeof createHandler> | undefined;
export const handler = async (event: APIGatewayProxyEventV2): Promise<APIGatewayProxyResultV2> => {
  cold ??= createHandler(await defaultDeps());
  return cold(event);
};
