import { ValidationError } from '../errors.ts';

/**
 * Reads one required environment variable, failing with the name of what to set. Values are never
 * logged or echoed: only the variable's name appears in errors.
 */
export function requireEnv(env: NodeJS.ProcessEnv, name: string): string {
  const value = env[name];
  if (value === undefined || value === '') {
    throw new ValidationError(`environment variable ${name} is not set`);
  }
  return value;
}

export function workerFunctionName(env: NodeJS.ProcessEnv): string {
  return requireEnv(env, 'WORKER_FUNCTION_NAME');
}

/** The failed-event queue's URL (serverless.yml gives it to the ops function). */
export function failedQueueUrl(env: NodeJS.ProcessEnv): string {
  return requireEnv(env, 'SWITCHYARD_FAILED_QUEUE_URL');
}
