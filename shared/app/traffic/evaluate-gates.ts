import type { ShiftConfig, ShiftGate } from '../../config/shift-schema.ts';
import type { GateResult } from '../../domain/traffic/plan-shift.ts';
import type { TrafficDeps } from './traffic-deps.ts';

export function gateName(gate: ShiftGate): string {
  if ('healthCheckId' in gate) return `health:${gate.healthCheckId}`;
  if ('alarm' in gate) return `alarm:${gate.alarm}`;
  return `deployment:${gate.deployment.namespace}/${gate.deployment.name}`;
}

/**
 * Gate answers shared by every shift within one tick: many shifts watch the same health check or
 * alarm, and GetHealthCheckStatus has a small bucket of its own (burst 4, 1/s: section 2.6).
 */
export type GateCache = Map<string, Promise<GateResult>>;

export async function evaluateGates(
  deps: TrafficDeps,
  shift: ShiftConfig,
  cache: GateCache = new Map(),
): Promise<GateResult[]> {
  return Promise.all(
    shift.gates.map((gate) => {
      const key = gateName(gate) + ('deployment' in gate ? `@${shift.cluster ?? ''}` : '');
      let result = cache.get(key);
      if (!result) {
        result = evaluateGate(deps, shift, gate);
        cache.set(key, result);
      }
      return result;
    }),
  );
}

async function evaluateGate(deps: TrafficDeps, shift: ShiftConfig, gate: ShiftGate): Promise<GateResult> {
  const name = gateName(gate);
  try {
    if ('healthCheckId' in gate) {
      if (!deps.health) return { gate: name, ok: null, detail: 'no health check reader wired' };
      const ok = await deps.health.isHealthy(gate.healthCheckId);
      return ok ? { gate: name, ok } : { gate: name, ok, detail: 'Route 53 health check unhealthy' };
    }
    if ('alarm' in gate) {
      if (!deps.alarms) return { gate: name, ok: null, detail: 'no alarm reader wired' };
      const state = await deps.alarms.alarmState(gate.alarm, gate.region);
      // INSUFFICIENT_DATA is not a failure: a quiet canary has no datapoints (CodeDeploy does the same).
      return state === 'ALARM' ? { gate: name, ok: false, detail: 'alarm in ALARM' } : { gate: name, ok: true };
    }
    if (!deps.deployments) return { gate: name, ok: null, detail: 'no deployment reader wired' };
    const ok = await deps.deployments.isAvailable(gate.deployment.namespace, gate.deployment.name, shift.cluster);
    return ok ? { gate: name, ok } : { gate: name, ok, detail: 'Deployment not available' };
  } catch (error) {
    deps.logger.warn('gate unreadable', { shift: shift.name, gate: name, error: (error as Error).message });
    return { gate: name, ok: null, detail: (error as Error).message };
  }
}
