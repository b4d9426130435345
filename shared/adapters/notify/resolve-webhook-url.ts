import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import type { SecretRef } from '../../config/common.ts';
import { TransientError, ValidationError } from '../../errors.ts';

/**
 * The webhook URL of a notification target from where the config says it is kept: an environment
 * variable or an SSM SecureString parameter. Errors name the variable or parameter, never the value.
 */
export async function resolveWebhookUrl(
  name: string,
  ref: SecretRef,
  env: NodeJS.ProcessEnv,
  ssm: Pick<SSMClient, 'send'> = new SSMClient({}),
): Promise<string> {
  if ('env' in ref) {
    const value = env[ref.env];
    if (!value) throw new ValidationError(`notification "${name}": environment variable ${ref.env} is not set`);
    return checkUrl(name, value, `environment variable ${ref.env}`);
  }
  try {
    const res = await ssm.send(new GetParameterCommand({ Name: ref.ssm, WithDecryption: true }));
    const value = res.Parameter?.Value;
    if (!value) throw new ValidationError(`notification "${name}": SSM parameter ${ref.ssm} is empty`);
    return checkUrl(name, value, `SSM parameter ${ref.ssm}`);
  } catch (error) {
    if (error instanceof ValidationError) throw error;
    if ((error as { name?: string }).name === 'ParameterNotFound') {
      throw new ValidationError(`notification "${name}": SSM parameter ${ref.ssm} does not exist`, [], {
        cause: error,
      });
    }
    throw new TransientError(`notification "${name}": could not read SSM parameter ${ref.ssm}`, { cause: error });
  }
}

function checkUrl(name: string, value: string, where: string): string {
  try {
    const url = new URL(value);
    if (url.protocol === 'https:' || url.protocol === 'http:') return value;
  } catch {
    // fall through: the message must not echo the value
  }
  throw new ValidationError(`notification "${name}": ${where} does not hold an http(s) URL`);
}
