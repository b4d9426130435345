/**
 * The CLI's grammar: words typed by the operator -> an ops command and its arguments. Kept apart from
 * I/O so it can be tested exhaustively.
 */
export interface ParsedCommand {
  command: string;
  args: Record<string, unknown>;
  dryRun: boolean;
  json: boolean;
  watch: boolean;
  /** Send the operator's name as `by` (see operatorName). */
  audited?: boolean;
}

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export interface Spec {
  words: string[];
  command: string;
  positional: string[];
  options?: Record<string, string>;
  summary: string;
  /** Positional names that are numbers. */
  numbers?: string[];
  /** The operator's name goes along as `by`, for the audit trail in GitHub and the release history. */
  audited?: boolean;
}

import { FAILED_SPECS } from './failed-commands.ts';

export const SPECS: Spec[] = [
  { words: ['status'], command: 'status', positional: [], summary: 'previews, releases, traffic shifts and health' },
  { words: ['previews', 'list'], command: 'previews.list', positional: [], summary: 'list preview environments' },
  {
    words: ['previews', 'delete'],
    command: 'previews.delete',
    positional: ['app', 'pr'],
    numbers: ['pr'],
    summary: 'delete the preview of a pull request',
  },
  { words: ['releases', 'status'], command: 'releases.status', positional: [], summary: 'where each release stands' },
  {
    words: ['releases', 'promote'],
    command: 'releases.promote',
    positional: ['app', 'environment'],
    summary: 'pass the manual gate of the current track or gray step',
    audited: true,
  },
  {
    words: ['releases', 'rollback'],
    command: 'releases.rollback',
    positional: ['app', 'environment'],
    options: { '--to': 'sha' },
    summary: 'redeploy the previous (or --to <sha>) image',
    audited: true,
  },
  {
    words: ['releases', 'deploy'],
    command: 'releases.deploy',
    positional: ['app', 'environment', 'sha'],
    summary: 'deploy a commit order would refuse (older, diverged, rolled back); --dry-run first',
  },
  {
    words: ['rollback'],
    command: 'releases.rollback',
    positional: ['app', 'environment'],
    options: { '--to': 'sha' },
    summary: 'same as releases rollback',
    audited: true,
  },
  {
    words: ['shifts', 'status'],
    command: 'shifts.status',
    positional: [],
    options: { '--name': 'name' },
    summary: 'traffic shifts and their weights',
  },
  { words: ['shifts', 'start'], command: 'shifts.start', positional: ['name'], summary: 'start a traffic shift' },
  {
    words: ['shifts', 'pause'],
    command: 'shifts.pause',
    positional: ['name'],
    summary: 'hold a shift at its current weights',
  },
  { words: ['shifts', 'resume'], command: 'shifts.resume', positional: ['name'], summary: 'resume a paused shift' },
  {
    words: ['shifts', 'promote'],
    command: 'shifts.promote',
    positional: ['name'],
    options: { '--full': 'full' },
    summary: 'pass an indefinite pause (--full: straight to 100%)',
  },
  {
    words: ['shifts', 'abort'],
    command: 'shifts.abort',
    positional: ['name'],
    summary: 'all traffic back to legacy, now',
  },
  {
    words: ['shifts', 'rollback'],
    command: 'shifts.rollback',
    positional: ['name'],
    summary: 'back to the last good step, paused',
  },
  {
    words: ['dora'],
    command: 'dora',
    positional: [],
    options: { '--app': 'app', '--env': 'environment', '--since': 'since' },
    summary: 'DORA metrics per environment from GitHub deployments (--since 30d)',
  },
  ...FAILED_SPECS,
];

const ALIASES: Record<string, string> = { preview: 'previews', release: 'releases', shift: 'shifts' };

export function parseCommandLine(argv: string[]): ParsedCommand {
  const flags = { dryRun: false, json: false, watch: false };
  const options: Record<string, string> = {};
  const words: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--dry-run') flags.dryRun = true;
    else if (a === '--json') flags.json = true;
    else if (a === '--watch' || a === '--wait') flags.watch = true;
    else if (a === '--full') options['--full'] = 'true';
    else if (a.startsWith('--')) {
      const [key, inline] = a.split('=', 2) as [string, string | undefined];
      const value = inline ?? argv[++i];
      if (value === undefined) throw new UsageError(`${key} needs a value`);
      options[key] = value;
    } else words.push(a);
  }
  if (words[0] && ALIASES[words[0]]) words[0] = ALIASES[words[0]]!;
  const spec = SPECS.filter((s) => s.words.every((w, i) => words[i] === w)).sort(
    (a, b) => b.words.length - a.words.length,
  )[0];
  if (!spec) throw new UsageError(words.length ? `unknown command "${words.join(' ')}"` : 'no command given');
  const rest = words.slice(spec.words.length);
  if (rest.length !== spec.positional.length) {
    throw new UsageError(
      `usage: switchyard ${spec.words.join(' ')} ${spec.positional.map((p) => `<${p}>`).join(' ')}`.trim(),
    );
  }
  const args: Record<string, unknown> = {};
  spec.positional.forEach((name, i) => {
    const value = rest[i]!;
    if (spec.numbers?.includes(name)) {
      const n = Number(value.replace(/^#/, ''));
      if (!Number.isInteger(n) || n <= 0)
        throw new UsageError(`<${name}> must be a positive whole number, got "${value}"`);
      args[name] = n;
    } else args[name] = value;
  });
  for (const [key, value] of Object.entries(options)) {
    const name = spec.options?.[key];
    if (!name) throw new UsageError(`unknown option ${key} for "${spec.words.join(' ')}"`);
    args[name] = value;
  }
  return { command: spec.command, args, ...flags, ...(spec.audited ? { audited: true } : {}) };
}

export function usage(): string {
  const lines = SPECS.filter((s) => s.words[0] !== 'rollback').map((s) => {
    const sig = [
      ...s.words,
      ...s.positional.map((p) => `<${p}>`),
      ...Object.entries(s.options ?? {}).map(([k, v]) => `[${k} <${v}>]`),
    ].join(' ');
    return `  switchyard ${sig.padEnd(52)} ${s.summary}`;
  });
  return [
    'switchyard: operate previews, releases and traffic shifts',
    '',
    ...lines,
    '',
    'Flags: --dry-run (print the plan, change nothing)  --json (machine output)  --watch (follow progress)',
    'Target: the ops Lambda (SWITCHYARD_OPS_FUNCTION, AWS credentials and region from the environment),',
    'or the local sandbox when .sandbox/cli.json exists (npm start).',
    'Exit codes: 0 ok, 1 failed, 2 bad usage or input, 3 temporary failure (retry), 4 not found.',
  ].join('\n');
}

/** Exit code for an operation error type. */
export function exitCodeFor(type: string): number {
  switch (type) {
    case 'ValidationError':
    case 'UsageError':
    case 'PolicyError':
      return 2;
    case 'TransientError':
    case 'ConflictError':
      return 3;
    case 'NotFoundError':
      return 4;
    default:
      return 1;
  }
}
