import { describe, expect, it } from 'vitest';
import { rolloutWaitSeconds } from '../../../shared/app/previews/preview-deps.ts';
import { Keys, PreviewKeys } from '../../../shared/domain/naming.ts';
import {
  claimAnnotations,
  deployedAnnotations,
  isStaleClaim,
  previewFromNamespace,
  previewLabels,
} from '../../../shared/domain/preview/preview-record.ts';
import { summarizeRollouts } from '../../../shared/domain/preview/rollout-summary.ts';
import { record, SHA_A, SHA_B } from './fixtures.ts';

describe('preview record on namespace metadata', () => {
  it('round-trips a claim and a deploy through labels and annotations', () => {
    const annotations = {
      ...claimAnnotations('web', 'acme/web', { sha: SHA_B, eventTime: 't1', image: 'img', branch: 'b', host: 'h' }),
      ...deployedAnnotations(SHA_B, new Date('2026-01-01T00:00:00Z'), ['v1 Service web']),
      [Keys.githubDeploymentId]: '12',
    };
    const clean = Object.fromEntries(Object.entries(annotations).filter(([, v]) => v !== null)) as Record<
      string,
      string
    >;
    const r = previewFromNamespace({
      name: 'pr-7-web',
      labels: previewLabels('web', 7, 'acme/web'),
      annotations: clean,
      resourceVersion: '5',
      createdAt: null,
      deleting: false,
    });
    expect(r).toMatchObject({
      app: 'web',
      pr: 7,
      repo: 'acme/web',
      headSha: SHA_B,
      deployedSha: SHA_B,
      deploymentId: 12,
      rollout: 'progressing',
      reportedSha: null,
    });
    expect(clean[PreviewKeys.image]).toBe('img');
    expect(clean[Keys.lastDeployed]).toBe('2026-01-01T00:00:00.000Z');
  });

  it('ignores namespaces that are not our previews', () => {
    expect(
      previewFromNamespace({
        name: 'kube-system',
        labels: {},
        annotations: {},
        resourceVersion: '1',
        createdAt: null,
        deleting: false,
      }),
    ).toBeNull();
  });

  it('orders claims by event time, never calling the same commit stale', () => {
    const r = record({ headSha: SHA_A, eventTime: '2026-01-02T00:00:00Z' });
    expect(isStaleClaim(r, SHA_B, '2026-01-01T00:00:00Z')).toBe(true);
    expect(isStaleClaim(r, SHA_B, '2026-01-03T00:00:00Z')).toBe(false);
    expect(isStaleClaim(r, SHA_A, '2026-01-01T00:00:00Z')).toBe(false);
    expect(isStaleClaim(null, SHA_A, 'x')).toBe(false);
  });
});

describe('summarizeRollouts', () => {
  const d = (name: string, phase: 'pending' | 'progressing' | 'complete' | 'failed') => ({
    name,
    phase,
    done: phase === 'complete',
    message: phase,
    desired: 1,
    updated: 1,
    available: phase === 'complete' ? 1 : 0,
  });
  it('is failed if any failed, waiting while any is not done, complete otherwise', () => {
    expect(summarizeRollouts([d('a', 'complete'), d('b', 'failed')]).phase).toBe('failed');
    expect(summarizeRollouts([d('a', 'complete'), d('b', 'progressing')]).phase).toBe('progressing');
    expect(summarizeRollouts([d('a', 'complete'), d('b', 'complete')])).toMatchObject({
      phase: 'complete',
      message: 'a 1/1 available, b 1/1 available',
    });
    expect(summarizeRollouts([]).phase).toBe('complete');
  });
});

describe('rolloutWaitSeconds', () => {
  it('uses the configured wait, an override, and never waits past the deadline', () => {
    expect(rolloutWaitSeconds(20, {}, 0)).toBe(20);
    expect(rolloutWaitSeconds(20, { waitSeconds: 5 }, 0)).toBe(5);
    expect(rolloutWaitSeconds(20, { deadline: 7_500 }, 0)).toBe(7);
    expect(rolloutWaitSeconds(20, { deadline: 1_000 }, 5_000)).toBe(0);
  });
});
