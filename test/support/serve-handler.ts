import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

type Handler = (event: never) => Promise<unknown>;

/** Serves an API Gateway (HTTP API) Lambda handler on a loopback port, so a browser can load it. */
export async function serveHandler(handler: Handler): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createServer(async (req, res) => {
    const u = new URL(req.url ?? '/', 'http://127.0.0.1');
    const out = (await handler({
      rawPath: u.pathname,
      queryStringParameters: Object.fromEntries(u.searchParams),
      headers: req.headers as Record<string, string>,
    } as never)) as { statusCode: number; headers: Record<string, string>; body: string };
    res.writeHead(out.statusCode, out.headers).end(out.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
