#!/usr/bin/env node
// The one test command (`npm test`): type-check, lint, then every test tier with node's test runner.
// Tiers: unit (pure logic), integration (moto server), e2e (Chromium via Playwright against `orgconnect serve`).
// `node scripts/test.mjs unit` runs one tier.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const requested = process.argv.slice(2);
const tiers = requested.length > 0 ? requested : ['unit', 'integration', 'e2e'];

function run(label, command, args, env = {}) {
  console.log(`\n== ${label}: ${command} ${args.join(' ')}`);
  const result = spawnSync(command, args, {
    cwd: root,
    stdio: 'inherit',
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', ...process.env, ...env },
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

// The e2e tier drives the built renderer that `orgconnect serve` hosts.
if (tiers.includes('e2e')) run('renderer build', 'npx', ['vite', 'build', '--logLevel', 'warn']);

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
