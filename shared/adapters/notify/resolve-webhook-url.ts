import type { SSMClient } from '@aws-sdk/client-ssm';
import type { SecretRef } from '../../config/common.ts';
import { ValidationError } from '../../errors.ts';
import { readParameter } from '../ssm/ssm-secrets.ts';

/**
 * The webhook URL of a notification target from where the config says it is kept: an environment
 * variable or an SSM SecureString parameter. Errors name the variable or parameter, never the value.
 */
export async function resolveWebhookUrl(
  name: string,
  ref: SecretRef,
  env: NodeJS.ProcessEnv,
  ssm?: Pick<SSMClient, 'send'>,
): Promise<string> {
  if ('env' in ref) {
    const value = env[ref.env];
    if (!value) throw new ValidationError(`notification "${name}": environment variable ${ref.env} is not set`);
    return checkUrl(name, value, `environment variable ${ref.env}`);
  }
  const value = await readParameter(
    ref.ssm,
    (problem) => `notification "${name}": SSM parameter ${ref.ssm} ${problem}`,
    ssm,
  );
  return checkUrl(name, value, `SSM parameter ${ref.ssm}`);
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
