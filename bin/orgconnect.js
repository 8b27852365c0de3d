#!/usr/bin/env node
// The `orgconnect` command: runs the compiled CLI (npm run build writes dist/).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

// package.json's engines: the AWS SDK drops older Node lines, and the CLI is tested on Node 24.
const nodeMajor = Number(process.versions.node.split('.')[0]);
if (nodeMajor < 22) {
  process.stderr.write(
    `orgconnect needs Node.js 22 or later (24 recommended); this is Node ${process.versions.node}.\n`,
  );
  process.exit(2);
}

const entry = new URL('../dist/main/cli/main.js', import.meta.url);
if (!existsSync(fileURLToPath(entry))) {
  process.stderr.write('orgconnect is not built yet: run "npm run build" in the orgconnect folder first.\n');
  process.exit(2);
}
const { runCli } = await import(entry.href);
process.exitCode = await runCli(process.argv.slice(2));
