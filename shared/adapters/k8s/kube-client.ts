import { createHash, createHmac } from 'node:crypto';
import { DescribeClusterCommand, EKSClient } from '@aws-sdk/client-eks';
import { fromNodeProviderChain } from '@aws-sdk/credential-providers';
import type { User } from '@kubernetes/client-node';
import { KubeConfig } from '@kubernetes/client-node';
import { SignatureV4 } from '@smithy/signature-v4';
import { AuthError, NotFoundError, TransientError, ValidationError } from '../../errors.ts';

/** The cluster entry of the configuration (shared/config/schema.ts ClusterSchema), structurally. */
export interface ClusterRef {
  name: string;
  kubeconfig?: string | undefined;
  eks?: { name: string; region: string } | undefined;
}

export interface AwsCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string | undefined;
}
export type AwsCredentialsProvider = () => Promise<AwsCredentials>;

/** What an EKS DescribeCluster tells us: enough to build a kubeconfig without kubectl. */
export interface EksEndpoint {
  server: string;
  /** Base64 PEM of the cluster CA, as EKS returns it. */
  caData: string;
}

export interface KubeClientOptions {
  /**
   * The caller's KUBECONFIG (never read from process.env here). When set, it replaces the path of a
   * kubeconfig-type cluster, so the sandbox and tests can point a configured cluster at a local one.
   */
  kubeconfigEnv?: string | undefined;
  /** AWS credentials for the EKS token; defaults to the Node provider chain (the Lambda role). */
  credentials?: AwsCredentialsProvider | undefined;
  /** Looks up an EKS cluster's endpoint and CA; defaults to EKS DescribeCluster. */
  describeEks?: ((name: string, region: string) => Promise<EksEndpoint>) | undefined;
  /** Clock for token refresh (tests). */
  now?: (() => Date) | undefined;
}

/**
 * A KubeConfig for a configured cluster: a kubeconfig file (its context named like the cluster when
 * there is one, else its current context) or an EKS cluster reached with a presigned STS token.
 */
export async function loadKubeConfig(cluster: ClusterRef, options: KubeClientOptions = {}): Promise<KubeConfig> {
  if (cluster.eks) return eksKubeConfig(cluster.eks.name, cluster.eks.region, options);
  const path = firstPath(options.kubeconfigEnv) ?? cluster.kubeconfig;
  if (!path) throw new ValidationError(`cluster "${cluster.name}" has neither a kubeconfig path nor an eks entry`);
  return kubeConfigFromFile(path, cluster.name);
}

/**
 * KubeConfigs for the configured clusters by name, built once per cluster and kept for the life of the
 * process (a warm Lambda reuses them; the EKS token inside refreshes itself).
 */
export function kubeConfigProvider(
  clusters: readonly ClusterRef[],
  options: KubeClientOptions = {},
): (name: string) => Promise<KubeConfig> {
  const cache = new Map<string, Promise<KubeConfig>>();
  return (name) => {
    let kc = cache.get(name);
    if (!kc) {
      const cluster = clusters.find((c) => c.name === name);
      if (!cluster) return Promise.reject(new ValidationError(`no cluster named "${name}" in the configuration`));
      kc = loadKubeConfig(cluster, options);
      // A failed load (EKS unreachable) is not cached: the next call tries again.
      kc.catch(() => cache.delete(name));
      cache.set(name, kc);
    }
    return kc;
  };
}

/** Loads a kubeconfig file; selects the context named `context` when the file has one. */
export function kubeConfigFromFile(path: string, context?: string): KubeConfig {
  const kc = new KubeConfig();
  try {
    kc.loadFromFile(path);
  } catch (error) {
    throw new ValidationError(`cannot load kubeconfig ${path}: ${(error as Error).message}`, [], { cause: error });
  }
  if (context && kc.getContexts().some((c) => c.name === context)) kc.setCurrentContext(context);
  if (!kc.getCurrentCluster()) throw new ValidationError(`kubeconfig ${path} has no current context with a cluster`);
  return kc;
}

// KUBECONFIG may list several files separated by ':'; the first one is the one written to.
function firstPath(value: string | undefined): string | undefined {
  const first = value?.split(':').find((p) => p.length > 0);
  return first && first.length > 0 ? first : undefined;
}

/** The EKS auth provider name we register in the KubeConfig user entry. */
export const EKS_AUTH_PROVIDER = 'switchyard-eks';
/** EKS accepts a token for 15 minutes after X-Amz-Date; refresh well before. */
export const EKS_TOKEN_REFRESH_MS = 10 * 60_000;

export async function eksKubeConfig(
  name: string,
  region: string,
  options: KubeClientOptions = {},
): Promise<KubeConfig> {
  const credentials = options.credentials ?? defaultCredentials();
  const endpoint = await (options.describeEks ?? describeEksCluster)(name, region);
  const kc = new KubeConfig();
  kc.loadFromClusterAndUser(
    { name, server: endpoint.server, caData: endpoint.caData, skipTLSVerify: false },
    { name: 'switchyard', authProvider: { name: EKS_AUTH_PROVIDER, config: { cluster: name, region } } },
  );
  kc.addAuthenticator(new EksTokenAuthenticator(name, region, credentials, options.now ?? (() => new Date())));
  return kc;
}

function defaultCredentials(): AwsCredentialsProvider {
  const chain = fromNodeProviderChain();
  return async () => chain();
}

async function describeEksCluster(name: string, region: string): Promise<EksEndpoint> {
  try {
    const { cluster } = await new EKSClient({ region }).send(new DescribeClusterCommand({ name }));
    const server = cluster?.endpoint;
    const caData = cluster?.certificateAuthority?.data;
    if (!server || !caData) throw new TransientError(`EKS cluster ${name} (${region}) has no endpoint or CA yet`);
    return { server, caData };
  } catch (error) {
    if (error instanceof TransientError) throw error;
    const errorName = (error as { name?: string }).name;
    if (errorName === 'ResourceNotFoundException') {
      throw new NotFoundError(`EKS cluster ${name} not found in ${region}`, { cause: error });
    }
    if (errorName === 'AccessDeniedException' || errorName === 'UnrecognizedClientException') {
      throw new AuthError(`not allowed to describe EKS cluster ${name} (${region}): grant eks:DescribeCluster`, {
        cause: error,
      });
    }
    throw new TransientError(`EKS DescribeCluster ${name} (${region}) failed: ${(error as Error).message}`, {
      cause: error,
    });
  }
}

/** Keeps one token per cluster and re-signs it before EKS stops accepting it. */
// Shape of client-node's Authenticator (not exported from the package root in 2.0.1).
class EksTokenAuthenticator {
  private token: { value: string; at: number } | undefined;
  private readonly cluster: string;
  private readonly region: string;
  private readonly credentials: AwsCredentialsProvider;
  private readonly now: () => Date;
  constructor(cluster: string, region: string, credentials: AwsCredentialsProvider, now: () => Date) {
    this.cluster = cluster;
    this.region = region;
    this.credentials = credentials;
    this.now = now;
  }
  isAuthProvider(user: User): boolean {
    return (user.authProvider as { name?: string } | undefined)?.name === EKS_AUTH_PROVIDER;
  }
  async applyAuthentication(_user: User, opts: { headers?: Record<string, unknown> | undefined }): Promise<void> {
    const now = this.now();
    if (!this.token || now.getTime() - this.token.at >= EKS_TOKEN_REFRESH_MS) {
      const value = await eksToken({
        clusterName: this.cluster,
        region: this.region,
        credentials: await this.credentials(),
        signingDate: now,
      });
      this.token = { value, at: now.getTime() };
    }
    opts.headers = { ...(opts.headers ?? {}), Authorization: `Bearer ${this.token.value}` };
  }
}

export interface EksTokenInput {
  clusterName: string;
  region: string;
  credentials: AwsCredentials;
  signingDate?: Date | undefined;
}

/**
 * The bearer token aws-iam-authenticator accepts (pkg/token/token.go): a presigned STS
 * GetCallerIdentity URL, with the cluster name as the signed `x-k8s-aws-id` header, valid 60 s for
 * signing purposes, base64url without padding, prefixed `k8s-aws-v1.`.
 */
export async function eksToken(input: EksTokenInput): Promise<string> {
  const hostname = `sts.${input.region}.amazonaws.com`;
  const signer = new SignatureV4({
    credentials: {
      accessKeyId: input.credentials.accessKeyId,
      secretAccessKey: input.credentials.secretAccessKey,
      ...(input.credentials.sessionToken ? { sessionToken: input.credentials.sessionToken } : {}),
    },
    region: input.region,
    service: 'sts',
    sha256: NodeSha256,
  });
  const signed = await signer.presign(
    {
      method: 'GET',
      protocol: 'https:',
      hostname,
      path: '/',
      query: { Action: 'GetCallerIdentity', Version: '2011-06-15' },
      // Not an x-amz-* header, so the signer keeps it as a signed header instead of hoisting it.
      headers: { host: hostname, 'x-k8s-aws-id': input.clusterName },
    },
    { expiresIn: 60, ...(input.signingDate ? { signingDate: input.signingDate } : {}) },
  );
  const query = Object.keys(signed.query ?? {})
    .sort()
    .map((k) => `${escapeUri(k)}=${escapeUri(String(signed.query?.[k] ?? ''))}`)
    .join('&');
  const url = `https://${hostname}/?${query}`;
  return `k8s-aws-v1.${Buffer.from(url).toString('base64url')}`;
}

// The escaping SigV4 uses for the canonical query (RFC 3986 unreserved characters only).
function escapeUri(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** SHA-256 / HMAC-SHA-256 from node:crypto in the shape the smithy signer wants. */
class NodeSha256 {
  private readonly hash;
  constructor(secret?: string | ArrayBuffer | ArrayBufferView) {
    if (secret === undefined) {
      this.hash = createHash('sha256');
    } else {
      const key =
        typeof secret === 'string'
          ? Buffer.from(secret)
          : ArrayBuffer.isView(secret)
            ? Buffer.from(secret.buffer, secret.byteOffset, secret.byteLength)
            : Buffer.from(secret);
      this.hash = createHmac('sha256', key);
    }
  }
  update(data: string | ArrayBuffer | ArrayBufferView): void {
    if (typeof data === 'string') this.hash.update(data, 'utf8');
    else if (ArrayBuffer.isView(data)) this.hash.update(Buffer.from(data.buffer, data.byteOffset, data.byteLength));
    else this.hash.update(Buffer.from(data));
  }
  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.hash.digest());
  }
}
