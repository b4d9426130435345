import { describe, expect, it } from 'vitest';
import { IntentSchema } from '../../../shared/domain/intents.ts';
import { normalizeGitHubEvent } from '../../../shared/domain/webhook/normalize-github-event.ts';
import { ValidationError } from '../../../shared/errors.ts';
import { EXAMPLE_REPO, webhookExamples } from '../../support/webhook-examples.ts';

const ctx = (event: string, repos: string[] = [EXAMPLE_REPO]) => ({
  event,
  deliveryId: 'd-1',
  receivedAt: '2026-11-22T00:00:00.000Z',
  repos: new Set(repos),
  ignoreStatusContexts: ['ignored-ci'],
});

// Every example of every event we read, so a payload GitHub users recorded can never crash the ingress.
describe.each(['pull_request', 'check_suite', 'check_run', 'status', 'workflow_run', 'push'])(
  'normalizeGitHubEvent(%s)',
  (event) => {
    it.each(webhookExamples(event).map((p, i) => [i, p] as const))(
      'example %i yields valid intents or a reason',
      (_i, payload) => {
        const repo = (payload['repository'] as { full_name: string }).full_name;
        const out = normalizeGitHubEvent(payload, ctx(event, [repo]));
        if ('intents' in out) {
          expect(out.intents.length).toBeGreaterThan(0);
          for (const intent of out.intents) expect(IntentSchema.parse(intent)).toEqual(intent);
        } else {
          expect(out.ignored).toMatch(/\w/);
        }
      },
    );
  },
);

describe('normalizeGitHubEvent pull_request', () => {
  const byAction = (action: string) => webhookExamples('pull_request').find((p) => p.action === action)!;

  it.each([
    'opened',
    'reopened',
    'synchronize',
    'closed',
    'labeled',
    'unlabeled',
    'ready_for_review',
    'converted_to_draft',
  ])('keeps %s', (action) => {
    const out = normalizeGitHubEvent(byAction(action), ctx('pull_request'));
    expect('intents' in out && out.intents[0]).toMatchObject({
      kind: 'pull_request',
      action,
      pr: 2,
      repo: EXAMPLE_REPO,
    });
  });

  it.each(['assigned', 'locked', 'review_requested'])('ignores %s with a reason', (action) => {
    expect(normalizeGitHubEvent(byAction(action), ctx('pull_request'))).toEqual({
      ignored: `pull_request action "${action}" does not change a preview`,
    });
  });

  it('tells a merge from a close', () => {
    const closed = byAction('closed');
    const merged = structuredClone(closed);
    (merged['pull_request'] as Record<string, unknown>)['merged'] = true;
    const a = normalizeGitHubEvent(closed, ctx('pull_request'));
    const b = normalizeGitHubEvent(merged, ctx('pull_request'));
    expect('intents' in a && a.intents[0]).toMatchObject({ action: 'closed', merged: false });
    expect('intents' in b && b.intents[0]).toMatchObject({ action: 'closed', merged: true });
  });

  it('marks a PR from another repository, or from a deleted fork, as a fork', () => {
    const p = byAction('opened');
    const pr = p['pull_request'] as { head: { repo: { full_name: string } | null } };
    pr.head.repo = { full_name: 'someone/Hello-World' };
    const fork = normalizeGitHubEvent(p, ctx('pull_request'));
    pr.head.repo = null;
    const gone = normalizeGitHubEvent(p, ctx('pull_request'));
    expect('intents' in fork && fork.intents[0]).toMatchObject({ fork: true, headRepo: 'someone/Hello-World' });
    expect('intents' in gone && gone.intents[0]).toMatchObject({ fork: true, headRepo: null });
  });

  it('carries the label of labeled events', () => {
    const out = normalizeGitHubEvent(byAction('labeled'), ctx('pull_request'));
    expect('intents' in out && out.intents[0]).toMatchObject({ label: 'bug' });
  });

  it('drops repositories no app is configured for', () => {
    expect(normalizeGitHubEvent(byAction('opened'), ctx('pull_request', ['acme/other']))).toEqual({
      ignored: `repository ${EXAMPLE_REPO} is not configured for any app`,
    });
  });

  it('rejects a payload without the shape its event promises', () => {
    expect(() => normalizeGitHubEvent({ action: 'opened' }, ctx('pull_request'))).toThrow(ValidationError);
  });
});

describe('normalizeGitHubEvent CI results', () => {
  it('turns a successful check_suite into a ci_result with its PRs and branch', () => {
    const p = webhookExamples('check_suite').find((x) => x.action === 'completed')!;
    const out = normalizeGitHubEvent(p, ctx('check_suite'));
    expect('intents' in out && out.intents[0]).toMatchObject({
      kind: 'ci_result',
      source: 'check_suite',
      result: 'success',
      sha: 'ec26c3e57ca3a959ca5aad62de7213c562f8c821',
      branch: 'changes',
      prs: [2],
    });
  });

  it.each([
    ['failure', 'failure'],
    ['timed_out', 'failure'],
    ['cancelled', 'failure'],
    ['action_required', 'failure'],
  ])('maps check_suite conclusion %s to %s', (conclusion, result) => {
    const p = webhookExamples('check_suite').find((x) => x.action === 'completed')!;
    (p['check_suite'] as Record<string, unknown>)['conclusion'] = conclusion;
    const out = normalizeGitHubEvent(p, ctx('check_suite'));
    expect('intents' in out && out.intents[0]).toMatchObject({ result });
  });

  it.each(['neutral', 'skipped', null])('says nothing for conclusion %s', (conclusion) => {
    const p = webhookExamples('check_suite').find((x) => x.action === 'completed')!;
    (p['check_suite'] as Record<string, unknown>)['conclusion'] = conclusion;
    expect(normalizeGitHubEvent(p, ctx('check_suite'))).toHaveProperty('ignored');
  });

  it('never counts our own status contexts as CI', () => {
    const p = webhookExamples('status')[0]!;
    p['context'] = 'switchyard/preview';
    expect(normalizeGitHubEvent(p, ctx('status'))).toEqual({ ignored: 'status context "switchyard/preview" is ours' });
  });

  it('skips contexts the config ignores and pending statuses', () => {
    const p = webhookExamples('status')[0]!;
    p['context'] = 'ignored-ci';
    expect(normalizeGitHubEvent(p, ctx('status'))).toHaveProperty('ignored');
    p['context'] = 'ci/build';
    p['state'] = 'pending';
    expect(normalizeGitHubEvent(p, ctx('status'))).toHaveProperty('ignored');
  });

  it('names the branch of a status only when the commit is that branch head', () => {
    const p = webhookExamples('status')[0]!;
    const out = normalizeGitHubEvent(p, ctx('status'));
    // The example commit is the head of none of the listed branches.
    expect('intents' in out && out.intents[0]).toMatchObject({ branch: null, result: 'success', name: 'default' });
    (p['branches'] as Array<{ commit: { sha: string } }>)[1]!.commit.sha = p['sha'] as string;
    const out2 = normalizeGitHubEvent(p, ctx('status'));
    expect('intents' in out2 && out2.intents[0]).toMatchObject({ branch: 'changes' });
  });

  it('turns a completed workflow_run into a ci_result', () => {
    const p = webhookExamples('workflow_run').find(
      (x) => (x['workflow_run'] as { conclusion: unknown }).conclusion === 'success',
    );
    const q = p ?? webhookExamples('workflow_run')[0]!;
    (q['workflow_run'] as Record<string, unknown>)['conclusion'] = 'success';
    q['action'] = 'completed';
    const out = normalizeGitHubEvent(q, ctx('workflow_run', [(q['repository'] as { full_name: string }).full_name]));
    expect('intents' in out && out.intents[0]).toMatchObject({
      kind: 'ci_result',
      source: 'workflow_run',
      result: 'success',
    });
  });
});

describe('normalizeGitHubEvent push', () => {
  it('keeps branch pushes and drops tags', () => {
    const pushes = webhookExamples('push');
    const branch = pushes.find((p) => p['ref'] === 'refs/heads/master')!;
    const tag = pushes.find((p) => p['ref'] === 'refs/tags/simple-tag')!;
    const out = normalizeGitHubEvent(branch, ctx('push'));
    expect('intents' in out && out.intents[0]).toMatchObject({ kind: 'push', branch: 'master', deleted: false });
    expect(normalizeGitHubEvent(tag, ctx('push'))).toEqual({ ignored: 'push to refs/tags/simple-tag is not a branch' });
  });

  it('ignores events it does not act on', () => {
    expect(normalizeGitHubEvent({}, ctx('issues'))).toEqual({
      ignored: 'event "issues" is not one switchyard acts on',
    });
  });
});

describe('normalizeGitHubEvent: release signals (issue #10)', () => {
  const completed = (event: 'check_suite' | 'workflow_run') =>
    webhookExamples(event).find((p) => p['action'] === 'completed')!;

  it('records where a workflow run and a check suite took their code from', () => {
    const wf = completed('workflow_run');
    const run = wf['workflow_run'] as Record<string, unknown>;
    run['head_repository'] = { full_name: 'forker/hello-world' };
    run['head_branch'] = 'main';
    run['conclusion'] = 'success';
    const out = normalizeGitHubEvent(wf, ctx('workflow_run', [(wf['repository'] as { full_name: string }).full_name]));
    expect('intents' in out && out.intents[0]).toMatchObject({ headRepo: 'forker/hello-world', branch: 'main' });

    const suite = completed('check_suite');
    (suite['check_suite'] as Record<string, unknown>)['head_repository'] = null;
    const fromDeleted = normalizeGitHubEvent(suite, ctx('check_suite'));
    expect('intents' in fromDeleted && fromDeleted.intents[0]).toMatchObject({ headRepo: null });
    // Absent in the payload: unknown, not a fork (GitHub's own history decides).
    delete (suite['check_suite'] as Record<string, unknown>)['head_repository'];
    const unknown = normalizeGitHubEvent(suite, ctx('check_suite'));
    expect('intents' in unknown && unknown.intents[0] && 'headRepo' in unknown.intents[0]).toBe(false);
  });

  it.each(webhookExamples('merge_group').map((p, i) => [i, p] as const))(
    'never takes merge_group example %i as a release signal',
    (_i, payload) => {
      const repo = (payload['repository'] as { full_name: string }).full_name;
      expect(normalizeGitHubEvent(payload, ctx('merge_group', [repo]))).toEqual({
        ignored: expect.stringMatching(/merge_group events are never release signals/),
      });
    },
  );

  it('ignores pushes to and checks on merge queue branches', () => {
    const push = webhookExamples('push').find((p) => String(p['ref']).startsWith('refs/heads/'))!;
    push['ref'] = 'refs/heads/gh-readonly-queue/main/pr-7-0123456789abcdef0123456789abcdef01234567';
    expect(normalizeGitHubEvent(push, ctx('push'))).toEqual({ ignored: expect.stringMatching(/merge queue branch/) });
    const suite = completed('check_suite');
    (suite['check_suite'] as Record<string, unknown>)['head_branch'] = 'gh-readonly-queue/main/pr-7-abc';
    expect(normalizeGitHubEvent(suite, ctx('check_suite'))).toEqual({
      ignored: expect.stringMatching(/merge queue branch/),
    });
  });

  it('matches the repository ignoring case, as GitHub does, and hands on the configured spelling', () => {
    const suite = completed('check_suite');
    const out = normalizeGitHubEvent(suite, ctx('check_suite', [EXAMPLE_REPO.toUpperCase()]));
    expect('intents' in out && out.intents[0]?.repo).toBe(EXAMPLE_REPO.toUpperCase());
  });
});
