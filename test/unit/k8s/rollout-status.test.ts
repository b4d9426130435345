import { describe, expect, it } from 'vitest';
import { type DeploymentLike, rolloutStatus } from '../../../shared/domain/rollout-status.ts';

// Shapes as the API server returns them (status fields are omitempty: zero counts are absent).
const fresh: DeploymentLike = { metadata: { generation: 1 }, spec: { replicas: 3 } };

describe('rolloutStatus', () => {
  it('waits while the controller has not observed the new generation', () => {
    const d: DeploymentLike = {
      metadata: { generation: 2 },
      spec: { replicas: 3 },
      status: { observedGeneration: 1, replicas: 3, updatedReplicas: 3, availableReplicas: 3 },
    };
    expect(rolloutStatus(d)).toMatchObject({ phase: 'pending', done: false });
    expect(rolloutStatus(fresh).message).toBe('Waiting for deployment spec update to be observed...');
  });

  it('fails on ProgressDeadlineExceeded before looking at counts', () => {
    const d: DeploymentLike = {
      metadata: { generation: 1 },
      spec: { replicas: 2 },
      status: {
        observedGeneration: 1,
        replicas: 2,
        updatedReplicas: 2,
        conditions: [
          { type: 'Available', status: 'False', reason: 'MinimumReplicasUnavailable' },
          {
            type: 'Progressing',
            status: 'False',
            reason: 'ProgressDeadlineExceeded',
            message: 'ReplicaSet "web-5d9c" has timed out progressing.',
          },
        ],
      },
    };
    const s = rolloutStatus(d);
    expect(s.phase).toBe('failed');
    expect(s.done).toBe(false);
    expect(s.message).toContain('has timed out progressing');
  });

  it('reports updated, old and available replicas in kubectl order', () => {
    const base = { metadata: { generation: 4 }, spec: { replicas: 3 } };
    expect(rolloutStatus({ ...base, status: { observedGeneration: 4, replicas: 4, updatedReplicas: 1 } }).message).toBe(
      'Waiting for deployment rollout to finish: 1 out of 3 new replicas have been updated...',
    );
    expect(
      rolloutStatus({
        ...base,
        status: { observedGeneration: 4, replicas: 5, updatedReplicas: 3, availableReplicas: 4 },
      }).message,
    ).toBe('Waiting for deployment rollout to finish: 2 old replicas are pending termination...');
    expect(
      rolloutStatus({
        ...base,
        status: { observedGeneration: 4, replicas: 3, updatedReplicas: 3, availableReplicas: 1 },
      }),
    ).toMatchObject({
      phase: 'progressing',
      message: 'Waiting for deployment rollout to finish: 1 of 3 updated replicas are available...',
      desired: 3,
      updated: 3,
      available: 1,
    });
  });

  it('is complete when all desired replicas are updated and available', () => {
    const d: DeploymentLike = {
      metadata: { generation: 4 },
      spec: { replicas: 3 },
      status: {
        observedGeneration: 4,
        replicas: 3,
        updatedReplicas: 3,
        availableReplicas: 3,
        conditions: [{ type: 'Progressing', status: 'True', reason: 'NewReplicaSetAvailable' }],
      },
    };
    expect(rolloutStatus(d)).toEqual({
      phase: 'complete',
      done: true,
      message: 'successfully rolled out',
      desired: 3,
      updated: 3,
      available: 3,
    });
  });

  it('treats a Deployment scaled to zero as complete once observed, and absent replicas as 1', () => {
    expect(
      rolloutStatus({ metadata: { generation: 2 }, spec: { replicas: 0 }, status: { observedGeneration: 2 } }).done,
    ).toBe(true);
    expect(rolloutStatus({ metadata: { generation: 1 }, spec: {}, status: { observedGeneration: 1 } })).toMatchObject({
      done: false,
      desired: 1,
    });
  });
});
