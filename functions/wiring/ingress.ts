import { createLambdaInvoker } from '../../shared/adapters/lambda/lambda-invoker.ts';
import { resolveSecretWithRotation } from '../../shared/adapters/ssm/ssm-secrets.ts';
import type { CiNotificationDeps } from '../../shared/app/ingress/receive-ci-notification.ts';
import { workerFunctionName } from '../../shared/config/env.ts';
import type { Container } from './container.ts';

/**
 * What both webhook functions run on: their own secret (and the previous one during rotation), the
 * configured repositories, and the hand-off to the worker. Nothing else: no GitHub, no Kubernetes.
 */
export async function ingressDeps(c: Container, secretName: string): Promise<CiNotificationDeps> {
  return {
    secrets: await resolveSecretWithRotation(c.env, secretName),
    repos: new Set(c.config.apps.map((a) => a.repo)),
    invoker: createLambdaInvoker(),
    workerFunctionName: workerFunctionName(c.env),
    logger: c.logger,
    now: () => new Date(),
  };
}
