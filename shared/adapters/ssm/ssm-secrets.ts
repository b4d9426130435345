import type { SSMClient } from '@aws-sdk/client-ssm';
import { TransientError, ValidationError } from '../../errors.ts';
import { getParameterValue } from './ssm-client.ts';

// Not @aws-lambda-powertools/parameters: its value cache (a TTL) would sit beside the container's own
// rule (kept once, retried after a failure, functions/wiring/container.ts), and one GetParameter call
// is all that is needed. The client is imported statically through ssm-client.ts, which names the one
// command: measured side by side (docs/benchmarks.md), that bundle is 105 KB smaller and loads faster
// than one that defers `import('@aws-sdk/client-ssm')`, which keeps every SSM command.

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
    const value = await getParameterValue(client, parameter);
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
