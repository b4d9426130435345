import type { KubeConfig } from '@kubernetes/client-node';
import { kubeConfigProvider } from '../../shared/adapters/k8s/kube-client.ts';
import { part } from './container.ts';

/**
 * The one KubeConfig cache: one per configured cluster, built on first use (on EKS a DescribeCluster
 * call) and kept; a failed build is retried on the next call. The EKS token inside refreshes itself.
 */
export const kubeConfigs = part<(cluster: string) => Promise<KubeConfig>>('kubeConfigs', (c) =>
  kubeConfigProvider(c.config.clusters, { kubeconfigEnv: c.env['KUBECONFIG'] }),
);
