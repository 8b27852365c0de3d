/**
 * Journal replay and reports at full size, without the emulator: the real deploy engine writes a journal of
 * BENCH_ACCOUNTS rows (default 10,000; every state change fsynced before it is shown) over the unit tests'
 * in-process AWS fakes, then the real CLI replays it (`runs --json`), the fold `resume` starts from is timed in
 * process, and the CLI writes the three report formats from those 10,000 connections. No moto, so it runs in a
 * few minutes even where the scale bench cannot reach these stages (moto slows to ~100 ms a call at 10,000
 * accounts). `npm run bench -- journal`.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { journalPath, readRunState } from '../main/core/onboarding/journal.js';
import { runCliStage } from './support/cli-stage.js';
import { writeEngineJournal } from './support/engine-journal.js';

const QUICK = process.env.BENCH_QUICK === '1';
const ROWS = Number(process.env.BENCH_ACCOUNTS ?? (QUICK ? 500 : 10_000));
const CONCURRENCY = 64;
const TARGETS = { journalReplayMs: 2000, xlsxMs: 10_000, cliPeakRssMiB: 1024 };

interface Figure {
  stage: string;
  what: string;
  ms: number;
  targetMs?: number;
  ratio?: number;
  peakRssMiB?: number;
}

const round = (n: number, digits = 0) => Number(n.toFixed(digits));
const figure = (stage: string, what: string, ms: number, targetMs?: number, peakRssMiB?: number): Figure => ({
  stage,
  what,
  ms: round(ms),
  targetMs,
  ratio: targetMs === undefined ? undefined : round(ms / targetMs, 2),
  peakRssMiB,
});

const dataDir = mkdtempSync(path.join(tmpdir(), 'orgconnect-bench-journal-'));
const outDir = mkdtempSync(path.join(tmpdir(), 'orgconnect-bench-reports-'));
const env = { ...process.env, ORGCONNECT_HOME: dataDir };
const figures: Figure[] = [];
try {
  const written = await writeEngineJournal(dataDir, ROWS, CONCURRENCY);
  const journalMiB = round(statSync(journalPath(dataDir, written.runId)).size / 2 ** 20, 1);
  figures.push(
    figure(
      'engine journal write',
      `${written.connected} rows deployed by the engine over in-process fakes, c = ${CONCURRENCY}, ${journalMiB} MiB`,
      written.ms,
    ),
  );
  const runs = await runCliStage(['runs', '--json', '--data-dir', dataDir], env);
  if (runs.code !== 0) throw new Error(`runs exited ${runs.code}: ${runs.stderr}`);
  figures.push(
    figure(
      'journal replay: runs --json',
      `${ROWS} rows`,
      runs.wallMs,
      TARGETS.journalReplayMs,
      runs.peakRssMiB,
    ),
  );
  const foldStarted = performance.now();
  const state = await readRunState(dataDir, written.runId);
  figures.push(
    figure(
      'journal replay: resume fold',
      `${state.accounts.length} rows, in process`,
      performance.now() - foldStarted,
      TARGETS.journalReplayMs,
    ),
  );
  for (const format of ['csv', 'json', 'xlsx'] as const) {
    const out = path.join(outDir, `report.${format}`);
    const report = await runCliStage(
      ['report', '--format', format, '--out', out, '--data-dir', dataDir],
      env,
    );
    if (report.code !== 0) throw new Error(`report ${format} exited ${report.code}: ${report.stderr}`);
    figures.push(
      figure(
        `report ${format}`,
        `${ROWS} connections from the journal, ${round(statSync(out).size / 2 ** 20, 1)} MiB`,
        report.wallMs,
        format === 'xlsx' ? TARGETS.xlsxMs : undefined,
        report.peakRssMiB,
      ),
    );
  }
  // The JSON report says how many connections it holds: the rows really are the journal's, not an empty report.
  const reported = (
    JSON.parse(readFileSync(path.join(outDir, 'report.json'), 'utf8')) as { connections?: unknown[] }
  ).connections?.length;
  if (reported !== ROWS) throw new Error(`the JSON report holds ${reported} connections, not ${ROWS}`);
} finally {
  rmSync(dataDir, { recursive: true, force: true });
  rmSync(outDir, { recursive: true, force: true });
}
for (const f of figures) {
  const vs = f.ratio === undefined ? '' : ` (${f.ratio} × target ${f.targetMs} ms)`;
  const rss = f.peakRssMiB === undefined ? '' : `; peak RSS ${f.peakRssMiB} MiB`;
  console.log(`  ${f.stage}: ${f.what}: ${f.ms} ms${vs}${rss}`);
}
const resultsDir = path.join(import.meta.dirname, 'results');
mkdirSync(resultsDir, { recursive: true });
const file = path.join(resultsDir, 'journal-reports.json');
writeFileSync(
  file,
  JSON.stringify(
    {
      bench: 'journal-reports',
      at: new Date().toISOString(),
      node: process.version,
      rows: ROWS,
      targets: TARGETS,
      figures,
    },
    null,
    2,
  ) + '\n',
);
console.log(`  → ${path.relative(process.cwd(), file)}`);
