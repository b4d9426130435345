#!/usr/bin/env node
// The operator CLI. Runs the TypeScript sources directly (Node >= 22.18 strips types); `npx switchyard`
// inside the project uses the Node 24 the project installs.
import { main } from '../cli/main.ts';

process.exitCode = await main(process.argv.slice(2));
