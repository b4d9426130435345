import type { FailedList } from '../shared/app/failed/list-failed.ts';
import type { RedriveReport } from '../shared/app/failed/redrive-failed.ts';
import type { Spec } from './commands.ts';

/** `switchyard failed list|redrive`: the worker's failed events, kept in its on-failure queue. */
export const FAILED_SPECS: Spec[] = [
  {
    words: ['failed', 'list'],
    command: 'failed.list',
    positional: [],
    options: { '--max': 'max' },
    summary: "the worker's failed events (what failed, when, why)",
  },
  {
    words: ['failed', 'redrive'],
    command: 'failed.redrive',
    positional: [],
    options: { '--max': 'max' },
    summary: 'run failed events again; each is deleted once the worker accepted it',
  },
];

export function renderFailedList(list: FailedList): string {
  const lines = [
    `${list.depth.visible} waiting, ${list.depth.inFlight} being handled`,
    ...list.events.map(
      (e) =>
        `${e.messageId}  ${e.failedAt}  ${e.condition} after ${e.attempts} attempts  ${e.summary}${e.error ? `\n    ${e.error}` : ''}`,
    ),
    ...list.unreadable.map((u) => `${u.messageId}  (left alone: ${u.problem})`),
  ];
  return lines.join('\n');
}

export function renderRedrive(report: RedriveReport): string {
  const head = report.dryRun
    ? `would redrive ${report.items.filter((i) => i.outcome === 'would-redrive').length} event(s)`
    : `redriven ${report.redriven}, left in the queue ${report.left}`;
  return [
    head,
    ...report.items.map((i) => `${i.messageId}  ${i.outcome}  ${i.summary}${i.detail ? `  (${i.detail})` : ''}`),
  ].join('\n');
}
