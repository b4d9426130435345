import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { invokeSync, RemoteFunctionError } from '../shared/adapters/lambda/lambda-invoker.ts';
import type { DeliveryResult } from '../shared/app/delivery/read-delivery.ts';
import type { FailedList } from '../shared/app/failed/list-failed.ts';
import type { RedriveReport } from '../shared/app/failed/redrive-failed.ts';
import type { OperationResponse } from '../shared/app/ops/run-operation.ts';
import type { StatusModel } from '../shared/domain/status/status-model.ts';
import { exitCodeFor, type ParsedCommand, parseCommandLine, UsageError, usage } from './commands.ts';
import { renderFailedList, renderRedrive } from './failed-commands.ts';
import { operatorName } from './operator-name.ts';
import { progressBar, renderStatusText } from './render.ts';
import { renderDoraText } from './render-dora.ts';

/** Where the CLI sends commands: the ops Lambda in AWS, or the sandbox's serverless-offline. */
export interface Target {
  functionName: string;
  client: LambdaClient;
  label: string;
}

export function resolveTarget(env: NodeJS.ProcessEnv, cwd: string): Target {
  const sandboxFile = resolve(env['SWITCHYARD_SANDBOX_DIR'] ?? resolve(cwd, '.sandbox'), 'cli.json');
  if (!env['SWITCHYARD_OPS_FUNCTION'] && existsSync(sandboxFile)) {
    const s = JSON.parse(readFileSync(sandboxFile, 'utf8')) as { lambdaEndpoint: string; functionName: string };
    return {
      functionName: s.functionName,
      // The sandbox's serverless-offline accepts any credentials; they never leave the machine.
      client: new LambdaClient({
        endpoint: s.lambdaEndpoint,
        region: 'eu-west-1',
        credentials: { accessKeyId: 'sandbox', secretAccessKey: 'sandbox' },
      }),
      label: `sandbox (${s.lambdaEndpoint})`,
    };
  }
  const functionName = env['SWITCHYARD_OPS_FUNCTION'];
  if (!functionName) {
    throw new UsageError(
      'set SWITCHYARD_OPS_FUNCTION to the ops function name (e.g. switchyard-prod-ops), or run `npm start` for the sandbox',
    );
  }
  return { functionName, client: new LambdaClient({}), label: functionName };
}

async function call(target: Target, cmd: ParsedCommand, env: NodeJS.ProcessEnv = {}): Promise<OperationResponse> {
  const by = cmd.audited ? operatorName(env) : null;
  return (await invokeSync(target.client, target.functionName, {
    command: cmd.command,
    args: by ? { ...cmd.args, by } : cmd.args,
    dryRun: cmd.dryRun,
  })) as OperationResponse;
}

function print(cmd: ParsedCommand, res: OperationResponse, out: (s: string) => void): void {
  if (cmd.json) {
    out(JSON.stringify(res, null, 2));
    return;
  }
  if (!res.ok) return;
  if (cmd.command === 'status') {
    out(renderStatusText(res.result as StatusModel));
    return;
  }
  if (cmd.command === 'dora') {
    out(renderDoraText(res.result as DeliveryResult));
    return;
  }
  if (cmd.command === 'failed.list') {
    out(renderFailedList(res.result as FailedList));
    return;
  }
  if (cmd.command === 'failed.redrive') {
    out(renderRedrive(res.result as RedriveReport));
    return;
  }
  if (res.dryRun) out('dry run: nothing was changed. The plan:');
  out(typeof res.result === 'string' ? res.result : JSON.stringify(res.result, null, 2));
}

/** Follows a shift or release until it stops moving, drawing progress bars. */
async function watch(target: Target, cmd: ParsedCommand, err: (s: string) => void): Promise<void> {
  const deadline = Date.now() + 30 * 60_000;
  let last = '';
  while (Date.now() < deadline) {
    const res = await call(target, { ...cmd, command: 'status', args: {}, dryRun: false });
    if (!res.ok) throw Object.assign(new Error(res.error.message), { name: res.error.type });
    const model = res.result as StatusModel;
    const lines = [
      ...model.shifts.map((s) => `${s.name.padEnd(24)} ${progressBar(s.kubernetesWeight / 100)} ${s.state}`),
      ...model.releases.map(
        (r) => `${`${r.app}/${r.environment}${r.track ? `/${r.track}` : ''}`.padEnd(24)} ${r.state}`,
      ),
    ];
    const text = lines.join('\n');
    if (text !== last) err(`${text}\n`);
    last = text;
    const moving =
      model.shifts.some((s) => s.state === 'running') ||
      model.releases.some((r) => /progress|baking|rolling/.test(r.state));
    if (!moving) return;
    await new Promise((r) => setTimeout(r, 2000));
  }
}

export async function main(
  argv: string[],
  env = process.env,
  io = { out: console.log, err: console.error },
): Promise<number> {
  if (argv.length === 0 || argv.includes('--help') || argv.includes('-h')) {
    io.out(usage());
    return argv.length === 0 ? 2 : 0;
  }
  let cmd: ParsedCommand;
  let target: Target;
  try {
    cmd = parseCommandLine(argv);
    target = resolveTarget(env, process.cwd());
  } catch (error) {
    io.err(`switchyard: ${(error as Error).message}`);
    return 2;
  }
  try {
    const res = await call(target, cmd, env);
    print(cmd, res, io.out);
    if (!res.ok) {
      io.err(`switchyard ${cmd.command}: ${res.error.message}${res.error.retryable ? ' (temporary: try again)' : ''}`);
      return exitCodeFor(res.error.type);
    }
    if (cmd.watch) await watch(target, cmd, io.err);
    return 0;
  } catch (error) {
    // The function answered with an error of its own (a bad config fails its setup, for one): the exit
    // code follows the error's type, as for any typed answer. Only an unreachable function is "retry".
    if (error instanceof RemoteFunctionError) {
      io.err(`switchyard ${cmd.command}: ${error.message}`);
      return exitCodeFor(error.errorType);
    }
    io.err(`switchyard: cannot reach ${target.label}: ${(error as Error).message}`);
    return 3;
  }
}
