import { describe, expect, it } from 'vitest';
import {
  type CheckRunFact,
  type CommitChecks,
  ciVerdict,
  type RequiredChecks,
  type StatusFact,
} from '../../../shared/domain/ci/ci-verdict.ts';
import { onBranchReason, releaseOrder } from '../../../shared/domain/ci/commit-order.ts';
import { imageAllowed, imageRepository } from '../../../shared/domain/ci/image-repository.ts';

const run = (name: string, conclusion: string | null, status = conclusion === null ? 'in_progress' : 'completed') =>
  ({ name, status, conclusion, url: `https://github.com/acme/shop/runs/${name}` }) satisfies CheckRunFact;
const status = (context: string, state: StatusFact['state']) => ({ context, state, url: null }) satisfies StatusFact;
const checks = (runs: CheckRunFact[], statuses: StatusFact[] = [], workflowRuns?: CheckRunFact[]): CommitChecks => ({
  checkRuns: runs,
  statuses,
  ...(workflowRuns ? { workflowRuns } : {}),
});
const ALL: RequiredChecks = { source: 'all' };
const config = (...names: string[]): RequiredChecks => ({ source: 'config', names });
const IGNORE = ['switchyard/', 'codecov/'];

describe('ciVerdict', () => {
  it.each<[string, CommitChecks, RequiredChecks, string]>([
    ['nothing reported yet', checks([]), ALL, 'pending'],
    ['a lone lint success while build runs', checks([run('lint', 'success'), run('build', null)]), ALL, 'pending'],
    [
      'every check and status green',
      checks([run('lint', 'success'), run('build', 'success')], [status('ci/jenkins', 'success')]),
      ALL,
      'success',
    ],
    [
      'neutral and skipped pass, as GitHub counts them',
      checks([run('build', 'success'), run('docs', 'neutral'), run('e2e', 'skipped')]),
      ALL,
      'success',
    ],
    ['one failure fails even while others run', checks([run('build', null), run('lint', 'failure')]), ALL, 'failure'],
    ['timed_out fails', checks([run('build', 'timed_out')]), ALL, 'failure'],
    ['cancelled fails', checks([run('build', 'cancelled')]), ALL, 'failure'],
    ['action_required fails', checks([run('build', 'action_required')]), ALL, 'failure'],
    ['stale fails', checks([run('build', 'stale')]), ALL, 'failure'],
    ['a status error fails', checks([run('build', 'success')], [status('ci/jenkins', 'error')]), ALL, 'failure'],
    ['a pending status waits', checks([run('build', 'success')], [status('ci/jenkins', 'pending')]), ALL, 'pending'],
    ['queued is not complete', checks([run('build', null, 'queued')]), ALL, 'pending'],
    [
      'only our own statuses: nothing yet',
      checks([], [status('switchyard/release/staging', 'success')]),
      ALL,
      'pending',
    ],
    [
      'our own failure never counts',
      checks([run('build', 'success')], [status('switchyard/preview', 'failure')]),
      ALL,
      'success',
    ],
    [
      'an ignored context never counts',
      checks([run('build', 'success')], [status('codecov/patch', 'failure')]),
      ALL,
      'success',
    ],
    [
      'required build green, lint still running',
      checks([run('build', 'success'), run('lint', null)]),
      config('build'),
      'success',
    ],
    ['required check missing', checks([run('lint', 'success')]), config('build'), 'pending'],
    [
      'required check is a status context',
      checks([], [status('ci/jenkins', 'success')]),
      config('ci/jenkins'),
      'success',
    ],
    [
      'a failure outside the required set does not block',
      checks([run('build', 'success'), run('flaky', 'failure')]),
      config('build'),
      'success',
    ],
    ['a required failure fails', checks([run('build', 'failure')]), config('build', 'lint'), 'failure'],
    [
      'a required workflow by name',
      checks([run('test (ubuntu)', 'success')], [], [run('CI', 'success')]),
      config('CI'),
      'success',
    ],
    [
      'a required workflow still running',
      checks([run('test (ubuntu)', 'success')], [], [run('CI', null)]),
      config('CI'),
      'pending',
    ],
    [
      'branch rules like the config',
      checks([run('build', 'success')]),
      { source: 'branch', names: ['build'] },
      'success',
    ],
  ])('%s -> %s', (_what, input, required, expected) => {
    expect(ciVerdict(input, required, IGNORE).state).toBe(expected);
  });

  it('names what failed, with its link, and what it waits for', () => {
    expect(ciVerdict(checks([run('lint', 'failure')]), ALL, IGNORE)).toEqual({
      state: 'failure',
      reason: 'check "lint" failed',
      failed: 'lint',
      url: 'https://github.com/acme/shop/runs/lint',
    });
    expect(ciVerdict(checks([run('lint', 'success')]), config('build', 'lint', 'e2e'), IGNORE)).toMatchObject({
      state: 'pending',
      waitingFor: ['build', 'e2e'],
    });
  });
});

describe('commit order (GitHub compare)', () => {
  it.each([
    ['identical', null],
    ['behind', null],
    ['ahead', 'aaaaaaa is not on main (ahead of its head)'],
    ['diverged', 'aaaaaaa is not on main (diverged from its head)'],
    [null, 'aaaaaaa is not on main (GitHub knows no such commit or branch)'],
  ] as const)('compare(main...sha) %s -> on the branch unless %s', (s, reason) => {
    expect(onBranchReason(s, 'a'.repeat(40), 'main')).toBe(reason);
  });

  it.each([
    ['ahead', true],
    ['identical', false],
    ['behind', false],
    ['diverged', false],
    [null, false],
  ] as const)('compare(released...candidate) %s -> deploy %s', (s, deploy) => {
    expect(releaseOrder(s, 'a'.repeat(40), 'b'.repeat(40)).deploy).toBe(deploy);
  });
});

describe('image repositories', () => {
  it.each([
    ['registry.example.com/shop/web:abc', 'registry.example.com/shop/web'],
    ['registry.example.com:5000/shop/web:abc', 'registry.example.com:5000/shop/web'],
    [`registry.example.com/shop/web@sha256:${'e'.repeat(64)}`, 'registry.example.com/shop/web'],
    ['nginx:1.27', 'docker.io/library/nginx'],
    ['someone/else:latest', 'docker.io/someone/else'],
    ['docker.io/someone/else:latest', 'docker.io/someone/else'],
    ['index.docker.io/someone/else', 'docker.io/someone/else'],
    ['localhost/shop:1', 'localhost/shop'],
  ])('%s is in %s', (image, repo) => {
    expect(imageRepository(image)).toBe(repo);
  });

  it('allows only the listed repositories, never a lookalike', () => {
    const allowed = ['registry.example.com/shop/web'];
    expect(imageAllowed('registry.example.com/shop/web:1', allowed)).toBe(true);
    expect(imageAllowed('registry.example.com/shop/web-evil:1', allowed)).toBe(false);
    expect(imageAllowed('registry.example.com/shop/web/extra:1', allowed)).toBe(false);
    expect(imageAllowed('evil.example.com/registry.example.com/shop/web:1', allowed)).toBe(false);
    expect(imageAllowed('docker.io/someone/else:latest', allowed)).toBe(false);
  });
});
