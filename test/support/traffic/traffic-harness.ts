import { afterEach, beforeEach } from 'vitest';
import { Route53Dns } from '../../../shared/adapters/route53/route53-dns.ts';
import { readShiftStatuses, type ShiftStatus } from '../../../shared/app/traffic/read-shift-status.ts';
import type { TrafficDeps } from '../../../shared/app/traffic/traffic-deps.ts';
import type { ShiftConfig } from '../../../shared/config/shift-schema.ts';
import { silentLogger } from '../../../shared/ports/logger.ts';
import type { DeploymentAvailabilityPort } from '../../../shared/ports/traffic-gates.ts';
import { route53ClientFromEnv, useRoute53Endpoint } from '../route53/sdk-env.ts';
import { type Route53Server, type Route53ServerOptions, startRoute53Server } from '../route53/server.ts';
import { FakeClock } from './fake-clock.ts';

export { shiftConfig } from './shift-config.ts';

/** A fake for the Kubernetes Deployment gate: tests flip availability by name. */
export class FakeDeployments implements DeploymentAvailabilityPort {
  readonly unavailable = new Set<string>();
  async isAvailable(namespace: string, name: string): Promise<boolean> {
    return !this.unavailable.has(`${namespace}/${name}`);
  }
}

export interface TrafficHarness {
  server: Route53Server;
  clock: FakeClock;
  dns: Route53Dns;
  deps: TrafficDeps;
  deployments: FakeDeployments;
  zoneId: string;
  close(): Promise<void>;
}

/**
 * The Route 53 test server and the real SDK (endpoint from AWS_ENDPOINT_URL_ROUTE_53), sharing one
 * fake clock so PENDING delays, pauses and backoff all run on test time.
 */
export async function startTrafficHarness(
  options: Omit<Route53ServerOptions, 'now'> & { zoneName?: string } = {},
): Promise<TrafficHarness> {
  const clock = new FakeClock();
  const server = await startRoute53Server({ ...options, now: () => clock.ms() });
  useRoute53Endpoint(server.url);
  const zoneId = server.control.createZone(options.zoneName ?? 'example.com');
  const dns = new Route53Dns({ client: route53ClientFromEnv(), clock, pollIntervalMs: 5000 });
  const deployments = new FakeDeployments();
  const deps: TrafficDeps = { dns, healthApi: dns, deployments, clock, logger: silentLogger };
  return { server, clock, dns, deps, deployments, zoneId, close: () => server.close() };
}

/** The record a shift starts from: its legacy side as a simple record (a shift needs a name that resolves). */
export function seedLegacy(h: TrafficHarness, shift: ShiftConfig, ttl = shift.ttl): void {
  const target = shift.legacy;
  const record =
    'alias' in target
      ? { name: shift.record, type: shift.type, alias: target.alias }
      : { name: shift.record, type: shift.type, ttl, values: [...target.values] };
  h.server.control.seed(shift.hostedZoneId, [{ action: 'CREATE', record }]);
}

/** A fresh harness for each test of the calling file (started before, closed after); call it for the current one. */
export function useTrafficHarness(
  options: Omit<Route53ServerOptions, 'now'> & { zoneName?: string } = {},
): () => TrafficHarness {
  let current: TrafficHarness | undefined;
  beforeEach(async () => {
    current = await startTrafficHarness(options);
  });
  afterEach(async () => {
    await current?.close();
  });
  return () => {
    if (!current) throw new Error('the traffic harness runs inside tests only');
    return current;
  };
}

/** The read model of one shift, as the status page and CLI see it. */
export async function statusOf(deps: Pick<TrafficDeps, 'dns' | 'clock'>, shift: ShiftConfig): Promise<ShiftStatus> {
  const [s] = await readShiftStatuses(deps, [shift]);
  if (!s) throw new Error(`no status for ${shift.name}`);
  return s;
}
