// The sandbox demo: a pull request's whole life, a release promoted through its tracks, and a traffic
// shift with an injected gate failure, all driven through the real functions under serverless-offline
// with real payloads from events/.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { DeliveryResult } from '../../shared/app/delivery/read-delivery.ts';
import { metricFigures } from '../../shared/domain/delivery/format-metrics.ts';
import { ciNotification, githubDelivery } from '../../test/support/api-gateway-event.ts';
import type { GitHubServer } from '../../test/support/github/index.ts';
import type { Route53Server } from '../../test/support/route53/server.ts';
import { APP, FIRST_SHA, MERGE_SHA, PR, RECORD, REPO, SECOND_SHA, SHIFT, TRACKS } from './fixtures.ts';
import { heading, ok, plan, say, step, waitFor, warn } from './narrate.ts';

export interface DemoContext {
  root: string;
  httpUrl: string;
  github: GitHubServer;
  route53: Route53Server;
  zoneId: string;
  healthCheckId: string;
  /** Runs an operator command through the ops function, as `switchyard` does. */
  ops(
    command: string,
    args?: Record<string, unknown>,
  ): Promise<{ ok: boolean; result?: unknown; error?: { message: string } }>;
}

interface Row {
  app: string;
  environment: string;
  track: string | null;
  sha: string | null;
  state: string;
}
interface ShiftRow {
  name: string;
  state: string;
  kubernetesWeight: number;
  message: string | null;
}
interface Status {
  previews: Array<{ pr: number; namespace: string; deployedSha: string | null; url: string | null; state: string }>;
  releases: Row[];
  shifts: ShiftRow[];
  errors: Array<{ section: string; message: string }>;
}

const short = (sha: string) => sha.slice(0, 7);

export async function runDemo(ctx: DemoContext): Promise<void> {
  const event = (file: string) =>
    JSON.parse(readFileSync(resolve(ctx.root, 'events/github', file), 'utf8')) as Record<string, unknown>;
  const post = async (path: string, e: { headers: Record<string, string>; body: string }) => {
    const res = await fetch(`${ctx.httpUrl}${path}`, { method: 'POST', headers: e.headers, body: e.body });
    const body = await res.text();
    if (res.status >= 300) throw new Error(`${path} answered ${res.status}: ${body}`);
    return JSON.parse(body) as { status?: string };
  };
  const status = async (): Promise<Status> => {
    const res = await ctx.ops('status');
    if (!res.ok) throw new Error(res.error?.message ?? 'status failed');
    return res.result as Status;
  };
  const commitStatus = (sha: string) =>
    ctx.github.state.statuses.filter((s) => s.sha === sha && s.context === 'switchyard/preview').at(-1);
  const waitStatus = (sha: string, state: string, what: string) =>
    waitFor(what, async () => {
      const s = commitStatus(sha);
      return s?.state === state ? s : { progress: s ? `${s.state}: ${s.description ?? ''}` : 'no status yet' };
    });
  const ci = (sha: string, branch: string, pr?: number) =>
    ciNotification({
      repo: REPO,
      sha,
      branch,
      image: `registry.example.test/hello-world:${short(sha)}`,
      result: 'success',
      ...(pr ? { pr } : {}),
      url: `https://ci.example.test/builds/${short(sha)}`,
    });
  const prPayload = (file: string, patch: { sha?: string; merged?: boolean; updatedAt: string }) => {
    const p = event(file);
    const pull = p['pull_request'] as Record<string, unknown> & { head: { sha: string } };
    if (patch.sha) {
      pull.head.sha = patch.sha;
      if ('after' in p) p['after'] = patch.sha;
    }
    if (patch.merged !== undefined) pull['merged'] = patch.merged;
    pull['updated_at'] = patch.updatedAt;
    return p;
  };

  plan(12);
  heading('Demo: a pull request from open to merge, a release through its tracks, and a traffic shift');

  step(`Pull request #${PR} is opened on ${REPO} (payload: events/github/pull_request.opened.json)`);
  await post(
    '/github/webhook',
    githubDelivery('pull_request', event('pull_request.opened.json'), { deliveryId: 'demo-opened' }),
  );
  await waitStatus(FIRST_SHA, 'pending', 'the pending status on the head commit');
  ok(`GitHub shows "switchyard/preview: pending" on ${short(FIRST_SHA)}: the preview waits for CI`);

  step(`CI passes for ${short(FIRST_SHA)} (a signed POST /ci/notify)`);
  await post('/ci/notify', ci(FIRST_SHA, 'changes', PR));
  const first = await waitStatus(
    FIRST_SHA,
    'success',
    'the preview to come up (namespace, Deployment, Service, Ingress)',
  );
  const previews = (await status()).previews;
  ok(`preview ready in namespace ${previews[0]?.namespace ?? '?'} at ${first.targetUrl ?? '?'}`);
  const dns = ctx.route53.control.records(ctx.zoneId).find((r) => r.name.startsWith(`pr-${PR}.`));
  if (dns) ok(`Route 53 record ${dns.name} -> ${dns.values?.[0] ?? ''}`);

  step(`A new commit ${short(SECOND_SHA)} is pushed to the pull request`);
  ctx.github.control.updatePullRequest(REPO, PR, { headSha: SECOND_SHA, updatedAt: '2019-05-15T15:30:00Z' });
  await post(
    '/github/webhook',
    githubDelivery(
      'pull_request',
      prPayload('pull_request.synchronize.json', { sha: SECOND_SHA, updatedAt: '2019-05-15T15:30:00Z' }),
      {
        deliveryId: 'demo-synchronize',
      },
    ),
  );
  await waitStatus(SECOND_SHA, 'pending', 'the pending status on the new head');
  ok(`pending on ${short(SECOND_SHA)}; the preview keeps running ${short(FIRST_SHA)} until CI passes`);

  step(`CI passes for ${short(SECOND_SHA)}`);
  await post('/ci/notify', ci(SECOND_SHA, 'changes', PR));
  await waitStatus(SECOND_SHA, 'success', 'the preview to be updated');
  const comments = ctx.github.state.comments.filter((c) => c.issue === PR);
  ok(
    `preview updated to ${short(SECOND_SHA)}; the pull request has ${comments.length} switchyard comment, edited in place`,
  );

  step(`Pull request #${PR} is merged`);
  ctx.github.control.updatePullRequest(REPO, PR, { state: 'closed', merged: true, updatedAt: '2019-05-15T15:40:00Z' });
  await post(
    '/github/webhook',
    githubDelivery(
      'pull_request',
      prPayload('pull_request.closed.json', { sha: SECOND_SHA, merged: true, updatedAt: '2019-05-15T15:40:00Z' }),
      {
        deliveryId: 'demo-closed',
      },
    ),
  );
  await waitFor('the preview namespace to be deleted', async () => {
    const s = await status();
    return s.previews.length === 0
      ? true
      : { progress: s.previews.map((p) => `${p.namespace}: ${p.state}`).join(', ') };
  });
  const inactive = ctx.github.state.deploymentStatuses.some((d) => d.state === 'inactive');
  ok(`preview deleted${inactive ? ', its GitHub deployment marked inactive' : ''}`);

  step(`CI passes on master for the merge commit ${short(MERGE_SHA)}: the release enters the first track`);
  // The merge lands on master (releases read the branch and the commit order from GitHub).
  ctx.github.control.git.commit(REPO, 'master', MERGE_SHA);
  // GitHub knows the merge commit's date (the DORA lead time runs from it): merged half an hour ago.
  ctx.github.control.seedCommit({
    repo: REPO,
    sha: MERGE_SHA,
    committedAt: new Date(Date.now() - 30 * 60_000).toISOString().replace(/\.\d{3}Z$/, 'Z'),
  });
  await post('/ci/notify', ci(MERGE_SHA, 'master'));
  const trackRow = (s: Status, track: string) => s.releases.find((r) => r.app === APP && r.track === track);
  const describeTracks = (s: Status) =>
    TRACKS.map((t) => {
      const r = trackRow(s, t);
      return `${t}:${r?.sha === MERGE_SHA ? r.state : '-'}`;
    }).join(' ');
  await waitFor('the internal track to run the release', async () => {
    const s = await status();
    return trackRow(s, 'internal')?.sha === MERGE_SHA ? s : { progress: describeTracks(s) };
  });
  ok('internal track runs the new image');

  step('rolloutWatcher promotes it after each bake: internal -> free -> paid (paid has a manual gate)');
  await waitFor(
    'the release to reach the paid track',
    async () => {
      const s = await status();
      return trackRow(s, 'paid')?.sha === MERGE_SHA ? s : { progress: describeTracks(s) };
    },
    { timeoutMs: 180_000 },
  );
  ok('paid track runs the release; production waits for a person');

  step(`An operator passes the gate: switchyard release promote ${APP} production`);
  await waitFor('the gate to accept the promotion (after the bake time)', async () => {
    const res = await ctx.ops('releases.promote', { app: APP, environment: 'production', by: 'demo-operator' });
    return res.ok ? res : { progress: res.error?.message ?? 'refused' };
  });
  await waitFor(
    'the production track to run the release',
    async () => {
      const s = await status();
      return trackRow(s, 'production')?.sha === MERGE_SHA ? s : { progress: describeTracks(s) };
    },
    { timeoutMs: 180_000 },
  );
  ok(`all four tracks run ${short(MERGE_SHA)}`);

  step(`The delivery record: switchyard dora --app ${APP} (also the status page's Delivery section)`);
  await waitFor('the release to finish its production bake', async () => {
    const s = await status();
    return trackRow(s, 'production')?.state === 'released' ? s : { progress: describeTracks(s) };
  });
  const dora = await ctx.ops('dora', { app: APP });
  if (!dora.ok) warn(`dora: ${dora.error?.message ?? 'failed'}`);
  for (const r of (dora.result as DeliveryResult | undefined)?.reports ?? []) {
    say(
      `${r.app}/${r.environment}: ${metricFigures(r.metrics)
        .map((f) => `${f.label.toLowerCase()} ${f.value}`)
        .join(', ')}`,
    );
  }
  const gate = ctx.github.state.deploymentStatuses.find((s) => s.description.startsWith('Manual gate passed'));
  if (gate) ok(`the audit trail in GitHub: "${gate.description}"`);

  const shift = async () => (await status()).shifts.find((s) => s.name === SHIFT);
  step(`Start shifting ${RECORD} from the legacy platform to Kubernetes: 10%, 25%, 50%, 100%`);
  const started = await ctx.ops('shifts.start', { name: SHIFT });
  if (!started.ok) throw new Error(`shift start failed: ${started.error?.message}`);
  say('the simple CNAME becomes two weighted records in one atomic batch; the TTL is lowered first');
  await waitFor(
    'the shift to reach 25% on Kubernetes',
    async () => {
      const s = await shift();
      return s && s.kubernetesWeight >= 25
        ? s
        : { progress: s ? `${s.kubernetesWeight}% ${s.state}${s.message ? `: ${s.message}` : ''}` : 'no shift yet' };
    },
    { timeoutMs: 180_000 },
  );
  ok('25% of answers now point at Kubernetes');

  step('The Route 53 health check of the Kubernetes side fails (injected)');
  ctx.route53.control.setHealthy(ctx.healthCheckId, false);
  const rolled = await waitFor('the shift to roll back and pause', async () => {
    const s = await shift();
    return s && /pause|roll|hold|fail/i.test(s.state) ? s : { progress: s ? `${s.kubernetesWeight}% ${s.state}` : '' };
  });
  warn(
    `gate failed: the weights went back to ${rolled.kubernetesWeight}% Kubernetes in one batch and the shift is ${rolled.state}`,
  );

  step('The health check recovers and the operator resumes: switchyard shift resume www');
  ctx.route53.control.setHealthy(ctx.healthCheckId, true);
  await waitFor('the operator resume to be accepted', async () => {
    const res = await ctx.ops('shifts.resume', { name: SHIFT });
    return res.ok ? res : { progress: res.error?.message ?? 'refused' };
  });
  const done = await waitFor(
    'the shift to reach 100% Kubernetes',
    async () => {
      const s = await shift();
      return s && s.kubernetesWeight === 100
        ? s
        : { progress: s ? `${s.kubernetesWeight}% ${s.state}${s.message ? `: ${s.message}` : ''}` : '' };
    },
    { timeoutMs: 240_000 },
  );
  ok(`${RECORD}: ${done.kubernetesWeight}% Kubernetes (${done.state})`);
  heading('Demo complete.');
}
