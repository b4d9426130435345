import { randomBytes } from 'node:crypto';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { KubeConfig } from '@kubernetes/client-node';
import { createGitHubScm } from '../../../shared/adapters/github/github-scm.ts';
import { createPreviewCluster } from '../../../shared/adapters/k8s/preview-cluster.ts';
import { createTemplateFolderSource } from '../../../shared/adapters/k8s/preview-template-files.ts';
import type { PreviewDeps } from '../../../shared/app/previews/index.ts';
import { parseConfig } from '../../../shared/config/parse-config.ts';
import type { Config } from '../../../shared/config/schema.ts';
import type { CiResultIntent, PullRequestIntent } from '../../../shared/domain/intents.ts';
import { previewNamespace } from '../../../shared/domain/naming.ts';
import { normalizeGitHubEvent } from '../../../shared/domain/webhook/normalize-github-event.ts';
import { systemClock } from '../../../shared/ports/clock.ts';
import type { DnsPort } from '../../../shared/ports/dns.ts';
import { silentLogger } from '../../../shared/ports/logger.ts';
import type { PreviewClusterPort } from '../../../shared/ports/preview-cluster.ts';
import { type GitHubServer, startGitHubServer } from '../github/index.ts';
import { EXAMPLE_REPO, webhookExamples } from '../webhook-examples.ts';

/**
 * Previews end to end: the GitHub stand-in behind the real GitHub adapter, a real cluster behind the
 * real k8s adapter, the example templates (copied, so a test may edit them), and GitHub events made
 * from real `@octokit/webhooks-examples` payloads run through the ingress normalizer. Each harness has
 * its own app name, hence its own preview namespaces.
 */

const EXAMPLES = resolve(import.meta.dirname, '../../../examples/previews/web');

export interface HarnessOptions {
  kc: KubeConfig;
  kubeconfigPath: string;
  /** Prefix of the unique app name. */
  name: string;
  /** Extra `preview:` settings (YAML-able). */
  preview?: Record<string, unknown>;
  /** Wrap the cluster port (fault injection, counting). */
  wrapCluster?: (port: PreviewClusterPort) => PreviewClusterPort;
  /** Route 53 for preview hosts (with `preview.dns` in `preview`). */
  dns?: DnsPort;
}

export interface PrEventInput {
  pr: number;
  sha: string;
  time: string;
  ref?: string;
  headRepo?: string | null;
  merged?: boolean;
  draft?: boolean;
  labels?: string[];
  title?: string;
  /** The label a `labeled` event is about. */
  label?: string;
}

export interface PreviewHarness {
  gh: GitHubServer;
  deps: PreviewDeps;
  config: Config;
  app: string;
  repo: string;
  templatesDir: string;
  namespace(pr: number): string;
  /** Updates the stand-in's PR as GitHub would, and returns the intent of the matching webhook. */
  prEvent(action: 'opened' | 'synchronize' | 'closed' | 'reopened' | 'labeled', input: PrEventInput): PullRequestIntent;
  /** CI reports on the commit (a check run in the stand-in) and the check_suite webhook's intent. */
  ci(result: 'success' | 'failure', input: { sha: string; pr: number | null; time: string }): CiResultIntent;
  close(): Promise<void>;
}

let deliveries = 0;

export async function startPreviewHarness(options: HarnessOptions): Promise<PreviewHarness> {
  const gh = await startGitHubServer({ tokens: ['harness-token'] });
  const app = `${options.name}-${randomBytes(2).toString('hex')}`;
  const repo = EXAMPLE_REPO;
  const templatesDir = mkdtempSync(join(tmpdir(), 'switchyard-templates-'));
  cpSync(EXAMPLES, templatesDir, { recursive: true });
  const config = parseConfig(
    JSON.stringify({
      clusters: [{ name: 'test', kubeconfig: options.kubeconfigPath }],
      apps: [
        {
          name: app,
          repo,
          image: 'registry.example.test/web',
          cluster: 'test',
          preview: {
            templates: templatesDir,
            host: 'pr-{pr}.{app}.preview.example.test',
            waitSeconds: 60,
            ...options.preview,
          },
        },
      ],
    }),
  );
  const port = createPreviewCluster(options.kc);
  const cluster = options.wrapCluster ? options.wrapCluster(port) : port;
  const deps: PreviewDeps = {
    config,
    // Throttling paces writes 1-3 s apart for github.com; the stand-in needs no protecting.
    scm: createGitHubScm({
      auth: { kind: 'token', token: 'harness-token' },
      baseUrl: gh.url,
      logger: silentLogger,
      throttle: false,
      retryAfterBaseMs: 10,
    }),
    cluster: () => cluster,
    templates: createTemplateFolderSource(templatesDir),
    dns: options.dns,
    clock: systemClock,
    logger: silentLogger,
  };
  const ctx = (event: string) => ({
    event,
    deliveryId: `harness-${++deliveries}`,
    receivedAt: new Date().toISOString(),
    repos: new Set([repo]),
    ignoreStatusContexts: [],
  });

  return {
    gh,
    deps,
    config,
    app,
    repo,
    templatesDir,
    namespace: (pr) => previewNamespace(app, pr),
    prEvent(action, input) {
      const example = webhookExamples('pull_request').find((e) => e.action === action);
      if (!example) throw new Error(`no pull_request.${action} example`);
      // biome-ignore lint/suspicious/noExplicitAny: surgery on a real webhook payload, checked by the normalizer
      const payload = example as Record<string, any>;
      const p = payload.pull_request;
      const merged = input.merged ?? false;
      const state = action === 'closed' ? 'closed' : 'open';
      const ref = input.ref ?? `feature-${input.pr}`;
      const headRepo = input.headRepo === undefined ? repo : input.headRepo;
      payload.number = input.pr;
      p.number = input.pr;
      p.state = state;
      p.merged = merged;
      p.draft = input.draft ?? false;
      p.updated_at = input.time;
      p.title = input.title ?? `PR ${input.pr}`;
      p.labels = (input.labels ?? []).map((name, i) => ({ ...(p.labels?.[0] ?? {}), id: i + 1, name }));
      if (input.label !== undefined) payload.label = { ...(payload.label ?? {}), name: input.label };
      p.head.sha = input.sha;
      p.head.ref = ref;
      p.head.repo = headRepo === null ? null : { ...p.base.repo, full_name: headRepo, fork: headRepo !== repo };
      const existing = gh.state.pulls.get(`${repo.toLowerCase()}#${input.pr}`);
      const fields = {
        headSha: input.sha,
        headRef: ref,
        headRepo,
        state: state as 'open' | 'closed',
        merged,
        draft: input.draft ?? false,
        labels: input.labels ?? [],
        title: p.title as string,
        updatedAt: input.time,
      };
      if (existing) gh.control.updatePullRequest(repo, input.pr, fields);
      else gh.control.seedPullRequest({ repo, number: input.pr, createdAt: input.time, ...fields });
      const out = normalizeGitHubEvent(payload, ctx('pull_request'));
      if (!('intents' in out)) throw new Error(`pull_request.${action} ignored: ${out.ignored}`);
      return out.intents[0] as PullRequestIntent;
    },
    ci(result, input) {
      gh.control.addCheckRun(repo, input.sha, 'build', result, {
        detailsUrl: `https://ci.example.test/runs/${input.sha.slice(0, 7)}`,
      });
      const example = webhookExamples('check_suite').find((e) => e.action === 'completed');
      if (!example) throw new Error('no check_suite.completed example');
      // biome-ignore lint/suspicious/noExplicitAny: surgery on a real webhook payload, checked by the normalizer
      const payload = example as Record<string, any>;
      const suite = payload.check_suite;
      suite.head_sha = input.sha;
      suite.conclusion = result;
      suite.updated_at = input.time;
      suite.pull_requests =
        input.pr === null ? [] : [{ ...(suite.pull_requests?.[0] ?? {}), number: input.pr, head: { sha: input.sha } }];
      const out = normalizeGitHubEvent(payload, ctx('check_suite'));
      if (!('intents' in out)) throw new Error(`check_suite ignored: ${out.ignored}`);
      return out.intents[0] as CiResultIntent;
    },
    async close() {
      await gh.close();
      rmSync(templatesDir, { recursive: true, force: true });
    },
  };
}

/** A deterministic 40-hex SHA for readable tests. */
export function sha(n: number | string): string {
  return String(n)
    .padStart(2, '0')
    .repeat(40)
    .slice(0, 40)
    .replace(/[^0-9a-f]/g, 'a');
}
