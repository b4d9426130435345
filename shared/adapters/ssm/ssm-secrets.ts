import type { SSMClient } from '@aws-sdk/client-ssm';
import { TransientError, ValidationError } from '../../errors.ts';

// Not @aws-lambda-powertools/parameters: its SSM provider imports the SSM client when the module loads,
// and its value cache (a TTL) would sit beside the container's own rule (kept once, retried after a
// failure, functions/wiring/container.ts). One GetParameter call is all that is needed here.
// Loaded only when a secret is configured through SSM: the client costs ~40 ms of a cold start, which
// the webhook functions do not pay when their secrets come from the environment.
const loadSsm = () => import('@aws-sdk/client-ssm');

/**
 * The one SSM read: a SecureString parameter, decrypted. `describe` puts the problem ("does not
 * exist", "is empty", "could not be read") in its caller's words; errors name the parameter, never
 * its value. A missing or empty parameter is a ValidationError (fix the setup), anything else a
 * TransientError (the next call tries again).
 */
export async function readParameter(
  parameter: string,
  describe: (problem: string) => string,
  client?: Pick<SSMClient, 'send'>,
): Promise<string> {
  try {
    const ssm = await loadSsm();
    const res = await (client ?? new ssm.SSMClient({})).send(
      new ssm.GetParameterCommand({ Name: parameter, WithDecryption: true }),
    );
    const value = res.Parameter?.Value;
    if (!value) throw new ValidationError(describe('is empty'));
    return value;
  } catch (error) {
    if (error instanceof ValidationError) throw error;
    if ((error as { name?: string }).name === 'ParameterNotFound') {
      throw new ValidationError(describe('does not exist'), [], { cause: error });
    }
    throw new TransientError(describe('could not be read'), { cause: error });
  }
}

/**
 * Secrets come from the environment (sandbox, tests) or, in AWS, from SSM SecureString parameters
 * read on first use: `<NAME>_SSM=/switchyard/prod/github-webhook-secret`. Keeping them out of the
 * function's environment keeps them out of the console and of CloudFormation templates.
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
  return readParameter(parameter, (problem) => `SSM parameter ${parameter} (for ${name}) ${problem}`, client);
}

/** A required secret and, during rotation, its previous value (`<NAME>_PREVIOUS`). */
export async function resolveSecretWithRotation(env: NodeJS.ProcessEnv, name: string): Promise<string[]> {
  const current = await resolveSecret(env, name);
  if (!current) throw new ValidationError(`secret ${name} is not configured: set ${name} or ${name}_SSM`);
  const previous = await resolveSecret(env, `${name}_PREVIOUS`);
  return previous ? [current, previous] : [current];
}
