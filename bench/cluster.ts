// Control plane figures for docs/benchmarks.md: warm start to ready (binaries cached), memory of each
// component while running, a 3-replica Deployment to Available, and namespace deletion. Starts its own
// cluster in a separate state directory on free ports and stops it at the end.
//   node --experimental-strip-types bench/cluster.ts [runs]
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { applyObjects, deleteNamespace } from '../shared/adapters/k8s/apply-objects.ts';
import { kubeConfigFromFile } from '../shared/adapters/k8s/kube-client.ts';
import { watchUntil } from '../shared/adapters/k8s/watch-until.ts';
import { rolloutStatus } from '../shared/domain/rollout-status.ts';

const root = resolve(import.meta.dirname, '..');
const runs = Number(process.argv[2] ?? 3);
const dir = join(existsSync('/dev/shm') ? '/dev/shm' : '/tmp', `switchyard-bench-${process.pid}`);
const env = { ...process.env, SWITCHYARD_CLUSTER_DIR: dir };

function script(name: string): void {
  const r = spawnSync('bash', [join(root, 'scripts/cluster', name)], { env, stdio: ['ignore', 'pipe', 'inherit'] });
  if (r.status !== 0) throw new Error(`${name} failed:\n${r.stdout}`);
}

function rssMiB(pid: string): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/^VmRSS:\s+(\d+) kB/m.exec(status)?.[1] ?? 0) / 1024;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;

const starts: number[] = [];
for (let i = 0; i < runs; i++) {
  script('up.sh');
  starts.push(Number(readFileSync(join(dir, 'ready-ms'), 'utf8')));
  if (i < runs - 1) script('down.sh');
}
console.log(`warm start to ready (ms, ${runs} runs): ${starts.join(', ')}; median ${median(starts)}`);

const kc = kubeConfigFromFile(join(dir, 'kubeconfig'));
const rollouts: number[] = [];
const deletions: number[] = [];
for (let i = 0; i < 3; i++) {
  const namespace = `bench-${i}`;
  await applyObjects(kc, [{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace } }]);
  await watchUntil(kc, {
    apiVersion: 'v1',
    kind: 'ServiceAccount',
    namespace,
    until: (items) => (items.length > 0 ? true : undefined),
    deadline: Date.now() + 30_000,
  });
  const t0 = performance.now();
  await applyObjects(kc, [
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web', namespace },
      spec: {
        replicas: 3,
        selector: { matchLabels: { app: 'web' } },
        template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'app', image: 'x' }] } },
      },
    },
  ]);
  const rolled = await watchUntil(kc, {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    namespace,
    until: ([d]) => (d && rolloutStatus(d).done ? true : undefined),
    deadline: Date.now() + 60_000,
  });
  if (!rolled.met) throw new Error('rollout did not complete');
  rollouts.push(performance.now() - t0);
  const t1 = performance.now();
  await deleteNamespace(kc, namespace);
  const gone = await watchUntil(kc, {
    apiVersion: 'v1',
    kind: 'Namespace',
    fieldSelector: `metadata.name=${namespace}`,
    until: (items) => (items.length === 0 ? true : undefined),
    deadline: Date.now() + 90_000,
  });
  if (!gone.met) throw new Error('namespace deletion did not complete');
  deletions.push(performance.now() - t1);
}
const ms = (xs: number[]) => xs.map((x) => Math.round(x)).join(', ');
console.log(`3-replica Deployment applied -> Available (ms): ${ms(rollouts)}`);
console.log(`namespace with 3 pods deleted -> gone (ms): ${ms(deletions)}`);

let total = 0;
for (const name of readdirSync(join(dir, 'pids')).sort()) {
  const pid = readFileSync(join(dir, 'pids', name), 'utf8').trim();
  const rss = rssMiB(pid);
  total += rss;
  console.log(`RSS ${name}: ${rss.toFixed(0)} MiB`);
}
console.log(`RSS total: ${total.toFixed(0)} MiB`);
script('down.sh');
