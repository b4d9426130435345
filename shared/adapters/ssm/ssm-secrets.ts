import type { SSMClient } from '@aws-sdk/client-ssm';
import { TransientError, ValidationError } from '../../errors.ts';

// Loaded only when a secret is configured through SSM: the client costs ~40 ms of a cold start, which
// the webhook functions do not pay when their secrets come from the environment.
const loadSsm = () => import('@aws-sdk/client-ssm');

/**
 * Secrets come from the environment (sandbox, tests) or, in AWS, from SSM SecureString parameters
 * read once per cold start: `<NAME>_SSM=/switchyard/prod/github-webhook-secret`. Keeping them out of
 * the function's environment keeps them out of the console and of CloudFormation templates.
 */
export async function resolveSecret(
  env: NodeJS.ProcessEnv,
  name: string,
  client?: Pick<SSMClient, 'send'>,
): Promise<string | undefined> {
  const direct = env[name];
  if (direct) return direct;
  const parameter = env[`${name}_SSM`];
  if (!parameter) return undefined;
  try {
    const ssm = await loadSsm();
    const res = await (client ?? new ssm.SSMClient({})).send(
      new ssm.GetParameterCommand({ Name: parameter, WithDecryption: true }),
    );
    const value = res.Parameter?.Value;
    if (!value) throw new ValidationError(`SSM parameter ${parameter} (for ${name}) is empty`);
    return value;
  } catch (error) {
    if (error instanceof ValidationError) throw error;
    if ((error as { name?: string }).name === 'ParameterNotFound') {
      throw new ValidationError(`SSM parameter ${parameter} (for ${name}) does not exist`, [], { cause: error });
    }
    throw new TransientError(`could not read SSM parameter ${parameter} (for ${name})`, { cause: error });
  }
}

/** A required secret and, during rotation, its previous value (`<NAME>_PREVIOUS`). */
export async function resolveSecretWithRotation(env: NodeJS.ProcessEnv, name: string): Promise<string[]> {
  const current = await resolveSecret(env, name);
  if (!current) throw new ValidationError(`secret ${name} is not configured: set ${name} or ${name}_SSM`);
  const previous = await resolveSecret(env, `${name}_PREVIOUS`);
  return previous ? [current, previous] : [current];
}
