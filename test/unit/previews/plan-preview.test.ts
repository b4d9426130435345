import { describe, expect, it } from 'vitest';
import { planCiResult, planPullRequest } from '../../../shared/domain/preview/plan-preview.ts';
import type { PolicyDecision } from '../../../shared/domain/preview/preview-policy.ts';
import { APP, ciIntent, pr, prIntent, record, SHA_A, SHA_B } from './fixtures.ts';

const allow: PolicyDecision = { allow: true };

describe('planPullRequest', () => {
  it('waits for CI on the fresh head when CI has not passed yet', () => {
    const plan = planPullRequest({
      app: APP,
      intent: prIntent(),
      pr: pr(),
      decision: allow,
      record: null,
      ciState: 'pending',
    });
    expect(plan.steps).toEqual([{ kind: 'await-ci', sha: SHA_B }]);
  });

  it('deploys at once when CI already passed for the head (reopened PR)', () => {
    const plan = planPullRequest({
      app: APP,
      intent: prIntent({ action: 'reopened' }),
      pr: pr(),
      decision: allow,
      record: null,
      ciState: 'success',
    });
    expect(plan.steps).toEqual([
      {
        kind: 'deploy',
        sha: SHA_B,
        image: `registry/web:${SHA_B}`,
        branch: 'feature/login',
        eventTime: '2026-01-02T00:00:00Z',
      },
    ]);
  });

  it('acts on the PR as GitHub says it is now, not on the event (late synchronize of an older commit)', () => {
    const plan = planPullRequest({
      app: APP,
      intent: prIntent({ headSha: SHA_A }),
      pr: pr({ headSha: SHA_B }),
      decision: allow,
      record: record({ headSha: SHA_B, deployedSha: SHA_B }),
      ciState: null,
    });
    expect(plan.steps).toEqual([]);
    expect(plan.skipped).toMatch(/already deployed/);
  });

  it('tears down on merge even when the event said something else', () => {
    const plan = planPullRequest({
      app: APP,
      intent: prIntent(),
      pr: pr({ state: 'closed', merged: true }),
      decision: null,
      record: record(),
      ciState: null,
    });
    expect(plan.steps).toEqual([{ kind: 'teardown', reason: 'merged', merged: true }]);
  });

  it('does nothing for a closed PR without a preview, and keeps a reopened one when the close is stale', () => {
    expect(
      planPullRequest({
        app: APP,
        intent: prIntent({ action: 'closed' }),
        pr: pr({ state: 'closed' }),
        decision: null,
        record: null,
        ciState: null,
      }).steps,
    ).toEqual([]);
    expect(
      planPullRequest({
        app: APP,
        intent: prIntent({ action: 'closed' }),
        pr: pr(),
        decision: allow,
        record: record({ headSha: SHA_B, deployedSha: SHA_B }),
        ciState: null,
      }).steps,
    ).toEqual([]);
  });

  it('refuses forks with an explanation, and removes a preview when the opt-out label arrives', () => {
    const fork: PolicyDecision = {
      allow: false,
      code: 'fork',
      reason: 'pull requests from forks get no preview',
      teardown: true,
    };
    expect(
      planPullRequest({ app: APP, intent: prIntent(), pr: pr(), decision: fork, record: null, ciState: null }).steps,
    ).toEqual([{ kind: 'refuse', sha: SHA_B, reason: 'pull requests from forks get no preview' }]);
    const optOut: PolicyDecision = { allow: false, code: 'opt-out', reason: 'no-preview label', teardown: true };
    expect(
      planPullRequest({ app: APP, intent: prIntent(), pr: pr(), decision: optOut, record: record(), ciState: null })
        .steps,
    ).toEqual([{ kind: 'teardown', reason: 'no-preview label', merged: false }]);
    const draft: PolicyDecision = { allow: false, code: 'draft', reason: 'draft', teardown: true };
    expect(
      planPullRequest({ app: APP, intent: prIntent(), pr: pr(), decision: draft, record: null, ciState: null }).steps,
    ).toEqual([]);
  });

  it('reports a CI failure of the head', () => {
    const plan = planPullRequest({
      app: APP,
      intent: prIntent(),
      pr: pr(),
      decision: allow,
      record: record(),
      ciState: 'failure',
    });
    expect(plan.steps).toEqual([{ kind: 'ci-failed', sha: SHA_B, url: null, check: null }]);
  });
});

describe('planCiResult', () => {
  it('deploys the head once CI passed, with the image CI built', () => {
    const plan = planCiResult({
      app: APP,
      intent: ciIntent({ image: 'registry/web:custom' }),
      pr: pr(),
      decision: allow,
      record: record(),
      ciState: null,
    });
    expect(plan.steps).toEqual([
      {
        kind: 'deploy',
        sha: SHA_B,
        image: 'registry/web:custom',
        branch: 'feature/login',
        eventTime: '2026-01-02T00:10:00Z',
      },
    ]);
  });

  it('never deploys a commit that is no longer the PR head', () => {
    const plan = planCiResult({
      app: APP,
      intent: ciIntent({ sha: SHA_A }),
      pr: pr(),
      decision: allow,
      record: null,
      ciState: null,
    });
    expect(plan.steps).toEqual([]);
    expect(plan.skipped).toMatch(/no longer the head/);
  });

  it('changes nothing on a redelivery of the CI result that was deployed', () => {
    const plan = planCiResult({
      app: APP,
      intent: ciIntent(),
      pr: pr(),
      decision: allow,
      record: record({ headSha: SHA_B, deployedSha: SHA_B }),
      ciState: null,
    });
    expect(plan.steps).toEqual([]);
  });

  it('retries the apply of a claimed but not deployed commit (the API server failed mid-apply)', () => {
    const plan = planCiResult({
      app: APP,
      intent: ciIntent(),
      pr: pr(),
      decision: allow,
      record: record({ headSha: SHA_B, deployedSha: SHA_A, eventTime: '2026-01-02T00:10:00Z' }),
      ciState: null,
    });
    expect(plan.steps.map((s) => s.kind)).toEqual(['deploy']);
  });

  it('refuses an event older than the claim of another commit', () => {
    const plan = planCiResult({
      app: APP,
      intent: ciIntent({ eventTime: '2026-01-01T00:00:00Z' }),
      pr: pr(),
      decision: allow,
      record: record({ headSha: 'c'.repeat(40), eventTime: '2026-01-03T00:00:00Z' }),
      ciState: null,
    });
    expect(plan.steps).toEqual([]);
    expect(plan.skipped).toMatch(/newer event/);
  });

  it('waits when a single check passed but others still run, and fails on a failed result', () => {
    expect(
      planCiResult({
        app: APP,
        intent: ciIntent({ source: 'check_suite' }),
        pr: pr(),
        decision: allow,
        record: null,
        ciState: 'pending',
      }).steps,
    ).toEqual([]);
    expect(
      planCiResult({
        app: APP,
        intent: ciIntent({ result: 'failure' }),
        pr: pr(),
        decision: allow,
        record: record(),
        ciState: null,
      }).steps,
    ).toEqual([{ kind: 'ci-failed', sha: SHA_B, url: 'https://ci.example.test/run/1', check: 'build' }]);
  });

  it('ignores closed PRs and PRs the policy refuses', () => {
    expect(
      planCiResult({
        app: APP,
        intent: ciIntent(),
        pr: pr({ state: 'closed' }),
        decision: null,
        record: null,
        ciState: null,
      }).steps,
    ).toEqual([]);
    const fork: PolicyDecision = { allow: false, code: 'fork', reason: 'fork', teardown: true };
    expect(
      planCiResult({ app: APP, intent: ciIntent(), pr: pr(), decision: fork, record: null, ciState: null }).steps,
    ).toEqual([]);
  });
});
