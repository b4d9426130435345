import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CloudWatchGates } from '../../../shared/adapters/cloudwatch/cloudwatch-gates.ts';
import { operateShift } from '../../../shared/app/traffic/operate-shift.ts';
import { tickShifts } from '../../../shared/app/traffic/tick-shifts.ts';
import type { TrafficDeps } from '../../../shared/app/traffic/traffic-deps.ts';
import type { ShiftConfig } from '../../../shared/config/shift-schema.ts';
import { type CloudWatchServer, startCloudWatchServer } from '../../support/route53/cloudwatch-server.ts';
import { seedLegacy, shiftConfig, statusOf, useTrafficHarness } from '../../support/traffic/traffic-harness.ts';

const h = useTrafficHarness();
let cw: CloudWatchServer;
let deps: TrafficDeps;
const regions: (string | undefined)[] = [];

beforeEach(async () => {
  cw = await startCloudWatchServer();
  process.env['AWS_ENDPOINT_URL_CLOUDWATCH'] = cw.url;
  const gates = new CloudWatchGates({
    clock: h().clock,
    clientFor: (region) => {
      regions.push(region);
      return new CloudWatchClient({ region: region ?? 'eu-west-1' });
    },
  });
  // As production wires it: health-check gates read CloudWatch unless they say `source: route53`.
  deps = { ...h().deps, health: gates, alarms: gates };
});
afterEach(async () => {
  await cw.close();
});

const status = (shift: ShiftConfig) => statusOf(deps, shift);

const minutesAgo = (m: number) => new Date(h().clock.ms() - m * 60_000);

/** Started (step -1); the first tick applies step 0 (10%) when no gate is unknown. */
async function atStepZeroDue(gates: unknown[]): Promise<ShiftConfig> {
  const shift = shiftConfig({ hostedZoneId: h().zoneId, steps: { model: 'list', weights: [10, 50, 100] }, gates });
  seedLegacy(h(), shift);
  await operateShift(deps, shift, 'start');
  return shift;
}

describe('health gates read Route 53 health through CloudWatch (AWS/Route53 HealthCheckStatus)', () => {
  it('advances on a healthy metric, rolls back when it turns 0, reading us-east-1 where Route 53 publishes', async () => {
    cw.control.putHealthCheckStatus('hc-k8s', [{ at: minutesAgo(1), value: 1 }]);
    const shift = await atStepZeroDue([{ healthCheckId: 'hc-k8s' }]);
    await tickShifts(deps, [shift]);
    h().clock.advanceMinutes(10);
    cw.control.putHealthCheckStatus('hc-k8s', [{ at: minutesAgo(1), value: 1 }]);
    expect((await tickShifts(deps, [shift])).results[0]).toMatchObject({ action: 'advance', outcome: 'applied' });
    expect((await status(shift)).weights).toEqual({ legacy: 50, kubernetes: 50 });
    cw.control.putHealthCheckStatus('hc-k8s', [{ at: minutesAgo(0.5), value: 0 }]);
    expect((await tickShifts(deps, [shift])).results[0]).toMatchObject({ action: 'rollback', outcome: 'applied' });
    expect(await status(shift)).toMatchObject({ state: 'paused', weights: { legacy: 90, kubernetes: 10 } });
    expect(regions).toContain('us-east-1');
  });

  it('a health check with no recent datapoint holds the shift by default: nothing advances, nothing rolls back', async () => {
    cw.control.putHealthCheckStatus('hc-silent', [{ at: minutesAgo(1), value: 1 }]);
    const shift = await atStepZeroDue([{ healthCheckId: 'hc-silent' }]);
    await tickShifts(deps, [shift]);
    // Ten minutes on, the last datapoint is older than the window: the check has gone silent.
    h().clock.advanceMinutes(10);
    const tick = await tickShifts(deps, [shift]);
    expect(tick.results[0]).toMatchObject({ action: 'none', outcome: 'noop' });
    expect(tick.results[0]!.reason).toMatch(/gates unknown: health:hc-silent/);
    expect(await status(shift)).toMatchObject({ state: 'running', stepIndex: 0 });
  });
});

describe('INSUFFICIENT_DATA is a per-gate choice, "hold" by default', () => {
  it('an alarm in INSUFFICIENT_DATA holds the shift (a dead side that emits no data must not advance it)', async () => {
    cw.control.setAlarm('k8s-5xx', 'OK');
    const shift = await atStepZeroDue([{ alarm: 'k8s-5xx' }]);
    await tickShifts(deps, [shift]);
    h().clock.advanceMinutes(10);
    cw.control.setAlarm('k8s-5xx', 'INSUFFICIENT_DATA');
    const tick = await tickShifts(deps, [shift]);
    expect(tick.results[0]).toMatchObject({ action: 'none', outcome: 'noop' });
    expect(await status(shift)).toMatchObject({ state: 'running', stepIndex: 0 });
    cw.control.setAlarm('k8s-5xx', 'OK');
    expect((await tickShifts(deps, [shift])).results[0]).toMatchObject({ action: 'advance', outcome: 'applied' });
  });

  it('insufficientData: pass advances on a quiet alarm; insufficientData: fail rolls back', async () => {
    cw.control.setAlarm('quiet', 'INSUFFICIENT_DATA');
    const passing = await atStepZeroDue([{ alarm: 'quiet', insufficientData: 'pass' }]);
    await tickShifts(deps, [passing]);
    h().clock.advanceMinutes(10);
    expect((await tickShifts(deps, [passing])).results[0]).toMatchObject({ action: 'advance', outcome: 'applied' });
    const failing: ShiftConfig = { ...passing, gates: [{ alarm: 'quiet', insufficientData: 'fail' }] };
    expect((await tickShifts(deps, [failing])).results[0]).toMatchObject({ action: 'rollback', outcome: 'applied' });
    expect(await status(failing)).toMatchObject({ state: 'paused', reason: 'gate:alarm:quiet', stepIndex: 0 });
  });
});
