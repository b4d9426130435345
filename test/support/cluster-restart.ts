import { connect, createServer, type Server, type Socket } from 'node:net';
import { KubeConfig } from '@kubernetes/client-node';

/**
 * What a client sees when the API server restarts: every open connection is reset and new ones are
 * refused until it is back. All test files share one control plane, so instead of killing the real
 * kube-apiserver (which would fail other files' tests) a TCP gate sits between one KubeConfig and it:
 * `restart()` cuts and refuses at the TCP level, `restore()` lets traffic through again. TLS stays
 * end to end (the gate never looks inside), on 127.0.0.1 like the real server, so certificates verify.
 */
export interface ApiServerGate {
  /** A KubeConfig whose server is the gate. */
  kc: KubeConfig;
  /** Requests sent through `kc` so far (counted at authentication, one per HTTP request). */
  requests(): number;
  /** Calls `fn` once, just before the first request whose URL matches is sent (to cut mid-apply). */
  onRequest(match: RegExp, fn: () => void): void;
  restart(): void;
  restore(): void;
  close(): Promise<void>;
}

export async function startApiServerGate(kubeconfigPath: string): Promise<ApiServerGate> {
  const source = new KubeConfig();
  source.loadFromFile(kubeconfigPath);
  const cluster = source.getCurrentCluster();
  if (!cluster) throw new Error(`${kubeconfigPath} has no current cluster`);
  const target = new URL(cluster.server);
  const sockets = new Set<Socket>();
  let down = false;

  const server: Server = createServer((client) => {
    if (down) {
      client.destroy();
      return;
    }
    const upstream = connect(Number(target.port), target.hostname);
    sockets.add(client);
    sockets.add(upstream);
    const drop = () => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on('error', drop).on('close', drop);
    upstream.on('error', drop).on('close', drop);
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;

  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: source.clusters.map((c) =>
      c.name === cluster.name ? { ...c, server: `https://${target.hostname}:${port}` } : c,
    ),
    users: source.users,
    contexts: source.contexts,
    currentContext: source.currentContext,
  });

  let count = 0;
  const hooks: Array<{ match: RegExp; fn: () => void }> = [];
  const authenticate = kc.applySecurityAuthentication.bind(kc);
  kc.applySecurityAuthentication = async (context) => {
    count++;
    const url = context.getUrl();
    const index = hooks.findIndex((h) => h.match.test(url));
    const hook = hooks[index];
    if (hook) {
      hooks.splice(index, 1);
      hook.fn();
    }
    return authenticate(context);
  };

  return {
    kc,
    requests: () => count,
    onRequest(match, fn) {
      hooks.push({ match, fn });
    },
    restart() {
      down = true;
      for (const s of sockets) s.destroy();
      sockets.clear();
    },
    restore() {
      down = false;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
