import { describe, expect, it } from 'vitest';
import { parseCommandLine, UsageError, usage } from '../../../cli/commands.ts';
import { renderFailedList, renderRedrive } from '../../../cli/failed-commands.ts';

describe('switchyard failed list|redrive', () => {
  it.each([
    [['failed', 'list'], { command: 'failed.list', args: {}, dryRun: false, json: false }],
    [['failed', 'list', '--max', '5', '--json'], { command: 'failed.list', args: { max: '5' }, json: true }],
    [['failed', 'redrive', '--dry-run'], { command: 'failed.redrive', args: {}, dryRun: true }],
    [['failed', 'redrive', '--max=20'], { command: 'failed.redrive', args: { max: '20' } }],
  ])('%j', (argv, expected) => {
    expect(parseCommandLine(argv)).toMatchObject(expected);
  });

  it('refuses extra words and unknown options, and is in the usage text', () => {
    expect(() => parseCommandLine(['failed', 'redrive', 'all'])).toThrow(UsageError);
    expect(() => parseCommandLine(['failed', 'list', '--to', 'x'])).toThrow(/unknown option --to/);
    expect(usage()).toMatch(/switchyard failed redrive \[--max <max>\]/);
  });

  it('renders a list and a redrive report for people', () => {
    const text = renderFailedList({
      depth: { visible: 2, inFlight: 0 },
      events: [
        {
          messageId: 'm-1',
          receipt: 'r',
          failedAt: '2026-11-23T08:15:05.568Z',
          condition: 'RetriesExhausted',
          attempts: 3,
          requestId: 'q',
          error: 'TransientError: Kubernetes API unreachable',
          summary: 'delivery d-1: pull_request acme/shop 42',
          receiveCount: 1,
          payload: {},
        },
      ],
      unreadable: [{ messageId: 'm-2', problem: 'the body is not JSON' }],
    });
    expect(text.split('\n')).toEqual([
      '2 waiting, 0 being handled',
      'm-1  2026-11-23T08:15:05.568Z  RetriesExhausted after 3 attempts  delivery d-1: pull_request acme/shop 42',
      '    TransientError: Kubernetes API unreachable',
      'm-2  (left alone: the body is not JSON)',
    ]);
    expect(
      renderRedrive({
        dryRun: true,
        redriven: 0,
        left: 1,
        items: [{ messageId: 'm-1', outcome: 'would-redrive', summary: 'delivery d-1' }],
      }),
    ).toBe('would redrive 1 event(s)\nm-1  would-redrive  delivery d-1');
  });
});
