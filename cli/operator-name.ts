import { userInfo } from 'node:os';

/**
 * The name the CLI records as the actor of promote and rollback: SWITCHYARD_ACTOR (CI jobs set it,
 * e.g. to GITHUB_ACTOR), else the login of the OS user. It is declared, not proven: who may act is
 * decided by lambda:InvokeFunction on the ops function, and CloudTrail records the IAM principal.
 */
export function operatorName(env: NodeJS.ProcessEnv): string | null {
  const declared = env['SWITCHYARD_ACTOR']?.trim();
  if (declared) return declared;
  try {
    return userInfo().username || null;
  } catch {
    // No passwd entry (some containers): the action is recorded without a name.
    return null;
  }
}
