/**
 * Canary/stable replica counts for a canary weight, following Argo Rollouts' basic (replica-weighted)
 * canary: `approximateWeightedCanaryStableReplicaCounts` in utils/replicaset/canary.go. Candidates are
 * the floor and ceiling of `replicas * weight / 100` over `replicas` (and `replicas + 1` when a surge is
 * allowed); the one whose actual weight is nearest wins, the first listed on equal distance. An exact .5
 * takes the larger canary. With a weight of 1-99 and 2+ pods (surge included) neither side is left at 0,
 * so a canary always gets traffic and stable always keeps a pod.
 */
export interface GraySplit {
  canary: number;
  stable: number;
}

export function graySplit(replicas: number, weight: number, maxSurge = 0): GraySplit {
  if (!Number.isInteger(replicas) || replicas < 0) throw new RangeError(`replicas must be a whole number >= 0`);
  if (!Number.isInteger(weight) || weight < 0 || weight > 100) throw new RangeError('weight must be 0-100');
  if (replicas === 0) return { canary: 0, stable: 0 };
  const exact = (replicas * weight) / 100;
  const ceil = Math.ceil(exact);
  const floor = Math.floor(exact);
  const zeroAllowed = weight === 0 || weight === 100 || (replicas === 1 && maxSurge === 0);
  const options: { canary: number; total: number }[] = [];
  if (ceil < replicas || zeroAllowed) options.push({ canary: ceil, total: replicas });
  if (!isHalf(replicas, weight) && (floor !== 0 || zeroAllowed)) options.push({ canary: floor, total: replicas });
  if (maxSurge > 0) {
    options.push({ canary: ceil, total: replicas + 1 });
    if (!isHalf(replicas + 1, weight) && (floor !== 0 || zeroAllowed)) {
      options.push({ canary: floor, total: replicas + 1 });
    }
  }
  const first = options[0];
  // Argo returns 0 canary here ("should not get here"), yet it happens: an exact .5 whose ceiling is all
  // the replicas (2 at 75%, 10 at 95%). The floor keeps both sides non-zero, as the rule above promises.
  if (!first) return { canary: floor, stable: replicas - floor };
  let best = first;
  let bestDelta = delta(weight, best.canary, best.total);
  for (const option of options.slice(1)) {
    const d = delta(weight, option.canary, option.total);
    if (d < bestDelta) {
      best = option;
      bestDelta = d;
    }
  }
  return { canary: best.canary, stable: best.total - best.canary };
}

function isHalf(total: number, weight: number): boolean {
  const x = (total * weight) / 100;
  return x - Math.trunc(x) === 0.5;
}

function delta(weight: number, canary: number, total: number): number {
  return Math.abs((canary * 100) / total - weight);
}
