import type { InsufficientData, ShiftConfig, ShiftGate } from '../../config/shift-schema.ts';
import type { GateResult } from '../../domain/traffic/plan-shift.ts';
import type { TrafficDeps } from './traffic-deps.ts';

export function gateName(gate: ShiftGate): string {
  if ('healthCheckId' in gate) return `health:${gate.healthCheckId}`;
  if ('alarm' in gate) return `alarm:${gate.alarm}`;
  return `deployment:${gate.deployment.namespace}/${gate.deployment.name}`;
}

/**
 * Gate answers shared by every shift within one tick: many shifts watch the same health check or
 * alarm, and GetHealthCheckStatus has a small bucket of its own (4 requests, 1 per second: Route 53
 * developer guide, "Throttling of Route 53 API requests"; see docs/traffic-shifting.md).
 */
export type GateCache = Map<string, Promise<GateResult>>;

/** Two gates share an answer only when they read the same signal the same way. */
function gateKey(gate: ShiftGate, shift: ShiftConfig): string {
  if ('deployment' in gate) return `${gateName(gate)}@${shift.cluster ?? ''}`;
  const source = 'source' in gate ? `@${gate.source}` : `@${gate.region ?? ''}`;
  return `${gateName(gate)}${source}/${gate.insufficientData}`;
}

export async function evaluateGates(
  deps: TrafficDeps,
  shift: ShiftConfig,
  cache: GateCache = new Map(),
): Promise<GateResult[]> {
  return Promise.all(
    shift.gates.map((gate) => {
      const key = gateKey(gate, shift);
      let result = cache.get(key);
      if (!result) {
        result = evaluateGate(deps, shift, gate);
        cache.set(key, result);
      }
      return result;
    }),
  );
}

/** A signal's reading turned into the gate's verdict; `no-data` follows the gate's insufficientData. */
function verdict(
  name: string,
  reading: 'pass' | 'fail' | 'no-data',
  insufficientData: InsufficientData,
  failDetail: string,
): GateResult {
  if (reading === 'pass') return { gate: name, ok: true };
  if (reading === 'fail') return { gate: name, ok: false, detail: failDetail };
  const detail = `INSUFFICIENT_DATA (insufficientData: ${insufficientData})`;
  if (insufficientData === 'pass') return { gate: name, ok: true, detail };
  return { gate: name, ok: insufficientData === 'fail' ? false : null, detail };
}

async function evaluateGate(deps: TrafficDeps, shift: ShiftConfig, gate: ShiftGate): Promise<GateResult> {
  const name = gateName(gate);
  try {
    if ('healthCheckId' in gate) {
      const reader = gate.source === 'route53' ? deps.healthApi : deps.health;
      if (!reader) return { gate: name, ok: null, detail: `no ${gate.source} health check reader wired` };
      const status = await reader.healthCheckStatus(gate.healthCheckId);
      const reading = status === 'HEALTHY' ? 'pass' : status === 'UNHEALTHY' ? 'fail' : 'no-data';
      return verdict(name, reading, gate.insufficientData, 'Route 53 health check unhealthy');
    }
    if ('alarm' in gate) {
      if (!deps.alarms) return { gate: name, ok: null, detail: 'no alarm reader wired' };
      const state = await deps.alarms.alarmState(gate.alarm, gate.region);
      const reading = state === 'OK' ? 'pass' : state === 'ALARM' ? 'fail' : 'no-data';
      return verdict(name, reading, gate.insufficientData, 'alarm in ALARM');
    }
    if (!deps.deployments) return { gate: name, ok: null, detail: 'no deployment reader wired' };
    const ok = await deps.deployments.isAvailable(gate.deployment.namespace, gate.deployment.name, shift.cluster);
    return ok ? { gate: name, ok } : { gate: name, ok, detail: 'Deployment not available' };
  } catch (error) {
    deps.logger.warn('gate unreadable', { shift: shift.name, gate: name, error: (error as Error).message });
    return { gate: name, ok: null, detail: (error as Error).message };
  }
}
