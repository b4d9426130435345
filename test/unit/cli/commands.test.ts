import { describe, expect, it } from 'vitest';
import { exitCodeFor, parseCommandLine, UsageError } from '../../../cli/commands.ts';
import { progressBar } from '../../../cli/render.ts';

describe('parseCommandLine', () => {
  it.each([
    [['status'], { command: 'status', args: {} }],
    [['previews', 'delete', 'web', '#42'], { command: 'previews.delete', args: { app: 'web', pr: 42 } }],
    [['release', 'promote', 'web', 'prod'], { command: 'releases.promote', args: { app: 'web', environment: 'prod' } }],
    [
      ['rollback', 'web', 'prod', '--to', 'abc1234'],
      { command: 'releases.rollback', args: { app: 'web', environment: 'prod', sha: 'abc1234' } },
    ],
    [
      ['release', 'deploy', 'web', 'prod', 'a'.repeat(40), '--dry-run'],
      { command: 'releases.deploy', args: { app: 'web', environment: 'prod', sha: 'a'.repeat(40) }, dryRun: true },
    ],
    [
      ['shift', 'start', 'web-migration', '--dry-run'],
      { command: 'shifts.start', args: { name: 'web-migration' }, dryRun: true },
    ],
    [['shifts', 'abort', 'x', '--json'], { command: 'shifts.abort', json: true }],
    [['shifts', 'status', '--name=web'], { command: 'shifts.status', args: { name: 'web' } }],
    [['shifts', 'promote', 'web', '--full'], { command: 'shifts.promote', args: { name: 'web', full: 'true' } }],
  ])('%j', (argv, expected) => {
    expect(parseCommandLine(argv)).toMatchObject(expected);
  });

  it.each([
    [['nope'], /unknown command "nope"/],
    [['shifts', 'pause'], /usage: switchyard shifts pause <name>/],
    [['previews', 'delete', 'web', 'x'], /<pr> must be a positive whole number/],
    [['status', '--to', 'x'], /unknown option --to/],
    [['rollback', 'web', 'prod', '--to'], /--to needs a value/],
    [['release', 'deploy', 'web', 'prod'], /usage: switchyard releases deploy <app> <environment> <sha>/],
  ])('refuses %j', (argv, message) => {
    expect(() => parseCommandLine(argv)).toThrow(UsageError);
    expect(() => parseCommandLine(argv)).toThrow(message);
  });
});

describe('exit codes and progress', () => {
  it('maps error types to documented exit codes', () => {
    expect([
      exitCodeFor('ValidationError'),
      exitCodeFor('TransientError'),
      exitCodeFor('NotFoundError'),
      exitCodeFor('Error'),
    ]).toEqual([2, 3, 4, 1]);
  });
  it('draws bounded bars', () => {
    expect(progressBar(0.25, 8)).toBe('[##......] 25%');
    expect(progressBar(7, 4)).toBe('[####] 100%');
  });
});
