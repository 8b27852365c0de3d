/**
 * `npm run bench`: each benchmark in its own process, one after the other (so one bench's moto, proxies and
 * garbage do not disturb the next one's timing or CPU figures), then the deploy plot. Not part of `npm test`.
 * `npm run bench -- deploy` runs only the named benches; BENCH_QUICK=1 shrinks every bench for a smoke run.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { writeDeployPlot } from './plot.js';

// ui before scale: the scale bench's markdown summary takes the UI figures from ui.json when sizes match.
const BENCHES = ['deploy-throughput', 'discovery', 'ui', 'scale', 'journal-reports'] as const;
const requested = process.argv.slice(2);
const chosen =
  requested.length === 0 ? [...BENCHES] : BENCHES.filter((b) => requested.some((r) => b.startsWith(r)));

const started = performance.now();
// A clean clone has no emulator yet: the same project-local venv the tests use (quick when it is already there).
const setup = spawnSync('bash', [path.join(import.meta.dirname, '../scripts/setup-moto.sh')], {
  stdio: 'inherit',
});
if (setup.status !== 0) {
  console.error(
    'could not set up the moto venv (scripts/setup-moto.sh); the deploy and discovery benches need it',
  );
  process.exit(1);
}
// The scale and journal-reports benches drive the real CLI, which runs from dist/: build it from the current source first.
if (chosen.includes('scale') || chosen.includes('journal-reports')) {
  const build = spawnSync(process.execPath, [path.join(import.meta.dirname, '../node_modules/typescript/bin/tsc'), '-b'], {
    cwd: path.join(import.meta.dirname, '..'),
    stdio: 'inherit',
  });
  if (build.status !== 0) {
    console.error('tsc -b failed: the scale bench needs dist/');
    process.exit(1);
  }
}
let failed = false;
for (const bench of chosen) {
  const benchStarted = performance.now();
  console.log(`\n== ${bench}`);
  const result = spawnSync(
    process.execPath,
    ['--import', 'tsx', path.join(import.meta.dirname, `${bench}.ts`)],
    { stdio: 'inherit' },
  );
  console.log(`== ${bench}: ${Math.round((performance.now() - benchStarted) / 1000)} s`);
  if (result.status !== 0) {
    console.error(`${bench} failed (exit ${result.status ?? result.signal})`);
    failed = true;
  }
}
if (chosen.includes('deploy-throughput') && !failed) {
  console.log(`  → ${path.relative(process.cwd(), writeDeployPlot())}`);
}
console.log(`\nbench total: ${Math.round((performance.now() - started) / 1000)} s`);
process.exit(failed ? 1 : 0);
