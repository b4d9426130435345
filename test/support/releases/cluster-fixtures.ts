import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CoreV1Api, type KubeConfig } from '@kubernetes/client-node';
import { createGitHubScm } from '../../../shared/adapters/github/github-scm.ts';
import { applyObjects, type KubeObject } from '../../../shared/adapters/k8s/apply-objects.ts';
import { type CallCounter, createReleaseCluster } from '../../../shared/adapters/k8s/release-cluster.ts';
import { toDeploymentView } from '../../../shared/adapters/k8s/release-views.ts';
import { watchUntil } from '../../../shared/adapters/k8s/watch-until.ts';
import type { ReleaseDeps } from '../../../shared/app/releases/index.ts';
import { AppSchema } from '../../../shared/config/schema.ts';
import type { CiResultIntent } from '../../../shared/domain/intents.ts';
import { type DeploymentView, rolloutProgress } from '../../../shared/domain/release/deployment-view.ts';
import type { Clock } from '../../../shared/ports/clock.ts';
import { silentLogger } from '../../../shared/ports/logger.ts';
import type { GitHubServer } from '../github/server.ts';

/** The field manager the "people" who created the Deployments use (kubectl apply --server-side). */
export const CREATOR = 'kubectl';

export interface TestDeployment {
  name: string;
  replicas?: number;
  containers?: { name: string; image: string }[];
  labels?: Record<string, string>;
  progressDeadlineSeconds?: number;
}

/** Deployments as a team would have created them, with fields switchyard must never touch. */
export async function createDeployments(kc: KubeConfig, namespace: string, items: readonly TestDeployment[]) {
  const objects: KubeObject[] = items.map((d) => ({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: d.name, namespace, labels: { team: 'shop', ...(d.labels ?? {}) } },
    spec: {
      replicas: d.replicas ?? 2,
      ...(d.progressDeadlineSeconds ? { progressDeadlineSeconds: d.progressDeadlineSeconds } : {}),
      selector: { matchLabels: { app: d.name } },
      template: {
        metadata: { labels: { app: d.name, ...(d.labels ?? {}) } },
        spec: {
          containers: (d.containers ?? [{ name: d.name, image: `registry.example.com/shop/${d.name}:v1` }]).map(
            (c) => ({
              ...c,
              env: [{ name: 'LOG_LEVEL', value: 'info' }],
              resources: { requests: { cpu: '10m', memory: '16Mi' } },
            }),
          ),
        },
      },
    },
  }));
  await applyObjects(kc, objects, { fieldManager: CREATOR });
  await waitRolledOut(
    kc,
    namespace,
    items.map((d) => d.name),
  );
}

/** Waits (list then watch) until every named Deployment has finished its rollout. */
export async function waitRolledOut(kc: KubeConfig, namespace: string, names: readonly string[], ms = 90_000) {
  const result = await watchUntil(kc, {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    namespace,
    deadline: Date.now() + ms,
    until: (items) => {
      const views = items.map(toDeploymentView).filter((v) => names.includes(v.name));
      return views.length === names.length && views.every(settled) ? views : undefined;
    },
  });
  if (!result.met) throw new Error(`Deployments ${names.join(', ')} in ${namespace} did not roll out in ${ms} ms`);
  return result.value;
}

/**
 * Rolled out and quiet: after kubectl's "done" the controller still writes the Progressing condition
 * (NewReplicaSetAvailable), which bumps resourceVersion; tests wait for that too so the watcher tick
 * they run next is not racing a status write.
 */
export function settled(v: DeploymentView): boolean {
  const progressing = v.conditions.find((c) => c.type === 'Progressing');
  return rolloutProgress(v).done && (v.replicas === 0 || progressing?.reason === 'NewReplicaSetAvailable');
}

/** A clock the test moves by hand (bake times in minutes, run in milliseconds). */
export function manualClock(start = '2026-11-02T09:00:00Z'): Clock & { advance(minutes: number): void } {
  let now = Date.parse(start);
  return {
    now: () => new Date(now),
    sleep: async () => {},
    advance(minutes: number) {
      now += minutes * 60_000;
    },
  };
}

export function releaseDeps(
  kc: KubeConfig,
  githubUrl: string,
  apps: readonly unknown[],
  clock: Clock,
  counter: CallCounter = { calls: 0 },
): ReleaseDeps {
  const port = createReleaseCluster(kc, counter);
  return {
    apps: apps.map((a) => AppSchema.parse(a)),
    cluster: async () => port,
    scm: createGitHubScm({
      auth: { kind: 'token', token: 'test-token' },
      baseUrl: githubUrl,
      logger: silentLogger,
      throttle: false,
      retries: 0,
      botLogin: 'switchyard[bot]',
    }),
    clock,
    logger: silentLogger,
  };
}

/** Puts commits on a branch of the GitHub stand-in, oldest first (each on top of the previous head). */
export function landOnBranch(github: GitHubServer, repo: string, shas: readonly string[], branch = 'main'): void {
  for (const sha of shas) github.control.git.commit(repo, branch, sha);
}

export function ciSuccess(
  repo: string,
  sha: string,
  eventTime: string,
  image: string | null = null,
  branch = 'main',
): CiResultIntent {
  return {
    kind: 'ci_result',
    deliveryId: `ci-${sha.slice(0, 8)}-${eventTime}`,
    repo,
    eventTime,
    sha,
    branch,
    result: 'success',
    source: 'ci_notification',
    image,
    prs: [],
    url: null,
    name: 'ci',
  };
}

/** Sets status fields of a pod the way a kubelet would (kwok leaves them alone once Running). */
export async function patchPodStatus(kc: KubeConfig, namespace: string, name: string, status: Record<string, unknown>) {
  const core = kc.makeApiClient(CoreV1Api);
  const { PatchStrategy, setHeaderOptions } = await import('@kubernetes/client-node');
  await core.patchNamespacedPodStatus(
    { name, namespace, body: { status } },
    setHeaderOptions('Content-Type', PatchStrategy.StrategicMergePatch),
  );
}

export async function podsOf(kc: KubeConfig, namespace: string, app: string) {
  const core = kc.makeApiClient(CoreV1Api);
  return (await core.listNamespacedPod({ namespace, labelSelector: `app=${app}` })).items.filter(
    (p) => !p.metadata?.deletionTimestamp,
  );
}

/** A webhook receiver on 127.0.0.1 that records what it is sent (a stand-in for Slack). */
export async function startWebhookReceiver() {
  const received: { path: string; body: unknown }[] = [];
  const server = createServer((req, res) => {
    let text = '';
    req.on('data', (c: Buffer) => {
      text += c.toString('utf8');
    });
    req.on('end', () => {
      received.push({ path: req.url ?? '', body: JSON.parse(text || 'null') });
      res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/services/T000/B000/token`,
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
