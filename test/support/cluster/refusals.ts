import { type KubeConfig, type KubernetesObject, PatchStrategy } from '@kubernetes/client-node';
import { expect } from 'vitest';
import { objectApi, toKubeError } from '../../../shared/adapters/k8s/apply-objects.ts';
import { AuthError } from '../../../shared/errors.ts';

/**
 * Expects the API server to refuse the call with 403, and the refusal to come from `by`: the name of a
 * ValidatingAdmissionPolicy (so the test fails if that policy is removed, even where RBAC would still
 * refuse something else) or /forbidden: User/ for RBAC. Returns the message.
 */
export async function refused(call: () => Promise<unknown>, by: RegExp): Promise<string> {
  let outcome: unknown;
  try {
    await call();
    outcome = 'allowed';
  } catch (error) {
    outcome = toKubeError(error, 'call');
  }
  if (!(outcome instanceof AuthError)) {
    throw new Error(`expected 403 (${by}), got ${outcome instanceof Error ? outcome.message : String(outcome)}`);
  }
  expect(outcome.message).toMatch(by);
  return outcome.message;
}

/** A policy's refusal, as the API server words it. */
export const byPolicy = (name: string) => new RegExp(`ValidatingAdmissionPolicy '${name}'`);
/** An RBAC refusal (the authorizer, before admission). */
export const byRbac = /forbidden: User "[^"]+" cannot/;

/** Raw writes as one identity; `dryRun` makes the API server run every check and store nothing. */
export function writes(kc: KubeConfig, dryRun = false) {
  const api = objectApi(kc);
  const dry = dryRun ? 'All' : undefined;
  return {
    create: (o: Record<string, unknown>) => api.create(o as KubernetesObject, undefined, dry),
    mergePatch: (o: Record<string, unknown>) =>
      api.patch(o as KubernetesObject, undefined, dry, 'switchyard', undefined, PatchStrategy.MergePatch),
    apply: (o: Record<string, unknown>) =>
      api.patch(o as KubernetesObject, undefined, dry, 'switchyard', true, PatchStrategy.ServerSideApply),
    delete: (o: Record<string, unknown>) => api.delete(o as KubernetesObject, undefined, dry),
  };
}
