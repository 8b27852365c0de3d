#!/usr/bin/env node
// The `orgconnect` command: runs the compiled CLI (npm run build writes dist/).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const entry = new URL('../dist/main/cli/main.js', import.meta.url);
if (!existsSync(fileURLToPath(entry))) {
  process.stderr.write('orgconnect is not built yet: run "npm run build" in the orgconnect folder first.\n');
  process.exit(2);
}
// The SDK warns about Node 20 on every run; the README states the supported versions instead.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
const { runCli } = await import(entry.href);
process.exitCode = await runCli(process.argv.slice(2));
