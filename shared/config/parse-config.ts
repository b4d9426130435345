import { parse as parseYaml } from 'yaml';
import type * as z from 'zod/mini';
import { ValidationError } from '../errors.ts';
import { type Config, ConfigSchema } from './schema.ts';

/** `apps[0].environments[1].namespace` from zod's path array. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out ? `.${String(part)}` : String(part);
  }
  return out || '(root)';
}

export function formatIssues(issues: readonly z.core.$ZodIssue[]): string[] {
  return issues.map((issue) => `${formatPath(issue.path)}: ${issue.message}`);
}

/**
 * Parses and validates the YAML text of switchyard.config.yml. Every problem is listed, each naming the
 * path of the bad field, so one run of the operator fixes them all.
 */
export function parseConfig(text: string, source = 'switchyard.config.yml'): Config {
  let raw: unknown;
  try {
    raw = parseYaml(text, { prettyErrors: true });
  } catch (error) {
    throw new ValidationError(`${source} is not valid YAML`, [(error as Error).message], { cause: error });
  }
  const result = ConfigSchema.safeParse(raw ?? {});
  if (!result.success) {
    throw new ValidationError(`${source} is invalid`, formatIssues(result.error.issues));
  }
  return deepFreeze(result.data);
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}
