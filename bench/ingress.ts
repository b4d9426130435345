// Bundle benchmark: size of every function's bundle from `serverless package` (AWS SDK clients
// included), cold init of each bundle in a fresh process with nothing else on the module path, cold
// start to the first answer of the webhook functions, and handler time for a 25 KB signed payload.
// Run: npm run bench -- ingress (or node --experimental-strip-types bench/ingress.ts --no-package to reuse .serverless/)
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { receiveGitHubWebhook } from '../shared/app/ingress/receive-github-webhook.ts';
import { silentLogger } from '../shared/ports/logger.ts';
import {
  ciNotification,
  githubDelivery,
  TEST_CI_SECRET,
  TEST_GITHUB_SECRET,
} from '../test/support/api-gateway-event.ts';
import { EXAMPLE_REPO, webhookExamples } from '../test/support/webhook-examples.ts';

const root = resolve(import.meta.dirname, '..');
const results: Record<string, unknown> = {};

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

// 1. Bundles.
if (!process.argv.includes('--no-package')) {
  console.error('packaging with serverless (offline)...');
  // The deploy test's config: every function then has its full set of clients.
  execFileSync(join(root, 'node_modules/.bin/serverless'), ['package'], {
    cwd: root,
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, SWITCHYARD_CONFIG: 'test/fixtures/deploy/switchyard.config.yml' },
  });
}
const zips = readdirSync(join(root, '.serverless')).filter((f) => f.endsWith('.zip'));
const bundles: Array<{ fn: string; zipKB: number; bundleKB: number; coldInitMs: number; coldInitCpuMs: number }> = [];
const nodeBin = process.execPath;
const baseline = (() => {
  const times: number[] = [];
  for (let i = 0; i < 5; i++) {
    const t = performance.now();
    spawnSync(nodeBin, ['-e', '0']);
    times.push(performance.now() - t);
  }
  return times.sort((a, b) => a - b)[2]!;
})();
for (const zip of zips) {
  const fn = zip.replace(/\.zip$/, '');
  const dir = mkdtempSync(join(tmpdir(), `bench-${fn}-`));
  execFileSync('unzip', ['-q', join(root, '.serverless', zip), '-d', dir]);
  const bundle = execFileSync('find', [dir, '-name', '*.cjs']).toString().trim().split('\n')[0]!;
  const times: number[] = [];
  const cpu: number[] = [];
  // Wall time of loading the bundle inside the process, and its CPU time (user + system), which a
  // busy machine inflates far less than wall time.
  const load = `const c=process.cpuUsage(),t=performance.now();require(${JSON.stringify(bundle)});const u=process.cpuUsage(c);console.log(JSON.stringify({wall:performance.now()-t,cpu:(u.user+u.system)/1000}))`;
  for (let i = 0; i < 7; i++) {
    // No NODE_PATH: the bundle must carry everything it requires (the AWS SDK included).
    const r = spawnSync(nodeBin, ['-e', load], { cwd: dir, env: { ...process.env } });
    if (r.status !== 0) throw new Error(`${fn} failed to load: ${r.stderr}`);
    const out = JSON.parse(r.stdout.toString().trim().split('\n').pop() ?? '{}') as { wall: number; cpu: number };
    times.push(out.wall);
    cpu.push(out.cpu);
  }
  times.sort((a, b) => a - b);
  cpu.sort((a, b) => a - b);
  bundles.push({
    fn,
    zipKB: Math.round(statSync(join(root, '.serverless', zip)).size / 1024),
    bundleKB: Math.round(statSync(bundle).size / 1024),
    coldInitMs: Math.round(times[3]! * 10) / 10,
    coldInitCpuMs: Math.round(cpu[3]! * 10) / 10,
  });
}
results['nodeStartupMs'] = Math.round(baseline);
results['bundles'] = bundles;

// 1b. Cold start to the first answer: a fresh process loads the bundle and handles one request
// (a signed ping; a CI notification for a repository no app has), secrets from the environment.
// The hand-off endpoint points at a closed loopback port: neither request reaches it.
const firstAnswer: Record<string, number> = {};
const ignoredCi = ciNotification({
  repo: 'acme/not-configured',
  sha: 'a'.repeat(40),
  branch: 'main',
  image: 'registry.example.com/x:a',
  result: 'success',
});
for (const [fn, event] of [
  ['githubWebhook', JSON.parse(readFileSync(join(root, 'events/github/ping.apigw.json'), 'utf8'))],
  ['ciNotification', ignoredCi],
] as const) {
  const dir = mkdtempSync(join(tmpdir(), `bench-first-${fn}-`));
  execFileSync('unzip', ['-q', join(root, '.serverless', `${fn}.zip`), '-d', dir]);
  const bundle = execFileSync('find', [dir, '-name', '*.cjs']).toString().trim().split('\n')[0]!;
  const script = `require(${JSON.stringify(bundle)}).handler(JSON.parse(process.env.BENCH_EVENT)).then((r) => console.log(JSON.stringify({ ms: performance.now(), status: r.statusCode })))`;
  const times: number[] = [];
  for (let i = 0; i < 7; i++) {
    const r = spawnSync(nodeBin, ['-e', script], {
      cwd: dir,
      env: {
        ...process.env,
        BENCH_EVENT: JSON.stringify(event),
        SWITCHYARD_CONFIG: join(root, 'events/switchyard.config.yml'),
        GITHUB_WEBHOOK_SECRET: TEST_GITHUB_SECRET,
        CI_WEBHOOK_SECRET: TEST_CI_SECRET,
        WORKER_FUNCTION_NAME: 'bench-worker',
        AWS_REGION: 'eu-west-1',
        AWS_ENDPOINT_URL_LAMBDA: 'http://127.0.0.1:9',
        POWERTOOLS_LOG_LEVEL: 'ERROR',
        LOG_LEVEL: 'ERROR',
      },
    });
    const out = JSON.parse(r.stdout.toString().trim().split('\n').pop() ?? '{}') as { ms?: number; status?: number };
    if (out.status !== 200 && out.status !== 202) throw new Error(`${fn} answered ${out.status}: ${r.stderr}`);
    times.push(out.ms ?? Number.NaN);
  }
  times.sort((a, b) => a - b);
  firstAnswer[fn] = Math.round((times[3]! - baseline) * 10) / 10;
}
results['coldStartToFirstAnswerMs'] = firstAnswer;

// 2. Handler time for a 25 KB payload, excluding the hand-off (a no-op invoker).
const payload = webhookExamples('pull_request').find((p) => p['action'] === 'opened')!;
(payload['pull_request'] as Record<string, unknown>)['body'] = 'x'.repeat(25 * 1024 - JSON.stringify(payload).length);
const event = githubDelivery('pull_request', payload);
const deps = {
  secrets: [TEST_GITHUB_SECRET],
  repos: new Set([EXAMPLE_REPO]),
  ignoreStatusContexts: [],
  invoker: { invokeAsync: async () => {} },
  workerFunctionName: 'w',
  logger: silentLogger,
  now: () => new Date(),
};
for (let i = 0; i < 200; i++) await receiveGitHubWebhook(deps, event);
const samples: number[] = [];
for (let i = 0; i < 2000; i++) {
  const t = performance.now();
  const res = await receiveGitHubWebhook(deps, event);
  samples.push(performance.now() - t);
  if (res.statusCode !== 202) throw new Error(`unexpected ${res.statusCode}`);
}
samples.sort((a, b) => a - b);
results['handler25KB'] = {
  bodyBytes: event.body.length,
  p50ms: Math.round(percentile(samples, 50) * 1000) / 1000,
  p99ms: Math.round(percentile(samples, 99) * 1000) / 1000,
};
console.log(JSON.stringify(results, null, 2));
if (!existsSync(join(root, 'docs'))) console.error('docs/ missing');
