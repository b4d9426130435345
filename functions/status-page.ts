import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2 } from 'aws-lambda';
import { resolveSecret } from '../shared/adapters/ssm/ssm-secrets.ts';
import { type StatusPageDeps, serveStatus } from '../shared/app/status/serve-status.ts';
import { functionContainer } from './wiring/function-container.ts';
import { production } from './wiring/production.ts';
import { buildStatusSources } from './wiring/status-sources.ts';

/** `GET /status` and `GET /status.json`. */
export function createHandler(deps: StatusPageDeps) {
  return (event: APIGatewayProxyEventV2): Promise<APIGatewayProxyResultV2> => serveStatus(deps, event);
}

let cold: ReturnType<typeof createHandler> | undefined;
export const handler = async (event: APIGatewayProxyEventV2): Promise<APIGatewayProxyResultV2> => {
  cold ??= createHandler({
    sources: buildStatusSources(production(functionContainer('statusPage'))),
    token: await resolveSecret(process.env, 'STATUS_TOKEN'),
    now: () => new Date(),
  });
  return cold(event);
};
