import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { ValidationError } from '../errors.ts';
import { parseConfig } from './parse-config.ts';
import type { Config } from './schema.ts';

export interface LoadedConfig {
  config: Config;
  /** Absolute path of the file; template folders are relative to its directory. */
  path: string;
  baseDir: string;
}

let cached: LoadedConfig | undefined;

/** Reads the config once per cold start (`SWITCHYARD_CONFIG` or ./switchyard.config.yml). */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): LoadedConfig {
  const path = resolve(env['SWITCHYARD_CONFIG'] ?? 'switchyard.config.yml');
  if (cached?.path === path) return cached;
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ValidationError(`cannot read the config file ${path}; set SWITCHYARD_CONFIG to its path`, [], {
      cause: error,
    });
  }
  cached = { config: parseConfig(text, path), path, baseDir: dirname(path) };
  return cached;
}

/** Forget the cached config (tests). */
export function resetConfigCache(): void {
  cached = undefined;
}
