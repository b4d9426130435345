/**
 * Argo Rollouts' TestApproximateWeightedNewStableReplicaCounts (utils/replicaset/canary_test.go in
 * argoproj/argo-rollouts; the rounding rules are in docs/releases.md),
 * shared by the unit test of the split and the cluster test that applies it.
 */
export const GRAY_VECTORS: [replicas: number, weight: number, maxSurge: number, canary: number, stable: number][] = [
  [1, 49, 0, 0, 1],
  [1, 50, 0, 1, 0],
  [1, 1, 1, 1, 1],
  [2, 1, 0, 1, 1],
  [2, 1, 1, 1, 2],
  [3, 10, 0, 1, 2],
  [3, 50, 0, 2, 1],
  [3, 49, 1, 2, 2],
  [3, 25, 1, 1, 3],
];
