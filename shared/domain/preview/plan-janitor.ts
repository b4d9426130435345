import type { PreviewConfig } from '../../config/preview-schema.ts';
import type { PreviewRecord } from './preview-record.ts';

/**
 * The janitor's plan: the list of open PRs is the truth (webhooks get lost), TTL bounds idle previews,
 * and each app keeps at most its cap, the most recently deployed first.
 */

export type JanitorReason = 'pr-not-open' | 'idle' | 'over-cap' | 'unconfigured';

export interface JanitorDeletion {
  namespace: string;
  app: string;
  pr: number;
  repo: string;
  reason: JanitorReason;
  detail: string;
}

export interface JanitorPlanInput {
  previews: readonly PreviewRecord[];
  /** Open PR numbers per repo; a repo missing here could not be listed, so its previews are not judged closed. */
  openPrs: ReadonlyMap<string, ReadonlySet<number>>;
  /** Preview config per app name (apps without previews are absent). */
  apps: ReadonlyMap<string, { repo: string; preview: PreviewConfig }>;
  now: Date;
}

export interface JanitorPlan {
  deletions: JanitorDeletion[];
  kept: number;
}

function lastActivity(p: PreviewRecord): number {
  const t = Date.parse(p.lastDeployed ?? p.createdAt ?? '');
  return Number.isNaN(t) ? 0 : t;
}

export function planJanitor(input: JanitorPlanInput): JanitorPlan {
  const deletions: JanitorDeletion[] = [];
  const survivors = new Map<string, PreviewRecord[]>();
  const del = (p: PreviewRecord, reason: JanitorReason, detail: string) =>
    deletions.push({ namespace: p.namespace, app: p.app, pr: p.pr, repo: p.repo, reason, detail });

  for (const p of [...input.previews].sort((a, b) => a.namespace.localeCompare(b.namespace))) {
    if (p.deleting) continue;
    const app = input.apps.get(p.app);
    if (!app?.preview.enabled) {
      del(p, 'unconfigured', `app "${p.app}" has no previews configured`);
      continue;
    }
    const repo = p.repo || app.repo;
    const open = input.openPrs.get(repo.toLowerCase());
    if (open && !open.has(p.pr)) {
      del(p, 'pr-not-open', `#${p.pr} is not open on ${repo}`);
      continue;
    }
    const idleMs = input.now.getTime() - lastActivity(p);
    const ttlMs = app.preview.ttlHours * 3600_000;
    if (idleMs > ttlMs) {
      del(p, 'idle', `idle for ${Math.floor(idleMs / 3600_000)} h (TTL ${app.preview.ttlHours} h)`);
      continue;
    }
    const list = survivors.get(p.app) ?? [];
    list.push(p);
    survivors.set(p.app, list);
  }
  let kept = 0;
  for (const [name, list] of survivors) {
    const cap = input.apps.get(name)?.preview.maxPerApp ?? Number.POSITIVE_INFINITY;
    const newestFirst = list.sort((a, b) => lastActivity(b) - lastActivity(a) || b.pr - a.pr);
    newestFirst.forEach((p, i) => {
      if (i < cap) kept++;
      else del(p, 'over-cap', `${list.length} previews for ${name}, cap ${cap}`);
    });
  }
  // Most certain first: PRs no longer open, then idle, then the cap, then apps without previews.
  const rank: Record<JanitorReason, number> = { 'pr-not-open': 0, idle: 1, 'over-cap': 2, unconfigured: 3 };
  deletions.sort((a, b) => rank[a.reason] - rank[b.reason] || a.namespace.localeCompare(b.namespace));
  return { deletions, kept };
}
