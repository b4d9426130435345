import { describe, expect, it } from 'vitest';
import { computeDora } from '../../../shared/domain/delivery/dora-metrics.ts';
import { summarizeDeployments } from '../../../shared/domain/delivery/summarize-deployment.ts';
import { at, deployment, T0 } from './fixtures.ts';

const window = { since: new Date(T0), until: new Date(T0 + 10 * 86_400_000) };

describe('computeDora', () => {
  it('counts successful changes per day and measures lead time from the commit to the first success', () => {
    const m = computeDora(
      [
        deployment(
          'a1',
          at(1, 10),
          [
            ['in_progress', at(1, 10)],
            ['success', at(1, 11)],
          ],
          { commitAt: at(1, 8) },
        ),
        deployment(
          'b2',
          at(3, 9),
          [
            ['in_progress', at(3, 9)],
            ['success', at(3, 9, 30)],
            ['inactive', at(4)],
          ],
          {
            commitAt: at(2, 9),
          },
        ),
        deployment(
          'c3',
          at(5, 0),
          [
            ['in_progress', at(5)],
            ['success', at(5, 6)],
          ],
          { commitAt: at(5, 5) },
        ),
        deployment('d4', at(6, 0), [['in_progress', at(6)]], { commitAt: at(6) }),
      ],
      window,
    );
    expect(m.deployments).toEqual({ count: 3, perDay: 0.3 });
    // Lead times 3h, 24.5h and 1h: the median is 3h, the 90th percentile the largest.
    expect(m.leadTime).toEqual({ medianSeconds: 3 * 3600, p90Seconds: 24.5 * 3600, samples: 3 });
    // The pending deployment is neither a success nor a failure yet.
    expect(m.changeFailure).toEqual({ failed: 0, total: 3, rate: 0 });
    expect(m.restore).toEqual({ medianSeconds: null, p90Seconds: null, samples: 0, open: 0 });
    expect(m.timeline.map((t) => t.kind)).toEqual(['success', 'success', 'success', 'pending']);
  });

  it('times a restore by the rollback whose success shares the second it was created in', () => {
    // GitHub's timestamps have one-second resolution: a fast rollback succeeds "at" its own creation.
    const m = computeDora(
      [
        deployment('a1', at(1), [['success', at(1, 1)]]),
        deployment('b2', at(2), [['success', at(2, 1)]]),
        deployment('a1', at(2, 3), [['success', at(2, 3)]], { rollbackOf: 'b2'.padEnd(40, '0') }),
      ],
      window,
    );
    expect(m.changeFailure).toEqual({ failed: 1, total: 2, rate: 0.5 });
    expect(m.restore).toMatchObject({ medianSeconds: 0, samples: 1, open: 0 });
  });

  it('counts failed and rolled-back changes against all finished ones and times the restore', () => {
    const deployments = [
      deployment('a1', at(1), [['success', at(1, 1)]]),
      // Failed at 2d 2h; the fix succeeds at 2d 5h: restored in 3 hours.
      deployment('b2', at(2), [
        ['in_progress', at(2)],
        ['failure', at(2, 2)],
      ]),
      deployment('c3', at(2, 4), [['success', at(2, 5)]]),
      // Released, then found bad: the rollback created at 4d 1h succeeds at 4d 1h 10m.
      deployment('d4', at(4), [['success', at(4, 0, 30)]]),
      deployment('c3', at(4, 1), [['success', at(4, 1, 10)]], { rollbackOf: 'd4'.padEnd(40, '0') }),
    ];
    const m = computeDora(deployments, window);
    expect(m.changeFailure).toEqual({ failed: 2, total: 4, rate: 0.5 });
    expect(m.restore.samples).toBe(2);
    expect(m.restore.medianSeconds).toBe((3 * 3600 + 600) / 2);
    expect(m.rollbacks).toBe(1);
    // The rollback ships nothing new: 3 changes reached production (d4 did, before it was rolled back).
    expect(m.deployments.count).toBe(3);
    expect(m.timeline.map((t) => t.kind)).toEqual(['success', 'failed', 'success', 'rolled-back', 'rollback']);
  });

  it('counts an automatic rollback as restored when it was written, from when the change was deployed', () => {
    const m = computeDora(
      [
        deployment('a1', at(1), [['success', at(1, 1)]]),
        deployment('b2', at(2), [
          ['in_progress', at(2)],
          ['failure', at(2, 0, 20), 'web failed (ProgressDeadlineExceeded); rolled back (automatic rollback)'],
        ]),
        deployment('c3', at(6), [['success', at(6, 1)]]),
      ],
      window,
    );
    expect(m.restore).toMatchObject({ medianSeconds: 20 * 60, samples: 1, open: 0 });
    expect(m.changeFailure).toEqual({ failed: 1, total: 3, rate: 0.3333 });
    expect(m.timeline.map((t) => t.kind)).toEqual(['success', 'rolled-back', 'success']);
  });

  it('leaves a failure not yet restored open', () => {
    const m = computeDora([deployment('a1', at(8), [['error', at(8, 1)]])], window);
    expect(m.restore).toMatchObject({ samples: 0, open: 1, medianSeconds: null });
    expect(m.changeFailure.rate).toBe(1);
  });

  it('ignores deployments outside the window, but lets a later rollback judge one inside', () => {
    const m = computeDora(
      [
        deployment('old', at(-3), [['success', at(-3, 1)]]),
        deployment('in', at(9), [['success', at(9, 1)]]),
        deployment('old', at(11), [['success', at(11, 1)]], { rollbackOf: 'in'.padEnd(40, '0') }),
      ],
      window,
    );
    expect(m.timeline.map((t) => t.sha.slice(0, 3))).toEqual(['in0']);
    expect(m.changeFailure).toEqual({ failed: 1, total: 1, rate: 1 });
    // The restore happened after the window ended: still open as of the window's end.
    expect(m.restore.open).toBe(1);
  });

  it('gives no rates when nothing happened rather than zeros that look like a measurement', () => {
    const m = computeDora([], window);
    expect(m.deployments).toEqual({ count: 0, perDay: 0 });
    expect(m.changeFailure.rate).toBeNull();
    expect(m.leadTime.medianSeconds).toBeNull();
    expect(m.days).toBe(10);
  });

  it('never reports a negative lead time (commit dates come from the committer clock)', () => {
    const m = computeDora([deployment('a1', at(1), [['success', at(1, 1)]], { commitAt: at(1, 2) })], window);
    expect(m.leadTime.medianSeconds).toBe(0);
  });
});

describe('summarizeDeployments', () => {
  it('takes the latest verdict, ignoring inactive, and reads the actor from the audit suffix', () => {
    const [s] = summarizeDeployments([
      deployment('a1', at(1), [
        ['in_progress', at(1), 'Deploying a1 (by alice)'],
        ['success', at(1, 1), 'Released (automatic)'],
        ['inactive', at(2), 'superseded'],
      ]),
    ]);
    // The person who started it names it, not the automatic steps that followed.
    expect(s).toMatchObject({ outcome: 'success', actor: 'alice', succeededAt: Date.parse(at(1, 1)) });
  });

  it('judges a success after a failure (a retry that worked) by the latest verdict', () => {
    const [s] = summarizeDeployments([
      deployment('a1', at(1), [
        ['failure', at(1, 1)],
        ['success', at(1, 2)],
      ]),
    ]);
    expect(s?.outcome).toBe('success');
    expect(s?.failedAt).toBeNull();
  });

  it('orders statuses by time whatever order GitHub listed them in (newest first)', () => {
    const [s] = summarizeDeployments([
      deployment('a1', at(1), [
        ['failure', at(1, 3)],
        ['success', at(1, 1)],
      ]),
    ]);
    expect(s).toMatchObject({ outcome: 'failed', failedAt: Date.parse(at(1, 3)) });
  });
});
