import type { LoadedConfig } from '../../shared/config/load-config.ts';
import type { Config } from '../../shared/config/schema.ts';
import { type Clock, systemClock } from '../../shared/ports/clock.ts';
import type { LoggerPort } from '../../shared/ports/logger.ts';

/**
 * One part of the wiring: how to build a port or a use case's dependencies from the container. Parts
 * live in their own modules (kube.ts, github.ts, previews.ts, ...) and each function's entry imports
 * only the parts it uses, so its bundle carries only those adapters.
 */
export interface Part<T> {
  readonly name: string;
  build(container: Container): T | Promise<T>;
}

export function part<T>(name: string, build: (container: Container) => T | Promise<T>): Part<T> {
  return { name, build };
}

/**
 * The composition root of one Lambda container (or one sandbox, test or benchmark run). Each part is
 * built on first use and kept for the life of the container; a build that fails (an SSM, EKS or
 * GitHub hiccup at cold start) is not kept, so the next call builds it again instead of failing for
 * as long as the container stays warm.
 */
export interface Container {
  readonly config: Config;
  readonly configPath: string;
  /** The config file's folder: template folders are relative to it. */
  readonly baseDir: string;
  readonly env: NodeJS.ProcessEnv;
  readonly logger: LoggerPort;
  readonly clock: Clock;
  get<T>(part: Part<T>): Promise<T>;
}

export interface ContainerOptions {
  logger: LoggerPort;
  clock?: Clock | undefined;
  /** Parts given ready-made (tests, the sandbox): used instead of building them. */
  overrides?: ReadonlyArray<readonly [Part<unknown>, unknown]> | undefined;
}

/** Builds nothing yet: parts are made when a use case first asks for them. */
export function buildContainer(loaded: LoadedConfig, env: NodeJS.ProcessEnv, options: ContainerOptions): Container {
  const built = new Map<Part<unknown>, Promise<unknown>>();
  for (const [p, value] of options.overrides ?? []) built.set(p, Promise.resolve(value));
  const container: Container = {
    config: loaded.config,
    configPath: loaded.path,
    baseDir: loaded.baseDir,
    env,
    logger: options.logger,
    clock: options.clock ?? systemClock,
    get<T>(p: Part<T>): Promise<T> {
      let value = built.get(p) as Promise<T> | undefined;
      if (!value) {
        value = Promise.resolve().then(() => p.build(container));
        built.set(p, value);
        // Forget a failed build (only if it is still the one kept), so the next call retries it.
        value.catch(() => {
          if (built.get(p) === value) built.delete(p);
        });
      }
      return value;
    },
  };
  return container;
}

/**
 * A port whose real adapter is built on its first call: credentials are then read only by functions
 * that call the port (the status page lists previews without ever reading a GitHub credential).
 */
export function lazyPort<T extends object>(container: Container, p: Part<T>): T {
  return new Proxy({} as T, {
    get(_target, method) {
      // Not a thenable: `await port` must give the port itself.
      if (method === 'then' || typeof method === 'symbol') return undefined;
      return async (...args: unknown[]) => {
        const port = (await container.get(p)) as Record<PropertyKey, (...a: unknown[]) => unknown>;
        return port[method]!(...args);
      };
    },
  });
}
