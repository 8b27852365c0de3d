#!/usr/bin/env node
// The one test command (`npm test`): installs what the tests need (npm dependencies, the moto venv, Debian's
// Chromium where this user can install it, Electron's binary where it can be downloaded), type-checks, lints, then
// runs every test tier with node's test runner.
// Tiers: unit (pure logic), integration (moto server), e2e (Chromium via Playwright against `orgconnect serve`).
// `node scripts/test.mjs unit` runs one tier. On a Node older than 22 it runs itself on the project's Node 24.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureChromium, ensureDependencies, ensureElectronBinary } from './install-missing.mjs';
import { runOnSupportedNode } from './project-node.mjs';

await runOnSupportedNode(import.meta.url);

const root = fileURLToPath(new URL('..', import.meta.url));
const requested = process.argv.slice(2);
const tiers = requested.length > 0 ? requested : ['unit', 'integration', 'e2e'];

function run(label, command, args, env = {}) {
  console.log(`\n== ${label}: ${command} ${args.join(' ')}`);
  const result = spawnSync(command, args, {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, ...env },
  });
  if (result.status !== 0) {
    console.error(`\n${label} failed (exit ${result.status ?? result.signal})`);
    process.exit(result.status ?? 1);
  }
}

function testFiles(dir) {
  const full = path.join(root, dir);
  if (!existsSync(full)) return [];
  return readdirSync(full, { recursive: true })
    .map(String)
    .filter((f) => f.endsWith('.test.ts'))
    .sort()
    .map((f) => path.join(dir, f));
}

console.log(`Node ${process.versions.node}`);
ensureDependencies();
if (
  tiers.includes('integration') &&
  !existsSync(path.join(root, '.venv/bin/moto_server')) &&
  !process.env.MOTO_PYTHON
) {
  run('moto venv', 'bash', ['scripts/setup-moto.sh']);
}

run('type-check and build', 'npx', ['tsc', '-b']);
run('lint', 'npx', ['eslint', '.']);
// Electron security: 0 findings of MEDIUM or higher over main/app, preload and the renderer.
run('electron security scan', process.execPath, ['scripts/electronegativity.mjs']);

if (tiers.includes('e2e')) {
  const missing = ensureChromium();
  if (missing) {
    console.error(`The end-to-end tests need Chromium: ${missing}`);
    process.exit(1);
  }
  // Only test/e2e/electron.test.ts uses it, and it says it is skipped where there is none.
  ensureElectronBinary();
  // The e2e tier drives the built renderer that `orgconnect serve` hosts.
  run('renderer build', 'npx', ['vite', 'build', '--logLevel', 'warn']);
}

const files = tiers.flatMap((tier) => testFiles(path.join('test', tier)));
if (files.length === 0) {
  console.error('no test files found');
  process.exit(1);
}
// Integration files each start their own moto server, so they may run side by side; 2 cores here.
run('tests', process.execPath, [
  '--import',
  'tsx',
  '--test',
  '--test-concurrency=2',
  '--test-reporter=spec',
  ...files,
]);
