// `serverless package` as a new user runs it, and the CloudFormation it generates: each function's
// role against the table in docs/deploying.md, environments, schedules, alarms, the worker's retries
// and failed-event queue, log retention, and what is packaged. Misconfigurations must fail here, at
// package time, with the reason. No AWS account is involved: the template is the evidence.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const root = resolve(import.meta.dirname, '../../..');
const FIXTURE = 'test/fixtures/deploy/switchyard.config.yml';
type Fn = string;

type Json = Record<string, unknown>;
interface Statement {
  Sid?: string;
  Effect: string;
  Action: string | string[];
  Resource: unknown;
  Condition?: unknown;
}

async function serverless(args: string[], env: Record<string, string> = {}) {
  return run(join(root, 'node_modules/.bin/serverless'), args, {
    cwd: root,
    env: { ...process.env, PATH: `${join(root, 'node_modules/.bin')}:${process.env['PATH']}`, ...env },
    maxBuffer: 64 * 1024 * 1024,
  });
}

/** serverless print: the resolved service (roles and environments included) without bundling. */
async function printed(args: string[], env: Record<string, string> = {}): Promise<Json> {
  const { stdout } = await serverless(['print', '--format', 'json', ...args], { SWITCHYARD_CONFIG: FIXTURE, ...env });
  return JSON.parse(stdout) as Json;
}

async function failure(env: Record<string, string>, args: string[] = []): Promise<string> {
  try {
    await serverless(['print', '--format', 'json', ...args], env);
  } catch (error) {
    const e = error as { stdout: string; stderr: string };
    return `${e.stdout}\n${e.stderr}`;
  }
  throw new Error('serverless print succeeded where it should have failed');
}

const roleId = (fn: string) => `${fn[0]!.toUpperCase()}${fn.slice(1)}Role`;
const fnId = (fn: string) => `${fn[0]!.toUpperCase()}${fn.slice(1)}LambdaFunction`;
const list = <T>(x: T | T[]): T[] => (Array.isArray(x) ? x : [x]);
const text = (r: unknown) => JSON.stringify(r);

/** The roles table of docs/deploying.md: function → one row per statement (actions, resource symbol). */
function docsRoles(): Map<Fn, Array<{ actions: string[]; resource: string }>> {
  const md = readFileSync(join(root, 'docs/deploying.md'), 'utf8');
  const start = md.indexOf('## Roles');
  const end = md.indexOf('\n## ', start + 1);
  const section = md.slice(start, end === -1 ? undefined : end);
  const rows = new Map<Fn, Array<{ actions: string[]; resource: string }>>();
  for (const line of section.split('\n')) {
    const cells = line.split('|').map((c) => c.trim());
    const fn = cells[1]!;
    if (!/^[a-z][A-Za-z]+$/.test(fn) || cells.length < 4 || !cells[2]!.includes(':')) continue;
    const actions = [...cells[2]!.matchAll(/`([a-z0-9-]+:[A-Za-z]+)`/g)].map((m) => m[1]!);
    rows.set(fn, [...(rows.get(fn) ?? []), { actions, resource: cells[3]!.replace(/`/g, '') }]);
  }
  return rows;
}

/** Every function, as the docs table lists them (the template must have exactly these). */
const FUNCTIONS = [...docsRoles().keys()];

/** The resource symbols of the docs table, as the fixture config and default params make them. */
function resourcesOf(symbol: string, fn: string, opts: { appKey?: boolean; statusToken?: string } = {}): unknown[] {
  const sub = (s: string) => ({ 'Fn::Sub': s });
  const ssm = (name: string) => sub(`arn:\${AWS::Partition}:ssm:\${AWS::Region}:\${AWS::AccountId}:parameter${name}`);
  const eks = (region: string, name: string) =>
    sub(`arn:\${AWS::Partition}:eks:${region}:\${AWS::AccountId}:cluster/${name}`);
  const zone = (id: string) => sub(`arn:\${AWS::Partition}:route53:::hostedzone/${id}`);
  const prod = eks('eu-west-1', 'prod-cluster');
  const edge = eks('us-east-1', 'edge-cluster');
  const queue = { 'Fn::GetAtt': ['FailedEventsQueue', 'Arn'] };
  const table: Record<string, unknown[]> = {
    'own log group': [
      sub(
        `arn:\${AWS::Partition}:logs:\${AWS::Region}:\${AWS::AccountId}:log-group:/aws/lambda/switchyard-dev-${fn}:*`,
      ),
    ],
    '<ssmPrefix>/github-webhook-secret': [ssm('/switchyard/dev/github-webhook-secret')],
    '<ssmPrefix>/ci-webhook-secret': [ssm('/switchyard/dev/ci-webhook-secret')],
    'GitHub credential': [ssm(opts.appKey ? '/switchyard/dev/github-app-private-key' : '/switchyard/dev/github-token')],
    pipelineWorker: [
      sub(`arn:\${AWS::Partition}:lambda:\${AWS::Region}:\${AWS::AccountId}:function:switchyard-dev-pipelineWorker`),
    ],
    'EKS clusters of apps': [prod],
    'EKS clusters of preview apps': [prod],
    'EKS clusters of shift gates': [edge],
    'all EKS clusters': [edge, prod],
    'preview zones': [zone('ZPREVIEW1')],
    'shift zones': [zone('ZSHIFT1')],
    'change/*': [sub(`arn:\${AWS::Partition}:route53:::change/*`)],
    'health check gates': [sub(`arn:\${AWS::Partition}:route53:::healthcheck/11111111-2222-3333-4444-555555555555`)],
    '*': ['*'],
    FailedEventsQueue: [queue],
    'notification parameters': [ssm('/switchyard/slack-webhook-url')],
    'status token parameter': opts.statusToken ? [ssm(opts.statusToken)] : [],
  };
  const out = table[symbol];
  if (!out) throw new Error(`docs/deploying.md names a resource the test does not know: "${symbol}"`);
  return out;
}

/** A role's grants as "action → resources" (sorted), so the docs table and the template compare. */
function grants(statements: Statement[]): Record<string, string[]> {
  const out: Record<string, Set<string>> = {};
  for (const s of statements) {
    expect(s.Effect).toBe('Allow');
    for (const a of list(s.Action)) {
      out[a] ??= new Set();
      for (const r of list(s.Resource)) out[a]!.add(text(r));
    }
  }
  return Object.fromEntries(Object.entries(out).map(([a, rs]) => [a, [...rs].sort()]));
}

function expectedGrants(fn: Fn, opts: { appKey?: boolean; statusToken?: string } = {}): Record<string, string[]> {
  const rows = docsRoles().get(fn) ?? [];
  const out: Record<string, Set<string>> = {};
  for (const row of rows) {
    const resources = resourcesOf(row.resource, fn, opts);
    if (resources.length === 0) continue;
    for (const a of row.actions) {
      out[a] ??= new Set();
      for (const r of resources) out[a]!.add(text(r));
    }
  }
  return Object.fromEntries(Object.entries(out).map(([a, rs]) => [a, [...rs].sort()]));
}

describe('serverless package: the generated CloudFormation', () => {
  let resources: Record<string, Json>;
  let outputs: Record<string, Json>;
  let dir: string;
  const props = (id: string) => resources[id]?.['Properties'] as Json;
  const env = (fn: Fn) => (props(fnId(fn))['Environment'] as { Variables: Record<string, unknown> }).Variables;
  const statementsOf = (fn: Fn) => {
    const policies = props(roleId(fn))['Policies'] as Array<{ PolicyDocument: { Statement: Statement[] } }>;
    return policies.flatMap((p) => p.PolicyDocument.Statement);
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'switchyard-package-'));
    await serverless(['package', '--package', dir], { SWITCHYARD_CONFIG: FIXTURE });
    const template = JSON.parse(readFileSync(join(dir, 'cloudformation-template-update-stack.json'), 'utf8')) as Json;
    resources = template['Resources'] as Record<string, Json>;
    outputs = template['Outputs'] as Record<string, Json>;
  }, 600_000);

  it('gives every function its own role, with no managed policies, and outputs each role ARN', () => {
    const roles = FUNCTIONS.map((fn) => text(props(fnId(fn))['Role']));
    expect(new Set(roles).size).toBe(FUNCTIONS.length);
    for (const fn of FUNCTIONS) {
      expect(props(fnId(fn))['Role']).toEqual({ 'Fn::GetAtt': [roleId(fn), 'Arn'] });
      expect(props(roleId(fn))['ManagedPolicyArns']).toBeUndefined();
      expect(outputs[`${roleId(fn)}Arn`]?.['Value']).toEqual({ 'Fn::GetAtt': [roleId(fn), 'Arn'] });
    }
    const allRoles = Object.values(resources).filter((r) => r['Type'] === 'AWS::IAM::Role');
    expect(allRoles).toHaveLength(FUNCTIONS.length);
    expect(FUNCTIONS).toHaveLength(9);
    const lambdas = Object.values(resources).filter((r) => r['Type'] === 'AWS::Lambda::Function');
    expect(lambdas).toHaveLength(FUNCTIONS.length);
  });

  it.each(FUNCTIONS)('%s: the role grants exactly what docs/deploying.md lists', (fn) => {
    expect(grants(statementsOf(fn))).toEqual(expectedGrants(fn));
  });

  it('lets the ingress read only its own secret, the status page no GitHub credential', () => {
    const ssm = (fn: Fn) => grants(statementsOf(fn))['ssm:GetParameter'] ?? [];
    expect(ssm('githubWebhook')).toEqual([text(resourcesOf('<ssmPrefix>/github-webhook-secret', 'x')[0])]);
    expect(ssm('ciNotification')).toEqual([text(resourcesOf('<ssmPrefix>/ci-webhook-secret', 'x')[0])]);
    expect(ssm('statusPage')).toEqual([]);
    expect(ssm('trafficShift')).toEqual([]);
    // The Slack URL the config keeps in SSM, outside the stage prefix, is readable by the health check.
    expect(ssm('healthCheck')).toEqual([text(resourcesOf('notification parameters', 'x')[0])]);
    expect(ssm('healthCheck').join()).not.toContain('/other/unused');
  });

  it('lets preview roles create and delete records only under the preview hosts suffix', () => {
    for (const fn of ['pipelineWorker', 'rolloutWatcher', 'previewJanitor', 'ops']) {
      const preview = statementsOf(fn).find((s) => s.Sid === 'PreviewRecords');
      expect(preview?.Condition).toEqual({
        'ForAllValues:StringLike': {
          'route53:ChangeResourceRecordSetsNormalizedRecordNames': ['*.web.preview.example.com'],
        },
        'ForAllValues:StringEquals': { 'route53:ChangeResourceRecordSetsActions': ['CREATE', 'DELETE'] },
      });
    }
    // The shift's records are not previews: its statement has no such condition.
    const shift = statementsOf('trafficShift').find((s) => s.Sid === 'ShiftRecords');
    expect(shift?.Condition).toBeUndefined();
  });

  it('sets each function environment: names of parameters, never values', () => {
    const keys = (fn: Fn) => Object.keys(env(fn)).sort();
    const common = ['NODE_OPTIONS', 'POWERTOOLS_SERVICE_NAME', 'SWITCHYARD_CONFIG'];
    const github = ['GITHUB_TOKEN_SSM'];
    expect(keys('githubWebhook')).toEqual([...common, 'GITHUB_WEBHOOK_SECRET_SSM', 'WORKER_FUNCTION_NAME'].sort());
    expect(keys('ciNotification')).toEqual([...common, 'CI_WEBHOOK_SECRET_SSM', 'WORKER_FUNCTION_NAME'].sort());
    for (const fn of ['pipelineWorker', 'rolloutWatcher', 'previewJanitor'] as const) {
      expect(keys(fn)).toEqual([...common, ...github].sort());
    }
    expect(keys('trafficShift')).toEqual(common);
    expect(keys('healthCheck')).toEqual(common);
    expect(keys('statusPage')).toEqual(common);
    expect(keys('ops')).toEqual([...common, ...github, 'WORKER_FUNCTION_NAME', 'SWITCHYARD_FAILED_QUEUE_URL'].sort());
    expect(env('ops')['SWITCHYARD_FAILED_QUEUE_URL']).toEqual({ Ref: 'FailedEventsQueue' });
    expect(env('githubWebhook')['WORKER_FUNCTION_NAME']).toBe('switchyard-dev-pipelineWorker');
    expect(env('githubWebhook')['GITHUB_WEBHOOK_SECRET_SSM']).toBe('/switchyard/dev/github-webhook-secret');
    expect(env('pipelineWorker')['SWITCHYARD_CONFIG']).toBe(`./${FIXTURE}`);
  });

  it('packages the config and the template folders it names', async () => {
    const { stdout } = await run('unzip', ['-l', join(dir, 'pipelineWorker.zip')]);
    expect(stdout).toContain(FIXTURE);
    for (const f of ['configmap.yaml', 'deployment.yaml', 'ingress.yaml', 'service.yaml']) {
      expect(stdout).toContain(`examples/previews/web/${f}`);
    }
  });

  it('runs the four schedules at the configured rates', () => {
    const rates = Object.fromEntries(
      Object.entries(resources)
        .filter(([, r]) => r['Type'] === 'AWS::Events::Rule')
        .map(([id, r]) => [id.replace(/EventsRuleSchedule\d+$/, ''), (r['Properties'] as Json)['ScheduleExpression']]),
    );
    expect(rates).toEqual({
      RolloutWatcher: 'rate(1 minute)',
      PreviewJanitor: 'rate(15 minutes)',
      TrafficShift: 'rate(1 minute)',
      HealthCheck: 'rate(2 minutes)',
    });
  });

  it('retries the worker twice, then keeps the event 14 days in the failed-event queue', () => {
    const invokeConfig = props('PipelineWorkerLambdaEvConf');
    expect(invokeConfig['MaximumRetryAttempts']).toBe(2);
    expect(invokeConfig['DestinationConfig']).toEqual({
      OnFailure: { Destination: { 'Fn::GetAtt': ['FailedEventsQueue', 'Arn'] } },
    });
    expect(resources['FailedEventsQueue']?.['Type']).toBe('AWS::SQS::Queue');
    expect(props('FailedEventsQueue')['MessageRetentionPeriod']).toBe(1209600);
    expect(grants(statementsOf('pipelineWorker'))['sqs:SendMessage']).toEqual([
      text({ 'Fn::GetAtt': ['FailedEventsQueue', 'Arn'] }),
    ]);
  });

  it('alarms on any function error and on any failed event waiting', () => {
    for (const fn of FUNCTIONS) {
      const alarm = Object.values(resources).find(
        (r) => r['Type'] === 'AWS::CloudWatch::Alarm' && text(r).includes(`"switchyard-dev-${fn}"`),
      );
      expect(alarm, fn).toBeDefined();
      expect((alarm!['Properties'] as Json)['MetricName']).toBe('Errors');
    }
    const queueAlarm = props('FailedEventsAlarm');
    expect(queueAlarm).toMatchObject({
      Namespace: 'AWS/SQS',
      MetricName: 'ApproximateNumberOfMessagesVisible',
      ComparisonOperator: 'GreaterThanThreshold',
      Threshold: 0,
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': ['FailedEventsQueue', 'QueueName'] } }],
    });
  });

  it('keeps every function log 30 days, and reserves no concurrency by default', () => {
    for (const fn of FUNCTIONS) {
      const group = Object.values(resources).find(
        (r) =>
          r['Type'] === 'AWS::Logs::LogGroup' &&
          (r['Properties'] as Json)['LogGroupName'] === `/aws/lambda/switchyard-dev-${fn}`,
      );
      expect((group?.['Properties'] as Json | undefined)?.['RetentionInDays'], fn).toBe(30);
      expect(props(fnId(fn))['ReservedConcurrentExecutions']).toBeUndefined();
    }
  });
});

describe('serverless print: params and misconfigurations', () => {
  const fnEnv = (service: Json, fn: Fn) => ((service['functions'] as Json)[fn] as Json)['environment'] as Json;
  const roleStatements = (service: Json, fn: Fn): Statement[] => {
    const all = list(service['resources'] as Json | Json[]);
    for (const part of all) {
      const role = (part['Resources'] as Json | undefined)?.[roleId(fn)] as Json | undefined;
      if (role) {
        const policies = (role['Properties'] as Json)['Policies'] as Array<{
          PolicyDocument: { Statement: Statement[] };
        }>;
        return policies.flatMap((p) => p.PolicyDocument.Statement);
      }
    }
    throw new Error(`no role for ${fn}`);
  };

  it('GitHub App auth: the app id reaches the functions, and the roles read the private key, not a token', async () => {
    const service = await printed([
      '--param=githubAppId=123456',
      '--param=statusTokenParameter=/switchyard/status-token',
      '--param=trafficShiftConcurrency=1',
    ]);
    for (const fn of ['pipelineWorker', 'rolloutWatcher', 'previewJanitor', 'ops'] as const) {
      expect(fnEnv(service, fn)).toMatchObject({
        GITHUB_APP_ID: '123456',
        GITHUB_APP_PRIVATE_KEY_SSM: '/switchyard/dev/github-app-private-key',
      });
      expect(fnEnv(service, fn)['GITHUB_TOKEN_SSM']).toBeUndefined();
      expect(grants(roleStatements(service, fn))).toEqual(
        expectedGrants(fn, { appKey: true, statusToken: '/switchyard/status-token' }),
      );
    }
    expect(fnEnv(service, 'statusPage')['STATUS_TOKEN_SSM']).toBe('/switchyard/status-token');
    expect(grants(roleStatements(service, 'statusPage'))).toEqual(
      expectedGrants('statusPage', { statusToken: '/switchyard/status-token' }),
    );
    expect(((service['functions'] as Json)['trafficShift'] as Json)['reservedConcurrency']).toBe(1);
  }, 120_000);

  it('refuses a missing config file with what to do', async () => {
    const out = await failure({ SWITCHYARD_CONFIG: 'test/fixtures/deploy/missing.yml' });
    expect(out).toMatch(/no config file at .*missing\.yml\. Write switchyard\.config\.yml beside serverless\.yml/);
  }, 120_000);

  it('refuses an invalid config, naming each bad field', async () => {
    const out = await failure({ SWITCHYARD_CONFIG: 'test/fixtures/deploy/invalid/switchyard.config.yml' });
    expect(out).toMatch(/switchyard\.config\.yml is invalid/);
    expect(out).toMatch(/apps\[0\]\.cluster: no cluster named "nowhere"/);
  }, 120_000);

  it('refuses a config whose template folder is missing', async () => {
    const out = await failure({ SWITCHYARD_CONFIG: 'test/fixtures/deploy/no-templates/switchyard.config.yml' });
    expect(out).toMatch(/apps "web": preview\.templates folder .*previews\/web does not exist/);
  }, 120_000);

  it('refuses a template that is not YAML, and bad params', async () => {
    const out = await failure({ SWITCHYARD_CONFIG: 'test/fixtures/deploy/bad-template/switchyard.config.yml' });
    expect(out).toMatch(/apps "web": .*broken\.yaml is not valid YAML/);
    const param = await failure({ SWITCHYARD_CONFIG: FIXTURE }, ['--param=trafficShiftConcurrency=one']);
    expect(param).toMatch(/trafficShiftConcurrency must be a positive whole number/);
  }, 120_000);
});
