// Preview figures for docs/benchmarks.md ("Previews"):
// - "CI passed" to the success commit status posted, p50/p95 over 20 PRs, with GitHub's production
//   pacing on (plugin-throttling) and off, with Kubernetes requests and GitHub calls counted per deploy;
// - the same manifests applied by `kubectl apply -f` (client-side and --server-side) in the same run,
//   as a ratio to our apply step;
// - a burst: 50 PRs whose CI passes within 5 s, against the stand-in's secondary limits;
// - the time from the end of an API server outage to a repaired preview (the schedule's run);
// - previewJanitor over 500 previews and 500 PRs (calls and time), and its paced removal rate.
// Starts its own control plane (separate state directory, free ports) and the GitHub stand-in, which
// enforces GitHub's secondary limits.
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
import {
  handleCiResult,
  handlePullRequest,
  type PreviewDeps,
  reconcilePreviews,
  sweepPreviews,
} from '../shared/app/previews/index.ts';
import { parseConfig } from '../shared/config/parse-config.ts';
import type { CiResultIntent, PullRequestIntent } from '../shared/domain/intents.ts';
import { Keys, previewNamespace } from '../shared/domain/naming.ts';
import { claimAnnotations, deployedAnnotations, previewLabels } from '../shared/domain/preview/preview-record.ts';
import { systemClock } from '../shared/ports/clock.ts';
import { silentLogger } from '../shared/ports/logger.ts';
import type { PreviewClusterPort } from '../shared/ports/preview-cluster.ts';
import { startApiServerGate } from '../test/support/cluster-restart.ts';
import { startGitHubServer } from '../test/support/github/index.ts';

const root = resolve(import.meta.dirname, '..');
// PREVIEWS_BENCH=burst,outage runs only those parts (latency, kubectl, burst, outage, janitor).
const only = process.env['PREVIEWS_BENCH']?.split(',');
const want = (part: string) => only === undefined || only.includes(part);
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
// Raw speed and setup on a stand-in without GitHub's secondary limits; production pacing and bursts on
// one that enforces them (both are loopback HTTP through the real Octokit).
const gh = await startGitHubServer({ tokens: ['bench'], secondaryLimits: false });
const limited = await startGitHubServer({ tokens: ['bench'] });
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

  const statusAt = (server: typeof gh, head: string, since: number) =>
    server.calls.find(
      (c) =>
        c.method === 'POST' &&
        c.path === `/repos/bench/web/statuses/${head}` &&
        c.at >= since &&
        (c.body as { state?: string } | undefined)?.state === 'success',
    )?.at;

  // --- CI passed -> success status posted (20 PRs after one warm-up), pacing off and on ---
  const paced: PreviewDeps = {
    ...deps,
    // As production builds it: plugin-throttling on (writes 1 s apart, new comments 3 s).
    scm: createGitHubScm({ auth: { kind: 'token', token: 'bench' }, baseUrl: limited.url, logger: silentLogger }),
  };
  const figures: Record<'off' | 'on', { status: number[]; total: number[]; kube: number[]; github: number[] }> = {
    off: { status: [], total: [], kube: [], github: [] },
    on: { status: [], total: [], kube: [], github: [] },
  };
  let next = 1;
  for (const mode of want('latency') ? (['off', 'on'] as const) : []) {
    const run = mode === 'on' ? paced : deps;
    const server = mode === 'on' ? limited : gh;
    for (let i = 0; i <= 20; i++) {
      const pr = next++;
      const sha = hex(pr);
      server.control.seedPullRequest({ repo: 'bench/web', number: pr, headSha: sha, headRef: `feature-${pr}` });
      // The PR was opened minutes before its CI passed: its writes are not in the pacing window.
      if (mode === 'off') await handlePullRequest(deps, prIntent(pr, sha));
      else await new Promise((r) => setTimeout(r, 1100));
      const k0 = kubeRequests;
      const g0 = server.calls.length;
      const start = Date.now();
      const t0 = performance.now();
      const result = await handleCiResult(run, ciIntent(pr, sha));
      const ms = performance.now() - t0;
      const done = result.previews[0]?.done[0];
      if (done?.kind !== 'deploy' || done.result.outcome !== 'ready')
        throw new Error(`PR ${pr}: ${JSON.stringify(done)}`);
      if (i === 0) {
        applyMs.length = 0;
        continue;
      }
      const posted = statusAt(server, sha, start);
      if (posted === undefined) throw new Error(`PR ${pr}: no success status`);
      figures[mode].status.push(posted - start);
      figures[mode].total.push(ms);
      figures[mode].kube.push(kubeRequests - k0);
      figures[mode].github.push(server.calls.length - g0);
    }
  }
  for (const mode of want('latency') ? (['off', 'on'] as const) : []) {
    const f = figures[mode];
    console.log(`GitHub pacing ${mode}: CI passed -> success status posted (ms, 20 PRs): ${fmt(f.status)}`);
    console.log(`  the whole run (status, deployment, comment, annotations; ms): ${fmt(f.total)}`);
    console.log(`  Kubernetes requests per deploy: ${fmt(f.kube)}; GitHub calls per deploy: ${fmt(f.github)}`);
  }
  console.log(`  our apply step (6 server-side applies, no prune lists on a first deploy; ms): ${fmt(applyMs)}`);
  console.log(`  secondary-limit refusals so far: ${limited.limits?.refusals.length}`);

  // --- a second commit of the same PRs: pruning by the recorded objects, the old deployment inactive ---
  if (want('latency')) {
    const kube: number[] = [];
    const github: number[] = [];
    for (let pr = 2; pr <= 11; pr++) {
      const sha = hex(1000 + pr);
      gh.control.updatePullRequest('bench/web', pr, { headSha: sha });
      const k0 = kubeRequests;
      const g0 = gh.calls.length;
      await handleCiResult(deps, { ...ciIntent(pr, sha), eventTime: '2026-03-10T11:00:00Z' });
      kube.push(kubeRequests - k0);
      github.push(gh.calls.length - g0);
    }
    console.log(`second commit (10 PRs): Kubernetes requests per deploy ${fmt(kube)}; GitHub calls ${fmt(github)}`);
  }

  if (want('kubectl')) {
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
  }

  // --- a burst: 50 PRs whose CI passes within 5 s, one installation ---
  // kwok's node takes 110 pods: the earlier parts' previews are removed first so every burst pod fits.
  if (want('burst')) {
    for (const ns of await port.listNamespaces('app.kubernetes.io/managed-by=switchyard')) {
      await port.deleteNamespace(ns.name);
    }
  }
  // The deploys of one installation run one after another (one FIFO message group per installation,
  // docs/previews.md "Pacing"), each with the production pacing, against the secondary limits.
  if (want('burst')) {
    const N = 50;
    const first = 301;
    for (let pr = first; pr < first + N; pr++) {
      limited.control.seedPullRequest({ repo: 'bench/web', number: pr, headSha: hex(pr), headRef: `feature-${pr}` });
    }
    const refusals0 = limited.limits?.refusals.length ?? 0;
    const writes0 = limited.limits?.writes.length ?? 0;
    const start = Date.now();
    // CI passes for all 50 within 5 s: each event waits in the queue for its turn.
    const arrivals = Array.from({ length: N }, (_, i) => start + (i * 5000) / N);
    const statusDone: number[] = [];
    const notReady: string[] = [];
    for (let i = 0; i < N; i++) {
      const pr = first + i;
      const wait = (arrivals[i] ?? start) - Date.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      const t = Date.now();
      const out = await handleCiResult(paced, ciIntent(pr, hex(pr)));
      const at = statusAt(limited, hex(pr), t);
      if (at === undefined) {
        // Not ready within the worker's wait (or failed): the schedule reports it; say which.
        const done = out.previews[0]?.done[0];
        notReady.push(
          `#${pr}: ${done?.kind === 'deploy' ? `${done.result.outcome} (${done.result.message})` : JSON.stringify(done)}`,
        );
        continue;
      }
      statusDone.push(at - (arrivals[i] ?? start));
    }
    const lastStatus = Math.max(...Array.from({ length: N }, (_, i) => statusAt(limited, hex(first + i), start) ?? 0));
    const done = Date.now();
    const writes = (limited.limits?.writes ?? []).slice(writes0);
    let peakMinute = 0;
    for (const w of writes) peakMinute = Math.max(peakMinute, writes.filter((x) => x >= w && x < w + 60_000).length);
    console.log(
      `burst of ${N} PRs (CI passed within 5 s): all ${N} success statuses posted ${((lastStatus - start) / 1000).toFixed(1)} s after the first CI event; ` +
        `every write done after ${((done - start) / 1000).toFixed(1)} s; ${writes.length} writes, at most ${peakMinute} in any minute; ` +
        `peak concurrent requests ${limited.limits?.peakConcurrent()}; secondary-limit refusals ${(limited.limits?.refusals.length ?? 0) - refusals0}`,
    );
    console.log(`  per PR, its CI event -> its success status (s): ${fmt(statusDone.map((x) => x / 1000))}`);
    if (notReady.length > 0) console.log(`  not reported by the worker (left to the schedule): ${notReady.join('; ')}`);
  }

  // --- an API server outage: from its end to a repaired preview ---
  if (want('outage')) {
    const gate = await startApiServerGate(kubeconfig);
    const gated: PreviewDeps = { ...deps, cluster: () => createPreviewCluster(gate.kc) };
    const pr = 400;
    const sha = hex(pr);
    gh.control.seedPullRequest({ repo: 'bench/web', number: pr, headSha: sha, headRef: `feature-${pr}` });
    await handlePullRequest(deps, prIntent(pr, sha));
    for (let attempt = 0; attempt < 3; attempt++) {
      gate.onRequest(/\/resourcequotas\//, () => gate.restart());
      await handleCiResult(gated, ciIntent(pr, sha)).then(
        () => {
          throw new Error('the outage did not fail the deploy');
        },
        () => undefined,
      );
      gate.restore();
    }
    // The outage is over; the schedule's next run (rolloutWatcher, every minute) finds the empty claim.
    const later = { ...systemClock, now: () => new Date(Date.now() + 10 * 60_000) };
    const t0 = performance.now();
    const run = await reconcilePreviews({ ...gated, clock: later });
    const ms = performance.now() - t0;
    const repaired = run.repaired[0]?.done[0];
    if (repaired?.kind !== 'deploy' || repaired.result.outcome !== 'ready') throw new Error(JSON.stringify(run));
    console.log(
      `API server outage over -> preview repaired by the schedule's run: ${ms.toFixed(0)} ms for the run ` +
        `(plus the wait for the next run: at most the watcher rate, 1 minute; plus the failed worker's lease when the schedule comes first)`,
    );
    await gate.close();
  }

  if (want('janitor')) {
    // --- previewJanitor over 500 previews and 500 PRs ---
    const N = 500;
    const now = Date.now();
    for (let pr = 1; pr <= N; pr++) {
      const closed = pr % 5 === 0;
      gh.control.seedPullRequest({
        repo: 'bench/bulk',
        number: pr,
        headSha: hex(pr),
        state: closed ? 'closed' : 'open',
      });
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
    const bulkOnly: PreviewDeps = {
      ...deps,
      config: { ...config, apps: config.apps.filter((a) => a.name === 'bulk') },
    };
    {
      // The removal rate under production pacing: 10 removals, then the rest unpaced below.
      const pacedBulk: PreviewDeps = {
        ...bulkOnly,
        scm: createGitHubScm({ auth: { kind: 'token', token: 'bench' }, baseUrl: gh.url, logger: silentLogger }),
      };
      await new Promise((r) => setTimeout(r, 3000));
      const t = performance.now();
      const sweep = await sweepPreviews(pacedBulk, { maxDeletions: 10 });
      const perRemoval = (performance.now() - t) / sweep.deleted.length;
      console.log(
        `janitor with production pacing: ${sweep.deleted.length} removals, ${(perRemoval / 1000).toFixed(2)} s each ` +
          `(about ${Math.floor(285_000 / perRemoval)} per 300-s run with its 15-s margin)`,
      );
    }
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
  }
} finally {
  await gh.close();
  await limited.close();
  script('down.sh');
}
