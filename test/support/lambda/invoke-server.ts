import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * The Lambda Invoke API (REST-JSON, `POST /2015-03-31/functions/{name}/invocations`) for asynchronous
 * invocations: `X-Amz-Invocation-Type: Event` is accepted with 202 and an empty body, as Lambda does.
 * Unknown functions get 404 ResourceNotFoundException; injected failures 429 TooManyRequestsException.
 */
export interface InvokeServer {
  url: string;
  /** Payloads accepted, per function name. */
  invoked(functionName: string): unknown[];
  addFunction(name: string): void;
  throttle(times: number): void;
  close(): Promise<void>;
}

export async function startInvokeServer(functions: string[] = []): Promise<InvokeServer> {
  const accepted = new Map<string, unknown[]>(functions.map((f) => [f, []]));
  let throttled = 0;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const fail = (status: number, type: string, message: string) => {
        res.writeHead(status, { 'content-type': 'application/json', 'x-amzn-errortype': type });
        res.end(JSON.stringify({ Type: 'User', message }));
      };
      const match = /^\/2015-03-31\/functions\/([^/]+)\/invocations$/.exec(
        new URL(req.url ?? '/', 'http://x').pathname,
      );
      const name = match ? decodeURIComponent(match[1]!) : '';
      if (req.method !== 'POST' || !match) return fail(404, 'UnknownOperationException', 'Unknown operation');
      if (throttled > 0) {
        throttled--;
        return fail(429, 'TooManyRequestsException', 'Rate exceeded');
      }
      const list = accepted.get(name);
      if (!list) return fail(404, 'ResourceNotFoundException', `Function not found: ${name}`);
      if (req.headers['x-amz-invocation-type'] !== 'Event') {
        return fail(400, 'InvalidParameterValueException', 'this stand-in only accepts Event invocations');
      }
      list.push(JSON.parse(Buffer.concat(chunks).toString('utf8') || 'null'));
      res.writeHead(202, { 'x-amzn-requestid': 'stand-in' });
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    invoked: (name) => [...(accepted.get(name) ?? [])],
    addFunction: (name) => {
      accepted.set(name, accepted.get(name) ?? []);
    },
    throttle: (times) => {
      throttled = times;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((e) => (e ? reject(e) : resolve()));
      }),
  };
}
