import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { PreviewDeps } from '../../../shared/app/previews/index.ts';
import { parseConfig } from '../../../shared/config/parse-config.ts';
import type { CiResultIntent, PullRequestIntent } from '../../../shared/domain/intents.ts';
import { previewNamespace } from '../../../shared/domain/naming.ts';
import { previewFromNamespace } from '../../../shared/domain/preview/preview-record.ts';
import type { Clock } from '../../../shared/ports/clock.ts';
import { InMemoryDns } from '../../../shared/ports/in-memory-dns.ts';
import { InMemoryPreviewCluster } from '../../../shared/ports/in-memory-preview-cluster.ts';
import { InMemoryScm } from '../../../shared/ports/in-memory-scm.ts';
import { InMemoryTemplates } from '../../../shared/ports/in-memory-templates.ts';
import { silentLogger } from '../../../shared/ports/logger.ts';
import type { PullRequestInfo } from '../../../shared/ports/scm.ts';

/**
 * Preview use cases on the in-memory twins of their ports: no HTTP, no cluster. The example templates
 * are loaded once into the template twin; the clock is set by the test.
 */

const EXAMPLES = resolve(import.meta.dirname, '../../../examples/previews/web');
const files = readdirSync(EXAMPLES)
  .filter((n) => n.endsWith('.yaml'))
  .sort()
  .map((name) => ({ name, text: readFileSync(join(EXAMPLES, name), 'utf8') }));

export const REPO = 'acme/web';
export const ZONE = 'Z0123456789ABCDEFGHIJ';

export class TestClock implements Clock {
  ms = Date.parse('2026-03-10T10:00:00Z');
  now(): Date {
    return new Date(this.ms);
  }
  async sleep(ms: number): Promise<void> {
    this.ms += ms;
  }
  advance(ms: number): void {
    this.ms += ms;
  }
}

export interface Twins {
  deps: PreviewDeps;
  cluster: InMemoryPreviewCluster;
  scm: InMemoryScm;
  dns: InMemoryDns;
  clock: TestClock;
  namespace(pr: number): string;
  record(pr: number): ReturnType<typeof previewFromNamespace>;
  /** Sets the PR on the GitHub twin and returns the intent of its webhook. */
  openPr(pr: number, sha: string, over?: Partial<PullRequestInfo>): PullRequestIntent;
  ciPassed(pr: number, sha: string): CiResultIntent;
}

export function startTwins(options: { dns?: boolean; preview?: Record<string, unknown> } = {}): Twins {
  const cluster = new InMemoryPreviewCluster();
  const scm = new InMemoryScm();
  const dns = new InMemoryDns();
  const clock = new TestClock();
  const config = parseConfig(
    JSON.stringify({
      clusters: [{ name: 'test', kubeconfig: '/dev/null' }],
      apps: [
        {
          name: 'web',
          repo: REPO,
          image: 'registry.example.test/web',
          cluster: 'test',
          preview: {
            templates: 'previews/web',
            host: 'pr-{pr}.web.preview.example.test',
            waitSeconds: 30,
            ...(options.dns ? { dns: { hostedZoneId: ZONE, target: 'lb.example.test' } } : {}),
            ...options.preview,
          },
        },
      ],
    }),
  );
  const deps: PreviewDeps = {
    config,
    scm,
    cluster: () => cluster,
    templates: new InMemoryTemplates({ 'previews/web': files }),
    dns: options.dns ? dns : undefined,
    clock,
    logger: silentLogger,
  };
  const iso = () => clock.now().toISOString();
  return {
    deps,
    cluster,
    scm,
    dns,
    clock,
    namespace: (pr) => previewNamespace('web', pr),
    record(pr) {
      const ns = cluster.namespaces.get(previewNamespace('web', pr));
      return ns ? previewFromNamespace(ns) : null;
    },
    openPr(pr, sha, over = {}) {
      scm.setPull(REPO, {
        number: pr,
        state: 'open',
        merged: false,
        draft: false,
        headSha: sha,
        headRef: `feature-${pr}`,
        headRepo: REPO,
        baseRepo: REPO,
        labels: [],
        author: 'dev',
        updatedAt: iso(),
        ...over,
      });
      return {
        kind: 'pull_request',
        deliveryId: `pr-${pr}-${sha.slice(0, 4)}`,
        repo: REPO,
        eventTime: iso(),
        action: over.state === 'closed' ? 'closed' : 'opened',
        pr,
        headSha: sha,
        headRef: `feature-${pr}`,
        baseRef: 'main',
        headRepo: REPO,
        fork: false,
        draft: false,
        merged: over.merged ?? false,
        labels: [],
        author: 'dev',
        title: `PR ${pr}`,
      };
    },
    ciPassed(pr, sha) {
      scm.setCi(REPO, sha, 'success');
      return {
        kind: 'ci_result',
        deliveryId: `ci-${pr}-${sha.slice(0, 4)}`,
        repo: REPO,
        eventTime: iso(),
        sha,
        branch: `feature-${pr}`,
        result: 'success',
        source: 'ci_notification',
        image: null,
        prs: [pr],
        url: 'https://ci.example.test/run',
        name: 'ci',
      };
    },
  };
}

export const sha = (c: string) => c.repeat(40).slice(0, 40);
