// Preview figures for docs/benchmarks.md ("Previews"):
// - "CI passed" to all objects applied, rollout Available and the success status posted, p50/p95 over
//   20 PRs, with Kubernetes requests and GitHub calls counted per preview;
// - the same manifests applied by `kubectl apply -f` (client-side and --server-side) in the same run,
//   as a ratio to our apply step;
// - previewJanitor over 500 previews and 500 PRs (calls and time).
// Starts its own control plane (separate state directory, free ports) and the GitHub stand-in.
//   node --experimental-strip-types bench/previews.ts
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { stringify } from 'yaml';
import { createGitHubScm } from '../shared/adapters/github/github-scm.ts';
import { kubeConfigFromFile } from '../shared/adapters/k8s/kube-client.ts';
import { createPreviewCluster } from '../shared/adapters/k8s/preview-cluster.ts';
import { createTemplateFolderSource } from '../shared/adapters/k8s/preview-template-files.ts';
import { renderPreview } from '../shared/app/previews/deploy-preview.ts';
import { handleCiResult, handlePullRequest, type PreviewDeps, sweepPreviews } from '../shared/app/previews/index.ts';
import { parseConfig } from '../shared/config/parse-config.ts';
import type { CiResultIntent, PullRequestIntent } from '../shared/domain/intents.ts';
import { Keys, previewNamespace } from '../shared/domain/naming.ts';
import { claimAnnotations, deployedAnnotations, previewLabels } from '../shared/domain/preview/preview-record.ts';
import { systemClock } from '../shared/ports/clock.ts';
import { silentLogger } from '../shared/ports/logger.ts';
import type { PreviewClusterPort } from '../shared/ports/preview-cluster.ts';
import { startGitHubServer } from '../test/support/github/index.ts';

const root = resolve(import.meta.dirname, '..');
const dir = join('/dev/shm', `switchyard-bench-previews-${process.pid}`);
const env = { ...process.env, SWITCHYARD_CLUSTER_DIR: dir };
function script(name: string): void {
  const r = spawnSync('bash', [join(root, 'scripts/cluster', name)], { env, stdio: ['ignore', 'pipe', 'inherit'] });
  if (r.status !== 0) throw new Error(`${name} failed:\n${r.stdout}`);
}
const pct = (xs: number[], p: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(p * xs.length))] ?? 0;
const fmt = (xs: number[]) =>
  `p50 ${pct(xs, 0.5).toFixed(0)} / p95 ${pct(xs, 0.95).toFixed(0)} / max ${Math.max(...xs).toFixed(0)}`;
const hex = (n: number) => n.toString(16).padStart(40, '0');

script('up.sh');
const kubeconfig = join(dir, 'kubeconfig');
const gh = await startGitHubServer({ tokens: ['bench'] });
try {
  const kc = kubeConfigFromFile(kubeconfig);
  let kubeRequests = 0;
  const authenticate = kc.applySecurityAuthentication.bind(kc);
  kc.applySecurityAuthentication = async (ctx) => {
    kubeRequests++;
    return authenticate(ctx);
  };
  const applyMs: number[] = [];
  const port = createPreviewCluster(kc);
  const timed: PreviewClusterPort = {
    ...port,
    async applyObjects(namespace, objects, selector) {
      const t = performance.now();
      const out = await port.applyObjects(namespace, objects, selector);
      applyMs.push(performance.now() - t);
      return out;
    },
  };
  const templates = resolve(root, 'examples/previews/web');
  const config = parseConfig(
    JSON.stringify({
      clusters: [{ name: 'bench', kubeconfig }],
      apps: [
        {
          name: 'web',
          repo: 'bench/web',
          image: 'registry.example.test/web',
          cluster: 'bench',
          preview: { templates, host: 'pr-{pr}.web.preview.example.test', waitSeconds: 60, maxPerApp: 100 },
        },
        {
          name: 'bulk',
          repo: 'bench/bulk',
          image: 'registry.example.test/bulk',
          cluster: 'bench',
          preview: { templates, host: 'pr-{pr}.bulk.preview.example.test', ttlHours: 72, maxPerApp: 1000 },
        },
      ],
    }),
  );
  const deps: PreviewDeps = {
    config,
    scm: createGitHubScm({
      auth: { kind: 'token', token: 'bench' },
      baseUrl: gh.url,
      logger: silentLogger,
      throttle: false,
    }),
    cluster: () => timed,
    templates: createTemplateFolderSource(root),
    clock: systemClock,
    logger: silentLogger,
  };
  const prIntent = (pr: number, sha: string): PullRequestIntent => ({
    kind: 'pull_request',
    deliveryId: `b${pr}`,
    repo: 'bench/web',
    eventTime: '2026-03-10T10:00:00Z',
    action: 'opened',
    pr,
    headSha: sha,
    headRef: `feature-${pr}`,
    baseRef: 'main',
    headRepo: 'bench/web',
    fork: false,
    draft: false,
    merged: false,
    labels: [],
    author: 'dev',
    title: `PR ${pr}`,
  });
  const ciIntent = (pr: number, sha: string): CiResultIntent => ({
    kind: 'ci_result',
    deliveryId: `c${pr}`,
    repo: 'bench/web',
    eventTime: '2026-03-10T10:05:00Z',
    sha,
    branch: `feature-${pr}`,
    result: 'success',
    source: 'ci_notification',
    image: null,
    prs: [pr],
    url: 'https://ci.example.test/run',
    name: 'ci',
  });

  // --- CI passed -> applied, Available, success posted (20 PRs, one warm-up first) ---
  const total: number[] = [];
  const kube: number[] = [];
  const github: number[] = [];
  for (let pr = 0; pr <= 20; pr++) {
    const sha = hex(pr + 1);
    gh.control.seedPullRequest({ repo: 'bench/web', number: pr + 1, headSha: sha, headRef: `feature-${pr + 1}` });
    await handlePullRequest(deps, prIntent(pr + 1, sha));
    const k0 = kubeRequests;
    const g0 = gh.calls.length;
    const t0 = performance.now();
    const result = await handleCiResult(deps, ciIntent(pr + 1, sha));
    const ms = performance.now() - t0;
    const done = result.previews[0]?.done[0];
    if (done?.kind !== 'deploy' || done.result.outcome !== 'ready')
      throw new Error(`PR ${pr + 1}: ${JSON.stringify(done)}`);
    if (pr === 0) {
      applyMs.length = 0;
      continue;
    }
    total.push(ms);
    kube.push(kubeRequests - k0);
    github.push(gh.calls.length - g0);
  }
  const writes = gh.calls.filter((c) => c.method !== 'GET' && c.path.startsWith('/repos/bench/web/'));
  console.log(`CI passed -> success posted (ms, 20 PRs): ${fmt(total)}`);
  console.log(`  our apply step (SSA of 6 objects + prune lists, ms): ${fmt(applyMs)}`);
  console.log(`  Kubernetes requests per preview: ${fmt(kube)}; GitHub calls per preview: ${fmt(github)}`);
  console.log(`  GitHub writes over 20 PRs incl. opening: ${writes.length}`);

  // --- the same with GitHub's pacing on (plugin-throttling: writes 1 s apart, comments 3 s) ---
  const paced: PreviewDeps = {
    ...deps,
    scm: createGitHubScm({ auth: { kind: 'token', token: 'bench' }, baseUrl: gh.url, logger: silentLogger }),
  };
  const pacedMs: number[] = [];
  for (let pr = 101; pr <= 103; pr++) {
    const sha = hex(pr);
    gh.control.seedPullRequest({ repo: 'bench/web', number: pr, headSha: sha, headRef: `feature-${pr}` });
    await handlePullRequest(paced, prIntent(pr, sha));
    const t0 = performance.now();
    await handleCiResult(paced, ciIntent(pr, sha));
    pacedMs.push(performance.now() - t0);
  }
  console.log(`  with write pacing on (3 PRs, ms): ${pacedMs.map((x) => x.toFixed(0)).join(', ')}`);

  // --- kubectl apply -f on the same rendered manifests, into twin namespaces ---
  const work = mkdtempSync(join(tmpdir(), 'bench-kubectl-'));
  const csa: number[] = [];
  const ssa: number[] = [];
  const app = deps.config.apps[0];
  if (!app?.preview) throw new Error('no web app');
  for (let i = 1; i <= 20; i++) {
    for (const [mode, sink] of [
      ['csa', csa],
      ['ssa', ssa],
    ] as const) {
      const ns = `kubectl-${mode}-${i}`;
      await port.createNamespace(ns, { labels: {}, annotations: {} });
      const objects = await renderPreview(deps, { ...app, preview: app.preview }, i, ns, {
        sha: hex(i + 1),
        eventTime: 'x',
        image: `registry.example.test/web:${hex(i + 1)}`,
        branch: `feature-${i}`,
        host: `pr-${i}.web.preview.example.test`,
      });
      const file = join(work, `${ns}.yaml`);
      writeFileSync(file, objects.map((o) => stringify(o)).join('---\n'));
      const args = [
        'apply',
        '--kubeconfig',
        kubeconfig,
        '-f',
        file,
        ...(mode === 'ssa' ? ['--server-side', '--field-manager', 'bench'] : []),
      ];
      const t = performance.now();
      const r = spawnSync('kubectl', args, { encoding: 'utf8' });
      sink.push(performance.now() - t);
      if (r.status !== 0) throw new Error(`kubectl ${args.join(' ')}: ${r.stderr}`);
    }
  }
  rmSync(work, { recursive: true, force: true });
  const kubectlVersion = spawnSync('kubectl', ['version', '--client'], { encoding: 'utf8' }).stdout.split('\n')[0];
  console.log(`kubectl apply -f (${kubectlVersion}, ms): client-side ${fmt(csa)}; --server-side ${fmt(ssa)}`);
  console.log(
    `  ratio our apply / kubectl apply (p50): client-side ${(pct(applyMs, 0.5) / pct(csa, 0.5)).toFixed(2)}, server-side ${(pct(applyMs, 0.5) / pct(ssa, 0.5)).toFixed(2)}`,
  );

  // --- previewJanitor over 500 previews and 500 PRs ---
  const N = 500;
  const now = Date.now();
  for (let pr = 1; pr <= N; pr++) {
    const closed = pr % 5 === 0;
    gh.control.seedPullRequest({ repo: 'bench/bulk', number: pr, headSha: hex(pr), state: closed ? 'closed' : 'open' });
    gh.state.deployments.push({
      id: 100000 + pr,
      repo: 'bench/bulk',
      sha: hex(pr),
      ref: hex(pr),
      task: 'deploy',
      environment: `preview/bulk/pr-${pr}`,
      description: null,
      transient: true,
      production: false,
      payload: {},
      autoMerge: false,
      requiredContexts: [],
      creator: 'switchyard[bot]',
      createdAt: new Date(now).toISOString(),
    });
  }
  const t0 = performance.now();
  const queue = Array.from({ length: N }, (_, i) => i + 1);
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      for (let pr = queue.shift(); pr !== undefined; pr = queue.shift()) {
        // Every 10th preview was last deployed 4 days ago: past the 72 h TTL.
        const deployedAt = new Date(now - (pr % 10 === 3 ? 96 : 1) * 3600_000);
        await port.createNamespace(previewNamespace('bulk', pr), {
          labels: previewLabels('bulk', pr, 'bench/bulk'),
          annotations: Object.fromEntries(
            Object.entries({
              ...claimAnnotations('bulk', 'bench/bulk', {
                sha: hex(pr),
                eventTime: deployedAt.toISOString(),
                image: 'x',
                branch: 'b',
                host: `pr-${pr}.bulk.preview.example.test`,
              }),
              ...deployedAnnotations(hex(pr), deployedAt, []),
              [Keys.githubDeploymentId]: String(100000 + pr),
            }).filter((e): e is [string, string] => e[1] !== null),
          ),
        });
      }
    }),
  );
  console.log(`seeded ${N} preview namespaces in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  const bulkOnly: PreviewDeps = { ...deps, config: { ...config, apps: config.apps.filter((a) => a.name === 'bulk') } };
  for (const dry of [true, false]) {
    const k0 = kubeRequests;
    const g0 = gh.calls.length;
    const t = performance.now();
    const sweep = await sweepPreviews(bulkOnly, { dryRun: dry });
    const ms = performance.now() - t;
    const calls = gh.calls.slice(g0);
    console.log(
      `janitor ${dry ? 'dry run' : 'sweep'} over ${sweep.scanned} previews / ${N} PRs: ${(ms / 1000).toFixed(2)} s; ` +
        `planned ${sweep.planned.length} (${JSON.stringify(sweep.byReason)}), deleted ${sweep.deleted.length}, failed ${sweep.failed.length}; ` +
        `Kubernetes requests ${kubeRequests - k0}; GitHub calls ${calls.length} (GET ${calls.filter((c) => c.method === 'GET').length}, writes ${calls.filter((c) => c.method !== 'GET').length})`,
    );
  }
} finally {
  await gh.close();
  script('down.sh');
}
