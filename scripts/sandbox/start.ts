// `npm start`: the whole of switchyard on this machine. A real Kubernetes control plane, the Route 53,
// CloudWatch and GitHub stand-ins, every function under serverless-offline (HTTP and the Lambda Invoke
// API), the schedules ticking fast, and a narrated demo. Ctrl-C tears everything down.
//   npm start                 stack + demo, then keeps running
//   npm start -- --no-demo    stack only, to drive with `npx switchyard ...` and curl
import { spawn } from 'node:child_process';
import { appendFileSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { applyObjects, type KubeObject } from '../../shared/adapters/k8s/apply-objects.ts';
import { kubeConfigFromFile } from '../../shared/adapters/k8s/kube-client.ts';
import { TEST_CI_SECRET, TEST_GITHUB_SECRET } from '../../test/support/api-gateway-event.ts';
import { installSwitchyard } from '../../test/support/cluster/install-switchyard.ts';
import { startGitHubServer } from '../../test/support/github/index.ts';
import { startCloudWatchServer } from '../../test/support/route53/cloudwatch-server.ts';
import { startRoute53Server } from '../../test/support/route53/server.ts';
import { type OfflineStack, startOffline } from '../../test/support/serverless-offline.ts';
import { runDemo } from './demo.ts';
import {
  APP,
  FIRST_SHA,
  LEGACY_TARGET,
  LEGACY_TTL,
  PR,
  RECORD,
  REPO,
  releaseObjects,
  sandboxConfig,
  ZONE,
} from './fixtures.ts';
import { heading, note, ok, plan, say, step, warn } from './narrate.ts';

const root = resolve(import.meta.dirname, '../..');
const dir = resolve(root, '.sandbox');
const withDemo = !process.argv.includes('--no-demo');
const GITHUB_TOKEN = 'sandbox-github-token';

const cleanups: Array<{ name: string; run: () => Promise<unknown> }> = [];
let stopping = false;

async function shutdown(code: number): Promise<void> {
  // A second signal (npm and the terminal both forward Ctrl-C) must not cut the cleanup short.
  if (stopping) return;
  stopping = true;
  // Once the schedules and child processes are gone nothing else holds the event loop: keep it
  // alive until every cleanup has run.
  const keepAlive = setInterval(() => {}, 1000);
  heading('Stopping the sandbox...');
  for (const c of cleanups.reverse()) {
    try {
      await c.run();
      ok(`${c.name} stopped`);
    } catch (error) {
      warn(`${c.name}: ${(error as Error).message}`);
    }
  }
  rmSync(resolve(dir, 'cli.json'), { force: true });
  clearInterval(keepAlive);
  process.exit(code);
}
let firstSignal = 0;
let lateSignals = 0;
const onSignal = () => {
  if (firstSignal === 0) {
    firstSignal = Date.now();
    void shutdown(0);
    return;
  }
  // Ctrl-C arrives through npm and the terminal at once: only repeated presses later mean "force".
  if (Date.now() - firstSignal > 3000 && ++lateSignals === 2) {
    warn('forced exit: run `npm run cluster:down` with SWITCHYARD_CLUSTER_DIR=.sandbox/cluster to clean up');
    process.exit(130);
  }
};
process.on('SIGINT', onSignal);
process.on('SIGTERM', onSignal);

function sh(script: string, env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((res, rej) => {
    const child = spawn('bash', [resolve(root, script)], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    const relay = (d: Buffer) => {
      out += d.toString();
      for (const line of d.toString().split('\n')) if (line.trim()) note(`        ${line}`);
    };
    child.stdout.on('data', relay);
    child.stderr.on('data', relay);
    child.once('exit', (code) => (code === 0 ? res(out) : rej(new Error(`${script} failed (exit ${code})`))));
  });
}

async function main(): Promise<void> {
  mkdirSync(dir, { recursive: true });
  plan(6);
  heading(`switchyard sandbox${withDemo ? ' with the demo' : ''}`);

  step(
    'Building the Kubernetes control plane from Go modules (cached after the first run; a cold build takes several minutes)',
  );
  await sh('scripts/cluster/build.sh', process.env);

  step('Starting Kubernetes on 127.0.0.1: etcd, kube-apiserver, controller manager, scheduler and kwok nodes');
  const clusterEnv = { ...process.env, SWITCHYARD_CLUSTER_DIR: resolve(dir, 'cluster') };
  cleanups.push({ name: 'Kubernetes', run: () => sh('scripts/cluster/down.sh', clusterEnv) });
  await sh('scripts/cluster/up.sh', clusterEnv);
  const kubeconfig = resolve(dir, 'cluster/kubeconfig');
  ok(`API server ready; kubeconfig ${kubeconfig}`);
  // switchyard's cluster side, as `kubectl apply -f deploy/kubernetes/` installs it (its namespace holds
  // the health check's alert state).
  await installSwitchyard(kubeConfigFromFile(kubeconfig));

  step('Starting the Route 53, CloudWatch and GitHub stand-ins');
  const route53 = await startRoute53Server({ changeDelayMs: 1000 });
  cleanups.push({ name: 'Route 53 stand-in', run: () => route53.close() });
  const zoneId = route53.control.createZone(ZONE);
  route53.control.seed(zoneId, [
    { action: 'CREATE', record: { name: RECORD, type: 'CNAME', ttl: LEGACY_TTL, values: [LEGACY_TARGET] } },
  ]);
  const healthCheckId = route53.control.createHealthCheck(true);
  const cloudwatch = await startCloudWatchServer();
  cleanups.push({ name: 'CloudWatch stand-in', run: () => cloudwatch.close() });
  const github = await startGitHubServer({
    tokens: [GITHUB_TOKEN],
    pulls: [
      { repo: REPO, number: PR, headSha: FIRST_SHA, headRef: 'changes', baseRef: 'master', title: 'Update the README' },
    ],
  });
  cleanups.push({ name: 'GitHub stand-in', run: () => github.close() });
  ok(`Route 53 ${route53.url} (zone ${ZONE} ${zoneId}: ${RECORD} CNAME ${LEGACY_TARGET}, TTL ${LEGACY_TTL}s)`);
  ok(`GitHub ${github.url} (${REPO}, PR #${PR} open)`);

  step(`Writing .sandbox/switchyard.config.yml and deploying the "${APP}" app's four track Deployments`);
  const configPath = resolve(dir, 'switchyard.config.yml');
  writeFileSync(
    configPath,
    sandboxConfig({ kubeconfig, templates: resolve(root, 'examples/previews/web'), zoneId, healthCheckId }),
  );
  // Applied as the platform team's own tooling would (kubectl, Helm, Argo CD): another field manager.
  // switchyard's manager then owns only the image fields and annotations it writes.
  await applyObjects(kubeConfigFromFile(kubeconfig), releaseObjects() as KubeObject[], {
    fieldManager: 'platform-team',
  });
  ok('namespace hello-prod: hello-internal, hello-free, hello-paid, hello-production (2 replicas each)');

  step('Starting every function under serverless-offline (HTTP API and the Lambda Invoke API)');
  const offline: OfflineStack = await startOffline({
    SWITCHYARD_CONFIG: configPath,
    GITHUB_WEBHOOK_SECRET: TEST_GITHUB_SECRET,
    CI_WEBHOOK_SECRET: TEST_CI_SECRET,
    GITHUB_TOKEN,
    GITHUB_API_URL: github.url,
    // GitHub asks for one write a second; the stand-in does not, and the demo should not wait for it.
    SWITCHYARD_GITHUB_THROTTLE: 'off',
    KUBECONFIG: kubeconfig,
    AWS_ENDPOINT_URL_ROUTE_53: route53.url,
    AWS_ENDPOINT_URL_CLOUDWATCH: cloudwatch.url,
    WORKER_FUNCTION_NAME: 'switchyard-dev-pipelineWorker',
    LOG_LEVEL: 'WARN',
  });
  cleanups.push({ name: 'serverless-offline', run: () => offline.stop() });
  // Everything the functions log (JSON lines), for a person who wants to see behind the narration.
  const logFile = resolve(dir, 'functions.log');
  writeFileSync(logFile, offline.output());
  offline.onOutput((text) => appendFileSync(logFile, text));
  const lambda = new LambdaClient({
    endpoint: offline.lambdaUrl,
    // A lost answer must not hang a schedule or the demo forever.
    requestHandler: { requestTimeout: 120_000, throwOnRequestTimeout: true },
    region: 'eu-west-1',
    credentials: { accessKeyId: 'sandbox', secretAccessKey: 'sandbox' },
  });
  writeFileSync(
    resolve(dir, 'cli.json'),
    JSON.stringify({ lambdaEndpoint: offline.lambdaUrl, functionName: 'switchyard-dev-ops' }),
  );
  const invoke = async (fn: string, payload: unknown = {}) => {
    const res = await lambda.send(
      new InvokeCommand({ FunctionName: `switchyard-dev-${fn}`, Payload: Buffer.from(JSON.stringify(payload)) }),
    );
    const text = res.Payload ? Buffer.from(res.Payload).toString('utf8') : 'null';
    if (res.FunctionError) throw new Error(`${fn}: ${text}`);
    return JSON.parse(text) as unknown;
  };
  ok(`functions at ${offline.httpUrl}: POST /github/webhook, POST /ci/notify, GET /status`);

  step(
    'Ticking the schedules fast: rolloutWatcher and trafficShift every 2 s, healthCheck and previewJanitor every 10 s',
  );
  const lastError = new Map<string, string>();
  const tick = (fn: string, everyMs: number) => {
    let busy = false;
    const timer = setInterval(async () => {
      if (busy || stopping) return;
      busy = true;
      try {
        await invoke(fn);
        lastError.delete(fn);
      } catch (error) {
        const message = (error as Error).message.slice(0, 300);
        if (!stopping && lastError.get(fn) !== message) warn(`${fn} tick failed: ${message}`);
        lastError.set(fn, message);
      } finally {
        busy = false;
      }
    }, everyMs);
    cleanups.push({ name: `${fn} schedule`, run: async () => clearInterval(timer) });
  };
  tick('rolloutWatcher', 2000);
  tick('trafficShift', 2000);
  tick('healthCheck', 10_000);
  tick('previewJanitor', 10_000);

  heading('The sandbox is up.');
  say(`Status page:  ${offline.httpUrl}/status   (JSON: ${offline.httpUrl}/status.json)`);
  say(
    `Webhooks:     ${offline.httpUrl}/github/webhook (secret ${TEST_GITHUB_SECRET}), ${offline.httpUrl}/ci/notify (secret ${TEST_CI_SECRET})`,
  );
  say('Operator CLI: npx switchyard status   (talks to this sandbox through .sandbox/cli.json)');
  say(`Kubernetes:   KUBECONFIG=${kubeconfig}`);
  say(`Logs:         ${logFile} (every function's JSON log lines)`);

  if (withDemo) {
    await runDemo({
      root,
      httpUrl: offline.httpUrl,
      github,
      route53,
      zoneId,
      healthCheckId,
      ops: async (command, args = {}) => (await invoke('ops', { command, args })) as { ok: boolean },
    });
    say(`See it all on the status page: ${offline.httpUrl}/status`);
  }
  say('Press Ctrl-C to stop and clean up.');
  await new Promise(() => {});
}

main().catch(async (error) => {
  warn(`the sandbox failed: ${(error as Error).message}`);
  await shutdown(1);
});
