import { describe, expect, it } from 'vitest';
import { evaluateGates } from '../../../shared/app/traffic/evaluate-gates.ts';
import { operateShift } from '../../../shared/app/traffic/operate-shift.ts';
import { readShiftStatuses } from '../../../shared/app/traffic/read-shift-status.ts';
import { tickShifts } from '../../../shared/app/traffic/tick-shifts.ts';
import type { TrafficDeps } from '../../../shared/app/traffic/traffic-deps.ts';
import { type ShiftConfig, ShiftSchema } from '../../../shared/config/shift-schema.ts';
import { PolicyError } from '../../../shared/errors.ts';
import { InMemoryTrafficDns } from '../../../shared/ports/in-memory-traffic-dns.ts';
import { InMemoryTrafficGates } from '../../../shared/ports/in-memory-traffic-gates.ts';
import { silentLogger } from '../../../shared/ports/logger.ts';
import { shiftConfig } from '../../support/traffic/shift-config.ts';

// The traffic use cases on in-memory twins: no HTTP, no SDK.
function setup(extra: Record<string, unknown> = {}) {
  let t = Date.parse('2026-11-23T08:00:00Z');
  const shift: ShiftConfig = shiftConfig({
    hostedZoneId: 'Z1',
    steps: { model: 'list', weights: [{ weight: 10, pause: 'indefinite' }, 50, 100] },
    ...extra,
  });
  const dns = new InMemoryTrafficDns([{ name: 'www.example.com.', type: 'A', ttl: 60, values: ['192.0.2.10'] }]);
  const gates = new InMemoryTrafficGates();
  const deps: TrafficDeps = {
    dns,
    health: gates,
    alarms: gates,
    clock: {
      now: () => new Date(t),
      sleep: async (ms) => {
        t += ms;
      },
    },
    logger: silentLogger,
  };
  const status = async () => (await readShiftStatuses(deps, [shift]))[0]!;
  return { shift, dns, gates, deps, status, advance: (minutes: number) => (t += minutes * 60_000) };
}

describe('gates and INSUFFICIENT_DATA', () => {
  it('no data holds by default, and passes or fails when the gate says so', async () => {
    const { shift, gates, deps } = setup();
    gates.alarms.set('quiet', 'INSUFFICIENT_DATA');
    const read = (gate: Record<string, unknown>) => evaluateGates(deps, ShiftSchema.parse({ ...shift, gates: [gate] }));
    expect(await read({ alarm: 'quiet' })).toEqual([
      { gate: 'alarm:quiet', ok: null, detail: 'INSUFFICIENT_DATA (insufficientData: hold)' },
    ]);
    expect((await read({ alarm: 'quiet', insufficientData: 'pass' }))[0]?.ok).toBe(true);
    expect((await read({ alarm: 'quiet', insufficientData: 'fail' }))[0]?.ok).toBe(false);
    expect((await read({ healthCheckId: 'silent' }))[0]?.ok).toBeNull();
    gates.healthChecks.set('down', 'UNHEALTHY');
    expect((await read({ healthCheckId: 'down' }))[0]).toMatchObject({ ok: false });
  });

  it('a health gate with source route53 reads the GetHealthCheckStatus reader, not CloudWatch', async () => {
    const { shift, gates, deps } = setup();
    const api = new InMemoryTrafficGates();
    api.healthChecks.set('hc', 'HEALTHY');
    const withApi: TrafficDeps = { ...deps, healthApi: api };
    const result = await evaluateGates(
      withApi,
      ShiftSchema.parse({ ...shift, gates: [{ healthCheckId: 'hc', source: 'route53' }] }),
    );
    expect(result[0]?.ok).toBe(true);
    expect(api.reads).toEqual(['health:hc']);
    expect(gates.reads).toEqual([]);
  });
});

describe('operator commands and ticks on the twins', () => {
  it('start refuses a record the zone does not have, and writes nothing', async () => {
    const { dns, deps } = setup();
    const typo = ShiftSchema.parse({ ...setup().shift, record: 'wwww.example.com' });
    await expect(operateShift(deps, typo, 'start')).rejects.toBeInstanceOf(PolicyError);
    expect(dns.batches).toEqual([]);
  });

  it('a promote whose answer is lost is applied once; a failure before applying is an error, nothing moves', async () => {
    const { shift, dns, deps, status } = setup();
    await operateShift(deps, shift, 'start');
    await tickShifts(deps, [shift]);
    expect((await status()).stepIndex).toBe(0);
    dns.failNext('after');
    expect(await operateShift(deps, shift, 'promote')).toMatchObject({ outcome: 'applied', change: null });
    expect(await status()).toMatchObject({ stepIndex: 1, weights: { legacy: 50, kubernetes: 50 } });
    dns.failNext('before');
    await expect(operateShift(deps, shift, 'promote')).rejects.toThrow(/unreachable/);
    expect((await status()).stepIndex).toBe(1);
  });
});
