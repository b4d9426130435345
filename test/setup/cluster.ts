import { execFileSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Path of the kubeconfig of the run's control plane (admin, system:masters). */
    kubeconfig: string;
  }
}

const root = resolve(import.meta.dirname, '../..');
const scripts = join(root, 'scripts/cluster');

/**
 * One real control plane per test run (scripts/cluster/up.sh, binaries built once and cached), in its
 * own state directory and on free ports so it never collides with a sandbox cluster. Each test file
 * works in its own namespaces (test/support/cluster/test-namespace.ts).
 *
 * SWITCHYARD_TEST_KUBECONFIG points the run at a cluster that is already up (nothing started or stopped).
 * SWITCHYARD_CLUSTER_KEEP=1 keeps the state directory (logs) after the run.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const existing = process.env['SWITCHYARD_TEST_KUBECONFIG'];
  if (existing) {
    if (!existsSync(existing)) throw new Error(`SWITCHYARD_TEST_KUBECONFIG=${existing} does not exist`);
    project.provide('kubeconfig', existing);
    process.env['KUBECONFIG'] = existing;
    return async () => {};
  }
  const base = existsSync('/dev/shm') ? '/dev/shm' : (process.env['TMPDIR'] ?? '/tmp');
  const dir = join(base, `switchyard-test-${process.pid}`);
  const env = { ...process.env, SWITCHYARD_CLUSTER_DIR: dir };
  let stopped = false;
  const stopSync = () => {
    if (stopped) return;
    stopped = true;
    try {
      execFileSync('bash', [join(scripts, 'down.sh')], { env, stdio: 'inherit' });
    } catch {
      // down.sh already printed what is left running.
    }
  };
  // If the run is interrupted before teardown, do not leave a control plane behind.
  process.once('exit', stopSync);

  await run(join(scripts, 'up.sh'), env);
  const kubeconfig = join(dir, 'kubeconfig');
  project.provide('kubeconfig', kubeconfig);
  process.env['KUBECONFIG'] = kubeconfig;

  return async () => {
    if (stopped) return;
    stopped = true;
    process.off('exit', stopSync);
    await run(join(scripts, 'down.sh'), env);
  };
}

function run(script: string, env: NodeJS.ProcessEnv): Promise<void> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn('bash', [script], { env, cwd: root, stdio: ['ignore', 'inherit', 'inherit'] });
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      if (code === 0) resolvePromise();
      else reject(new Error(`${script} failed (${signal ?? `exit ${code}`}); its output is above`));
    });
  });
}
