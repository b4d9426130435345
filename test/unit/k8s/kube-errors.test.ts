import { ApiException } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { FieldConflictError, toKubeError } from '../../../shared/adapters/k8s/kube-errors.ts';
import { AuthError, ConflictError, NotFoundError, TransientError, ValidationError } from '../../../shared/errors.ts';

// Status bodies as kube-apiserver v1.35 sends them.
const applyConflict = {
  kind: 'Status',
  apiVersion: 'v1',
  status: 'Failure',
  message: 'Apply failed with 1 conflict: conflict with "kubectl-edit" using apps/v1: .spec.replicas',
  reason: 'Conflict',
  details: {
    causes: [
      { type: 'FieldManagerConflict', message: 'conflict with "kubectl-edit" using apps/v1', field: '.spec.replicas' },
    ],
  },
  code: 409,
};
const staleWrite = {
  kind: 'Status',
  apiVersion: 'v1',
  status: 'Failure',
  message:
    'Operation cannot be fulfilled on namespaces "pr-1-web": the object has been modified; please apply your changes to the latest version and try again',
  reason: 'Conflict',
  details: { name: 'pr-1-web', kind: 'namespaces' },
  code: 409,
};

const api = (code: number, body: unknown) => new ApiException(code, 'Unsuccessful HTTP Request', body, {});

describe('toKubeError', () => {
  it('names the conflicting field manager and fields of an apply conflict', () => {
    const e = toKubeError(api(409, JSON.stringify(applyConflict)), 'apply Deployment ns/web');
    expect(e).toBeInstanceOf(FieldConflictError);
    expect(e).toBeInstanceOf(ConflictError);
    expect((e as FieldConflictError).managers).toEqual(['kubectl-edit']);
    expect((e as FieldConflictError).fields).toEqual(['.spec.replicas']);
    expect(e.message).toContain('"kubectl-edit"');
    expect(e.retryable).toBe(true);
  });

  it('maps a stale resourceVersion to a plain ConflictError', () => {
    const e = toKubeError(api(409, staleWrite), 'write');
    expect(e).toBeInstanceOf(ConflictError);
    expect(e).not.toBeInstanceOf(FieldConflictError);
    expect(e.message).toContain('the object has been modified');
  });

  it('maps 404, 422, 403 and 5xx by status code', () => {
    expect(toKubeError(api(404, { message: 'deployments.apps "x" not found' }), 'read')).toBeInstanceOf(NotFoundError);
    const invalid = toKubeError(
      api(422, { message: 'invalid', details: { causes: [{ field: 'metadata.name', message: 'Invalid value' }] } }),
      'apply',
    );
    expect(invalid).toBeInstanceOf(ValidationError);
    expect((invalid as ValidationError).issues).toEqual(['metadata.name Invalid value']);
    expect(toKubeError(api(403, { message: 'forbidden' }), 'apply')).toBeInstanceOf(AuthError);
    expect(toKubeError(api(503, 'upstream connect error'), 'apply')).toBeInstanceOf(TransientError);
    expect(toKubeError(api(429, { message: 'too many requests' }), 'apply')).toBeInstanceOf(TransientError);
  });

  it('maps refused connections and timeouts to TransientError', () => {
    const refused = new TypeError('fetch failed', {
      cause: Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' }),
    });
    const timeout = new DOMException('The operation was aborted due to timeout', 'TimeoutError');
    expect(toKubeError(refused, 'list')).toBeInstanceOf(TransientError);
    expect(toKubeError(timeout, 'watch')).toBeInstanceOf(TransientError);
    expect(toKubeError(refused, 'list').message).toContain('unreachable');
  });
});
