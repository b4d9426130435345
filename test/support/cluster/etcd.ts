import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The etcd client URL of the cluster whose kubeconfig is given (from up.sh's state.env beside it). */
export function etcdUrl(kubeconfigPath: string): string {
  const state = readFileSync(join(dirname(kubeconfigPath), 'state.env'), 'utf8');
  const port = /^ETCD_PORT=(\d+)$/m.exec(state)?.[1];
  if (!port) throw new Error(`no ETCD_PORT in ${join(dirname(kubeconfigPath), 'state.env')}`);
  return `http://127.0.0.1:${port}`;
}

/**
 * Compacts etcd's history up to its current revision (etcd's JSON gateway), as the API server does every
 * five minutes in a real cluster: watches served by etcd from an older resourceVersion then expire.
 */
export async function compactEtcd(kubeconfigPath: string): Promise<number> {
  const base = etcdUrl(kubeconfigPath);
  const range = await fetch(`${base}/v3/kv/range`, { method: 'POST', body: JSON.stringify({ key: 'AA==' }) });
  const revision = ((await range.json()) as { header: { revision: string } }).header.revision;
  const compacted = await fetch(`${base}/v3/kv/compaction`, {
    method: 'POST',
    body: JSON.stringify({ revision, physical: true }),
  });
  if (!compacted.ok) throw new Error(`etcd compaction failed: HTTP ${compacted.status} ${await compacted.text()}`);
  return Number(revision);
}
