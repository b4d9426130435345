import { startRoute53Server } from './server.ts';

/**
 * Starts the Route 53 test server as a process (for the sandbox):
 *   node --experimental-strip-types test/support/route53/main.ts [--port N] [--zone example.com[=ZID]]... [--change-delay-ms N]
 * Prints one JSON line {url, zones} to stdout, then serves until SIGINT/SIGTERM.
 */
const args = process.argv.slice(2);
const zones: Record<string, string | undefined> = {};
let port = 0;
let changeDelayMs = 0;
for (let i = 0; i < args.length; i++) {
  const arg = args[i];
  const value = args[i + 1];
  if (arg === '--port' && value) {
    port = Number(value);
    i++;
  } else if (arg === '--zone' && value) {
    const [name, id] = value.split('=');
    zones[name!] = id;
    i++;
  } else if (arg === '--change-delay-ms' && value) {
    changeDelayMs = Number(value);
    i++;
  } else {
    process.stderr.write(`unknown argument ${arg}\n`);
    process.exit(2);
  }
}

const server = await startRoute53Server({ port, changeDelayMs, zones });
process.stdout.write(`${JSON.stringify({ url: server.url, zones: server.control.zones() })}\n`);
const stop = () => {
  server.close().then(() => process.exit(0));
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
