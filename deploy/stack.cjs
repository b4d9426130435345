// What serverless.yml derives from switchyard.config.yml at package time: each function's environment
// and its own IAM role (docs/deploying.md "Roles" is the same table in prose), and the files packaged
// with the functions. Loaded by `${file(./deploy/stack.cjs):...}`, which calls the exported function.
//
// A missing or invalid config, or a missing or invalid template folder, fails `serverless package`
// here with the reason, instead of failing every cold start in AWS.
const { readdirSync, readFileSync, statSync } = require('node:fs');
const path = require('node:path');
const { pathToFileURL } = require('node:url');

const serviceDir = path.resolve(__dirname, '..');

/** The functions, in serverless.yml's order; each role's logical id is `<Function>Role`. */
const FUNCTIONS = [
  'githubWebhook',
  'ciNotification',
  'pipelineWorker',
  'rolloutWatcher',
  'previewJanitor',
  'trafficShift',
  'healthCheck',
  'statusPage',
  'ops',
];

/** An error serverless prints as it is (it prints `stack` when there is one). */
function packageError(message) {
  const error = new Error(message);
  error.stack = `switchyard: ${message}`;
  return error;
}

function loadConfigFile(configPath) {
  let text;
  try {
    text = readFileSync(configPath, 'utf8');
  } catch {
    throw packageError(
      `no config file at ${configPath}. Write switchyard.config.yml beside serverless.yml ` +
        '(switchyard.config.example.yml is a complete example) or set SWITCHYARD_CONFIG to its path.',
    );
  }
  return text;
}

async function parse(text, configPath) {
  let mod;
  try {
    mod = await import(pathToFileURL(path.join(serviceDir, 'shared/config/parse-config.ts')).href);
  } catch (error) {
    throw packageError(
      `cannot load the config schema (${error.message}); run serverless with the project's Node ` +
        '(npx serverless, or npm run package), which strips TypeScript types.',
    );
  }
  try {
    return mod.parseConfig(text, configPath);
  } catch (error) {
    const details = Array.isArray(error.details) && error.details.length ? `\n  ${error.details.join('\n  ')}` : '';
    throw packageError(`${error.message}${details}`);
  }
}

/** Each app's preview template folder must exist and hold YAML files that parse. */
async function checkTemplates(config, baseDir, packaged) {
  const { parseAllDocuments } = await import('yaml');
  for (const app of config.apps) {
    if (!app.preview) continue;
    const dir = path.resolve(baseDir, app.preview.templates);
    let names;
    try {
      if (!statSync(dir).isDirectory()) throw new Error('not a folder');
      names = readdirSync(dir).filter((n) => /\.ya?ml$/i.test(n));
    } catch {
      throw packageError(`apps "${app.name}": preview.templates folder ${dir} does not exist`);
    }
    if (names.length === 0) throw packageError(`apps "${app.name}": no .yaml files in ${dir}`);
    for (const name of names) {
      const docs = parseAllDocuments(readFileSync(path.join(dir, name), 'utf8'));
      const bad = docs.find((d) => d.errors.length > 0);
      if (bad)
        throw packageError(`apps "${app.name}": ${path.join(dir, name)} is not valid YAML: ${bad.errors[0].message}`);
    }
    if (packaged && path.relative(serviceDir, dir).startsWith('..')) {
      throw packageError(
        `apps "${app.name}": preview.templates ${dir} is outside the service folder and would not be packaged`,
      );
    }
  }
}

// CloudFormation ARNs, written with Fn::Sub so the stack's own partition, region and account fill them in.
const sub = (text) => ({ 'Fn::Sub': text });
const ssmArn = (name) => sub(`arn:\${AWS::Partition}:ssm:\${AWS::Region}:\${AWS::AccountId}:parameter${name}`);
const zoneArn = (id) => sub(`arn:\${AWS::Partition}:route53:::hostedzone/${id.replace(/^\/?hostedzone\//, '')}`);
const eksArn = (c) => sub(`arn:\${AWS::Partition}:eks:${c.region}:\${AWS::AccountId}:cluster/${c.name}`);
const uniq = (xs) => [...new Set(xs)].sort();

/** The SSM parameters, AWS resources and environment each function needs, from the config and params. */
/**
 * The fixed part of a preview host pattern: the labels after the last one with a placeholder
 * (`pr-{pr}.web.preview.example.com` -> `web.preview.example.com`), lowercase as Route 53 normalises
 * names. Null when the pattern has no fixed suffix of two labels or more.
 */
function previewSuffix(host) {
  const labels = host.toLowerCase().replace(/\.$/, '').split('.');
  let last = -1;
  labels.forEach((label, i) => {
    if (label.includes('{')) last = i;
  });
  const rest = labels.slice(last + 1);
  return rest.length >= 2 ? rest.join('.') : null;
}

/**
 * Preview records (and their ownership TXT beside them, docs/security.md) may only be created or deleted
 * under the preview hosts' suffixes. ForAllValues holds when the request has no such key
 * (ListResourceRecordSets), so one statement serves both actions. See "Actions, resources, and
 * condition keys for Amazon Route 53" in the AWS Service Authorization Reference.
 */
function previewRecordCondition(suffixes) {
  if (suffixes.length === 0 || suffixes.includes(null)) return {};
  return {
    Condition: {
      'ForAllValues:StringLike': {
        'route53:ChangeResourceRecordSetsNormalizedRecordNames': suffixes.map((s) => `*.${s}`),
      },
      'ForAllValues:StringEquals': { 'route53:ChangeResourceRecordSetsActions': ['CREATE', 'DELETE'] },
    },
  };
}

function plan(config, params) {
  const { ssmPrefix, githubAppId, githubApiUrl, statusTokenParameter, functionPrefix } = params;
  const byName = new Map(config.clusters.map((c) => [c.name, c]));
  const eksOf = (names) =>
    uniq(names)
      .map((n) => byName.get(n))
      .filter((c) => c?.eks)
      .map((c) => c.eks);
  const previewApps = config.apps.filter((a) => a.preview);
  const appClusters = config.apps.map((a) => a.cluster);
  const allClusters = config.clusters.map((c) => c.name);
  // A shift's Deployment gates read its cluster, or the only cluster there is.
  const shiftClusters = config.shifts
    .filter((s) => s.gates.some((g) => 'deployment' in g))
    .map((s) => s.cluster ?? (config.clusters.length === 1 ? config.clusters[0].name : undefined))
    .filter(Boolean);
  const previewZones = uniq(previewApps.filter((a) => a.preview.dns).map((a) => a.preview.dns.hostedZoneId));
  const previewSuffixes = uniq(previewApps.filter((a) => a.preview.dns).map((a) => previewSuffix(a.preview.host)));
  const shiftZones = uniq(config.shifts.map((s) => s.hostedZoneId));
  const healthCheckGates = uniq(
    config.shifts.flatMap((s) => s.gates.filter((g) => 'healthCheckId' in g).map((g) => g.healthCheckId)),
  );
  const notifyParams = uniq(
    config.notifications
      .filter((n) => config.healthCheck.notify.includes(n.name) && 'ssm' in n.url)
      .map((n) => n.url.ssm),
  );

  const github = githubAppId
    ? { env: { GITHUB_APP_ID: githubAppId, GITHUB_APP_PRIVATE_KEY_SSM: `${ssmPrefix}/github-app-private-key` } }
    : { env: { GITHUB_TOKEN_SSM: `${ssmPrefix}/github-token` } };
  github.parameter = github.env.GITHUB_APP_PRIVATE_KEY_SSM ?? github.env.GITHUB_TOKEN_SSM;
  if (githubApiUrl) github.env.GITHUB_API_URL = githubApiUrl;

  const worker = `${functionPrefix}-pipelineWorker`;
  const needs = {
    githubWebhook: {
      ssm: [`${ssmPrefix}/github-webhook-secret`],
      invokeWorker: true,
      env: { GITHUB_WEBHOOK_SECRET_SSM: `${ssmPrefix}/github-webhook-secret`, WORKER_FUNCTION_NAME: worker },
    },
    ciNotification: {
      ssm: [`${ssmPrefix}/ci-webhook-secret`],
      invokeWorker: true,
      env: { CI_WEBHOOK_SECRET_SSM: `${ssmPrefix}/ci-webhook-secret`, WORKER_FUNCTION_NAME: worker },
    },
    pipelineWorker: {
      ssm: config.apps.length ? [github.parameter] : [],
      eks: eksOf(appClusters),
      previewDns: previewZones,
      previewSuffixes,
      sendFailed: true,
      env: config.apps.length ? github.env : {},
    },
    rolloutWatcher: {
      ssm: config.apps.length ? [github.parameter] : [],
      eks: eksOf(appClusters),
      previewDns: previewZones,
      previewSuffixes,
      env: config.apps.length ? github.env : {},
    },
    previewJanitor: {
      ssm: previewApps.length ? [github.parameter] : [],
      eks: eksOf(previewApps.map((a) => a.cluster)),
      previewDns: previewZones,
      previewSuffixes,
      env: previewApps.length ? github.env : {},
    },
    trafficShift: {
      eks: eksOf(shiftClusters),
      shiftDns: shiftZones,
      healthChecks: healthCheckGates,
      gates: config.shifts.length > 0,
      env: {},
    },
    healthCheck: {
      ssm: notifyParams,
      eks: eksOf(allClusters),
      env: {},
    },
    statusPage: {
      // The status page lists; it never writes to GitHub, so it gets no GitHub credential.
      ssm: statusTokenParameter ? [statusTokenParameter] : [],
      eks: eksOf(allClusters),
      readDns: shiftZones,
      env: statusTokenParameter ? { STATUS_TOKEN_SSM: statusTokenParameter } : {},
    },
    ops: {
      ssm: config.apps.length ? [github.parameter] : [],
      eks: eksOf(allClusters),
      previewDns: previewZones,
      previewSuffixes,
      shiftDns: shiftZones,
      healthChecks: healthCheckGates,
      gates: config.shifts.length > 0,
      operateFailed: true,
      invokeWorker: true,
      env: {
        ...(config.apps.length ? github.env : {}),
        WORKER_FUNCTION_NAME: worker,
        SWITCHYARD_FAILED_QUEUE_URL: { Ref: 'FailedEventsQueue' },
      },
    },
  };
  return { needs, worker };
}

/** One role's policy statements, each the narrowest AWS allows for what the function calls. */
function statements(fn, need, worker, functionPrefix) {
  const out = [
    {
      // Its own log group only (CloudFormation creates it with the retention; no CreateLogGroup).
      Sid: 'Logs',
      Effect: 'Allow',
      Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
      Resource: sub(
        `arn:\${AWS::Partition}:logs:\${AWS::Region}:\${AWS::AccountId}:log-group:/aws/lambda/${functionPrefix}-${fn}:*`,
      ),
    },
  ];
  if (need.ssm?.length) {
    // SecureStrings under the AWS managed key (aws/ssm) need no kms:Decrypt grant.
    out.push({ Sid: 'ReadParameters', Effect: 'Allow', Action: 'ssm:GetParameter', Resource: need.ssm.map(ssmArn) });
  }
  if (need.invokeWorker) {
    out.push({
      Sid: 'InvokeWorker',
      Effect: 'Allow',
      Action: 'lambda:InvokeFunction',
      Resource: sub(`arn:\${AWS::Partition}:lambda:\${AWS::Region}:\${AWS::AccountId}:function:${worker}`),
    });
  }
  if (need.eks?.length) {
    // Only to build the kubeconfig (endpoint and CA); Kubernetes rights come from the access entry and RBAC.
    out.push({
      Sid: 'DescribeClusters',
      Effect: 'Allow',
      Action: 'eks:DescribeCluster',
      Resource: need.eks.map(eksArn),
    });
  }
  const writeZones = uniq([...(need.previewDns ?? []), ...(need.shiftDns ?? [])]);
  if (need.previewDns?.length) {
    out.push({
      Sid: 'PreviewRecords',
      Effect: 'Allow',
      Action: ['route53:ChangeResourceRecordSets', 'route53:ListResourceRecordSets'],
      Resource: need.previewDns.map(zoneArn),
      ...previewRecordCondition(need.previewSuffixes ?? []),
    });
  }
  if (need.shiftDns?.length) {
    out.push({
      Sid: 'ShiftRecords',
      Effect: 'Allow',
      Action: ['route53:ChangeResourceRecordSets', 'route53:ListResourceRecordSets'],
      Resource: need.shiftDns.map(zoneArn),
    });
  }
  if (writeZones.length) {
    // GetChange takes a change id, which is not known in advance.
    out.push({
      Sid: 'ChangeStatus',
      Effect: 'Allow',
      Action: 'route53:GetChange',
      Resource: sub(`arn:\${AWS::Partition}:route53:::change/*`),
    });
  }
  if (need.readDns?.length) {
    out.push({
      Sid: 'ReadRecords',
      Effect: 'Allow',
      Action: 'route53:ListResourceRecordSets',
      Resource: need.readDns.map(zoneArn),
    });
  }
  if (need.healthChecks?.length) {
    out.push({
      Sid: 'ReadHealthCheckGates',
      Effect: 'Allow',
      Action: 'route53:GetHealthCheckStatus',
      Resource: need.healthChecks.map((id) => sub(`arn:\${AWS::Partition}:route53:::healthcheck/${id}`)),
    });
  }
  if (need.gates) {
    // CloudWatch's DescribeAlarms and GetMetricData take no resource.
    out.push({
      Sid: 'ReadAlarmGates',
      Effect: 'Allow',
      Action: ['cloudwatch:DescribeAlarms', 'cloudwatch:GetMetricData'],
      Resource: '*',
    });
  }
  if (need.sendFailed) {
    out.push({
      Sid: 'KeepFailedEvents',
      Effect: 'Allow',
      Action: 'sqs:SendMessage',
      Resource: { 'Fn::GetAtt': ['FailedEventsQueue', 'Arn'] },
    });
  }
  if (need.operateFailed) {
    out.push({
      Sid: 'RedriveFailedEvents',
      Effect: 'Allow',
      Action: ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:ChangeMessageVisibility', 'sqs:GetQueueAttributes'],
      Resource: { 'Fn::GetAtt': ['FailedEventsQueue', 'Arn'] },
    });
  }
  return out;
}

const roleId = (fn) => `${fn[0].toUpperCase()}${fn.slice(1)}Role`;

async function build({ resolveVariable }) {
  // serverless reports a param whose value is '' as unresolvable: read that as "not set".
  const param = async (name) => {
    const value = await resolveVariable(`param:${name}`).catch((e) => {
      if (e.code === 'MISSING_VARIABLE_DEPENDENCY') throw e;
      return '';
    });
    return typeof value === 'string' ? value.trim() : String(value ?? '');
  };
  const stage = await resolveVariable('sls:stage');
  const service = await resolveVariable('self:service');
  const functionPrefix = `${service}-${stage}`;
  const configPath = path.resolve(serviceDir, process.env.SWITCHYARD_CONFIG || 'switchyard.config.yml');
  const config = await parse(loadConfigFile(configPath), configPath);
  const baseDir = path.dirname(configPath);
  const relConfig = path.relative(serviceDir, configPath);
  // A config outside the service folder (the sandbox's, a test's) is read in place and not packaged.
  const inside = !relConfig.startsWith('..') && !path.isAbsolute(relConfig);
  await checkTemplates(config, baseDir, inside);

  const ssmPrefix = (await param('ssmPrefix')).replace(/\/+$/, '');
  if (!ssmPrefix.startsWith('/'))
    throw packageError(`param ssmPrefix must be an SSM path starting with /, got "${ssmPrefix}"`);
  const params = {
    ssmPrefix,
    githubAppId: await param('githubAppId'),
    githubApiUrl: await param('githubApiUrl'),
    statusTokenParameter: await param('statusTokenParameter'),
    functionPrefix,
  };
  if (params.githubAppId && !/^\d+$/.test(params.githubAppId)) {
    throw packageError(`param githubAppId must be the GitHub App's numeric id, got "${params.githubAppId}"`);
  }
  if (params.statusTokenParameter && !params.statusTokenParameter.startsWith('/')) {
    throw packageError('param statusTokenParameter must be an SSM parameter path starting with /');
  }
  const concurrency = await param('trafficShiftConcurrency');
  if (concurrency && !/^[1-9]\d*$/.test(concurrency)) {
    throw packageError(`param trafficShiftConcurrency must be a positive whole number or empty, got "${concurrency}"`);
  }
  const { needs, worker } = plan(config, params);
  const environment = {};
  const roles = {};
  for (const fn of FUNCTIONS) {
    environment[fn] = needs[fn].env;
    roles[roleId(fn)] = {
      Type: 'AWS::IAM::Role',
      Properties: {
        Description: `switchyard ${fn}: only what this function calls (docs/deploying.md)`,
        AssumeRolePolicyDocument: {
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }],
        },
        Policies: [
          {
            PolicyName: fn,
            PolicyDocument: { Version: '2012-10-17', Statement: statements(fn, needs[fn], worker, functionPrefix) },
          },
        ],
      },
    };
  }
  const templateDirs = config.apps
    .filter((a) => a.preview)
    .map((a) => path.relative(serviceDir, path.resolve(baseDir, a.preview.templates)));
  return {
    // Deployed functions read the packaged copy, by its path inside the package.
    configFile: inside ? `./${relConfig}` : configPath,
    packagePatterns: inside ? [relConfig, ...uniq(templateDirs).map((d) => `${d}/**`)] : [],
    environment,
    trafficShiftConcurrency: concurrency ? Number(concurrency) : null,
    resources: {
      Resources: roles,
      // The role ARNs, for the EKS access entries (docs/deploying.md).
      Outputs: Object.fromEntries(
        FUNCTIONS.map((fn) => [`${roleId(fn)}Arn`, { Value: { 'Fn::GetAtt': [roleId(fn), 'Arn'] } }]),
      ),
    },
  };
}

// Every `${file(...)}` reference resolves through this one function. When the config is bad, only
// `configFile` carries the error (so serverless prints the reason once); the other references get
// empty stand-ins, since serverless stops at the first unresolved variable anyway.
let memo;
module.exports = async (resolver) => {
  memo ??= build(resolver).catch((error) => {
    if (error.code === 'MISSING_VARIABLE_DEPENDENCY') {
      memo = undefined;
      throw error;
    }
    return {
      get configFile() {
        throw error;
      },
      packagePatterns: [],
      environment: Object.fromEntries(FUNCTIONS.map((fn) => [fn, {}])),
      trafficShiftConcurrency: null,
      resources: { Resources: {} },
    };
  });
  return memo;
};
module.exports.FUNCTIONS = FUNCTIONS;
