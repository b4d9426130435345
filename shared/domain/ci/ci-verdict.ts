/**
 * One CI verdict per commit, shared by previews and releases. A webhook about one check is only a hint
 * that something changed: the verdict is always computed from everything GitHub reports for the SHA.
 *
 * Rules (docs/releases.md, "What counts as tested"):
 * - Required checks come from the environment's `requiredChecks`, else the branch's required status
 *   checks (branch protection and rulesets), else every check run and status on the commit.
 * - A required name matches a check run name, a status context or a workflow name.
 * - Passing conclusions are `success`, `neutral` and `skipped`, as GitHub counts them for required
 *   checks (https://docs.github.com/repositories/configuring-branches-and-merges-in-your-repository/managing-protected-branches/troubleshooting-required-status-checks);
 *   `failure`, `timed_out`, `cancelled`, `action_required`, `startup_failure` and `stale` fail.
 * - Contexts starting with an ignored prefix (switchyard's own `switchyard/...`) never count.
 */

/**
 * The name a signed CI notification counts under in the delivery that carries it (teams whose CI
 * reports only to switchyard list it in `requiredChecks`; with no required list it is one more check).
 */
export const CI_NOTIFICATION_CHECK = 'ci-notification';

export interface CheckRunFact {
  name: string;
  /** queued, in_progress, completed (and the newer waiting, requested, pending). */
  status: string;
  conclusion: string | null;
  url: string | null;
}

export interface StatusFact {
  context: string;
  state: 'pending' | 'success' | 'failure' | 'error';
  url: string | null;
}

export interface WorkflowRunFact {
  name: string;
  status: string;
  conclusion: string | null;
  url: string | null;
}

/** What GitHub reports for one commit: latest check runs, latest status per context, workflow runs. */
export interface CommitChecks {
  checkRuns: readonly CheckRunFact[];
  statuses: readonly StatusFact[];
  /** Only read when required checks are named in the config (workflow names can be required). */
  workflowRuns?: readonly WorkflowRunFact[];
}

/** Where the required names came from; `all` means none were declared. */
export type RequiredChecks = { source: 'config' | 'branch'; names: readonly string[] } | { source: 'all' };

export type CiVerdict =
  | { state: 'success'; reason: string }
  | { state: 'pending'; reason: string; waitingFor: string[] }
  | { state: 'failure'; reason: string; failed: string; url: string | null };

const PASSING = new Set(['success', 'neutral', 'skipped']);

type Outcome = 'success' | 'pending' | 'failure';

interface Signal {
  name: string;
  outcome: Outcome;
  url: string | null;
}

function runOutcome(status: string, conclusion: string | null): Outcome {
  if (status !== 'completed' || conclusion === null) return 'pending';
  return PASSING.has(conclusion) ? 'success' : 'failure';
}

function statusOutcome(state: StatusFact['state']): Outcome {
  if (state === 'success') return 'success';
  return state === 'pending' ? 'pending' : 'failure';
}

function signalsOf(checks: CommitChecks, ignoredPrefixes: readonly string[]): Signal[] {
  const ignored = (name: string) => ignoredPrefixes.some((p) => name.startsWith(p));
  return [
    ...checks.checkRuns.map((r) => ({ name: r.name, outcome: runOutcome(r.status, r.conclusion), url: r.url })),
    ...checks.statuses.map((s) => ({ name: s.context, outcome: statusOutcome(s.state), url: s.url })),
    ...(checks.workflowRuns ?? []).map((w) => ({
      name: w.name,
      outcome: runOutcome(w.status, w.conclusion),
      url: w.url,
    })),
  ].filter((s) => !ignored(s.name));
}

/** The verdict of one commit under the required checks; pure. */
export function ciVerdict(
  checks: CommitChecks,
  required: RequiredChecks,
  ignoredPrefixes: readonly string[],
): CiVerdict {
  const signals = signalsOf(checks, ignoredPrefixes);
  if (required.source === 'all') return verdictOfAll(signals);
  const waitingFor: string[] = [];
  for (const name of required.names) {
    const matching = signals.filter((s) => s.name === name);
    const failed = matching.find((s) => s.outcome === 'failure');
    if (failed) return failure(failed);
    if (matching.length === 0 || matching.some((s) => s.outcome === 'pending')) waitingFor.push(name);
  }
  if (waitingFor.length > 0) {
    return { state: 'pending', reason: `waiting for required checks: ${waitingFor.join(', ')}`, waitingFor };
  }
  const from = required.source === 'config' ? 'requiredChecks' : 'the branch rules';
  return { state: 'success', reason: `required checks passed (${required.names.length}, from ${from})` };
}

function verdictOfAll(signals: readonly Signal[]): CiVerdict {
  const failed = signals.find((s) => s.outcome === 'failure');
  if (failed) return failure(failed);
  if (signals.length === 0) return { state: 'pending', reason: 'no check run or status yet', waitingFor: [] };
  const pending = [...new Set(signals.filter((s) => s.outcome === 'pending').map((s) => s.name))];
  if (pending.length > 0) {
    return { state: 'pending', reason: `waiting for checks: ${pending.join(', ')}`, waitingFor: pending };
  }
  return { state: 'success', reason: `all ${signals.length} checks passed` };
}

function failure(s: Signal): CiVerdict {
  return { state: 'failure', reason: `check "${s.name}" failed`, failed: s.name, url: s.url };
}
