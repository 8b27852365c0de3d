/**
 * UI (issue 7, bench 3): the renderer built from the current source (vite, into a temp dir so dist/ is left to
 * the build), served by the real browser host (`orgconnect serve`'s startBrowserHost), in Debian's Chromium.
 *
 * Figures: JS/CSS bundle size raw and gzipped; cold start (fresh browser context per sample, real host: first
 * contentful paint, and until React has rendered the app); then the wizard walked with N = 10,000 accounts (BENCH_ACCOUNTS): the
 * account checklist (first render, filter to one row, sort, select all), the Deploy table while 100 account
 * updates per second stream in (longest frame), and the Health table (first render, filter, sort, problems only).
 * The data for the walk comes from bench/support/ui-stub-data.ts through `window.orgconnect` (contract-checked;
 * moto cannot produce 10,000 health results in a bench's time). Interactions are timed inside the page, from the
 * DOM event to the first frame after the result is on screen (bench/support/ui-page-harness.ts).
 *
 * Run alone: `node --import tsx bench/ui.ts` (BENCH_QUICK=1 for 500 accounts).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Page } from 'playwright';
import { OrgConnectService } from '../main/core/service.js';
import { startBrowserHost } from '../main/serve/browser-host.js';
import { writeTestAwsConfig } from '../test/support/aws-test-config.js';
import { launchChromium } from '../test/support/browser.js';
import { pageHarness } from './support/ui-page-harness.js';
import { uiStubData } from './support/ui-stub-data.js';
import { machineInfo, round, writeResult } from './support/results.js';

const QUICK = process.env['BENCH_QUICK'] === '1';
/** BENCH_ACCOUNTS (or BENCH_UI_ACCOUNTS) sizes the walk; 10,000 accounts by default (issue 18). */
const ACCOUNTS = Number(
  process.env['BENCH_UI_ACCOUNTS'] ?? process.env['BENCH_ACCOUNTS'] ?? (QUICK ? 500 : 10_000),
);
const UPDATES_PER_SECOND = 100;
const STREAM_MS = QUICK ? 3000 : 10_000;
const TARGETS = { interactionMs: 100, longestFrameMs: 50, bundleGzipKiB: 600, coldStartMs: 1500 };
const MIB = 2 ** 20;
const COLD_SAMPLES = 5;
const ROOT = path.resolve(import.meta.dirname, '..');

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

function buildRenderer(): { dir: string; buildMs: number } {
  const dir = mkdtempSync(path.join(tmpdir(), 'orgconnect-bench-renderer-'));
  const started = performance.now();
  const result = spawnSync(
    process.execPath,
    [
      path.join(ROOT, 'node_modules/vite/bin/vite.js'),
      'build',
      '--outDir',
      dir,
      '--emptyOutDir',
      '--logLevel',
      'warn',
    ],
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' },
  );
  // vite's chunk-size and "use client" warnings are noise here; its output matters only when it failed.
  if (result.status !== 0) {
    throw new Error(
      `vite build failed (exit ${result.status ?? result.signal}): ${result.stderr.slice(-2000)}`,
    );
  }
  return { dir, buildMs: performance.now() - started };
}

function bundleSizes(dir: string): {
  files: { file: string; bytes: number; gzipBytes: number }[];
  js: number;
  jsGzip: number;
  css: number;
  cssGzip: number;
} {
  const files = readdirSync(dir, { recursive: true })
    .map(String)
    .filter((f) => f.endsWith('.js') || f.endsWith('.css'))
    .map((file) => {
      const full = path.join(dir, file);
      return { file, bytes: statSync(full).size, gzipBytes: gzipSync(readFileSync(full)).length };
    });
  const sum = (ext: string, key: 'bytes' | 'gzipBytes'): number =>
    files.filter((f) => f.file.endsWith(ext)).reduce((total, f) => total + f[key], 0);
  return {
    files,
    js: sum('.js', 'bytes'),
    jsGzip: sum('.js', 'gzipBytes'),
    css: sum('.css', 'bytes'),
    cssGzip: sum('.css', 'gzipBytes'),
  };
}


async function main(): Promise<void> {
  const { dir, buildMs } = buildRenderer();
  const sizes = bundleSizes(dir);
  console.log(
    `ui bench: renderer built in ${round(buildMs / 1000, 1)} s; JS ${round(sizes.js / 1024)} KiB (gzip ${round(sizes.jsGzip / 1024)} KiB), ` +
      `CSS ${round(sizes.css / 1024)} KiB (gzip ${round(sizes.cssGzip / 1024)} KiB)`,
  );
  // 400 OUs at 10,000 accounts, as the scale bench's Organization (200 below that, as before).
  const data = uiStubData(ACCOUNTS, ACCOUNTS >= 10_000 ? 400 : 200);
  // The real host serves the files (and answers the cold-start samples); no AWS call is made.
  const files = writeTestAwsConfig('http://127.0.0.1:9');
  const host = await startBrowserHost({
    rendererDir: dir,
    service: new OrgConnectService({
      env: files.env,
      dataDir: mkdtempSync(path.join(tmpdir(), 'orgconnect-bench-ui-')),
    }),
  });
  const launchStarted = performance.now();
  const browser = await launchChromium();
  const launchMs = performance.now() - launchStarted;
  try {
    // Cold start: a new context has an empty cache, so every sample loads and parses the whole bundle.
    const firstRender: number[] = [];
    const fcp: number[] = [];
    for (let i = 0; i < COLD_SAMPLES; i++) {
      const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
      const page = await context.newPage();
      const started = performance.now();
      await page.goto(host.url);
      await page.getByRole('button', { name: 'Check access' }).waitFor();
      firstRender.push(performance.now() - started);
      const paint = await page.evaluate(
        () => performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? -1,
      );
      fcp.push(paint);
      await context.close();
    }

    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    await context.addInitScript({ content: pageHarness(data) });
    const page: Page = await context.newPage();
    page.setDefaultTimeout(120_000);
    // The renderer's JS heap, read through the DevTools protocol: live bytes after a forced GC at each step of the
    // walk (what the page keeps), and the largest heap seen before collection (what it peaked at).
    const cdp = await context.newCDPSession(page);
    await cdp.send('Performance.enable');
    const heapSamples: { step: string; usedAfterGcMiB: number; usedBeforeGcMiB: number }[] = [];
    const sampleHeap = async (step: string): Promise<void> => {
      const before = await cdp.send('Runtime.getHeapUsage');
      await cdp.send('HeapProfiler.collectGarbage');
      const after = await cdp.send('Runtime.getHeapUsage');
      heapSamples.push({
        step,
        usedBeforeGcMiB: round(before.usedSize / MIB, 1),
        usedAfterGcMiB: round(after.usedSize / MIB, 1),
      });
    };
    const inPage = (expression: string): Promise<number> =>
      page.evaluate(expression).then((value) => round(Number(value), 1));
    await page.goto(host.url);
    await page.getByRole('button', { name: /AWS profile/ }).click();
    await page.getByRole('option', { name: /bench/ }).click();
    await page.getByRole('button', { name: 'Check access' }).click();
    await page.getByText(data.snapshot.organization.id).waitFor();
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByLabel('External ID', { exact: true }).fill('bench-ui-external-id');

    // --- The account checklist.
    const n = data.snapshot.accounts.length;
    const last = data.snapshot.accounts[n - 2]; // the last active one
    const accounts = {
      accounts: n,
      firstRenderMs: await inPage(`__bench.measureClick('Next', 'Accounts', 10)`),
      filterToOneRowMs: await inPage(
        `__bench.measureFilter('Accounts', 'Filter accounts', ${JSON.stringify(last?.id)}, 1, ${JSON.stringify(last?.id)})`,
      ),
      clearFilterMs: await inPage(
        `__bench.measureFilter('Accounts', 'Filter accounts', '', -1, '')`,
      ),
      sortByNameMs: await inPage(`__bench.measureSort('Accounts', 'Name', 'acct-0001')`),
      selectAllActiveMs: await inPage(`__bench.measureText('Select all active', '(${n - 1}/${n})')`),
      rowsRendered: await inPage(`__bench.rowCount('Accounts')`),
    };
    console.log(
      `  checklist, ${n} accounts (${accounts.rowsRendered} rows rendered): first render ${accounts.firstRenderMs} ms; ` +
        `filter ${accounts.filterToOneRowMs} ms; clear filter ${accounts.clearFilterMs} ms; sort ${accounts.sortByNameMs} ms; ` +
        `select all ${accounts.selectAllActiveMs} ms`,
    );

    await sampleHeap('checklist');
    // --- Review, then the Deploy table under a stream of account updates.
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByRole('button', { name: 'Next' }).waitFor();
    const reviewMs = await inPage(`__bench.measureText('Next', 'Start deploy')`);
    await page.getByRole('button', { name: 'Start deploy' }).click();
    // The recap asks for a confirmation before anything is deployed.
    await page
      .getByRole('dialog', { name: 'Deploy to AWS?' })
      .getByRole('button', { name: /^Deploy \d+ stacks?$/ })
      .click();
    await page.getByRole('table', { name: 'Deploy progress' }).waitFor();
    await page.evaluate('__bench.startFrames()');
    const updates = await inPage(`__bench.stream(${UPDATES_PER_SECOND}, ${STREAM_MS})`);
    const frames = (await page.evaluate('__bench.stopFrames()')) as {
      frames: number;
      longestFrameMs: number;
      framesOver50ms: number;
    };
    const deploy = {
      rows: data.planned.plan.items.length,
      reviewToDeployMs: reviewMs,
      updatesPerSecond: UPDATES_PER_SECOND,
      streamMs: STREAM_MS,
      updatesSent: updates,
      frames: frames.frames,
      longestFrameMs: round(frames.longestFrameMs, 1),
      framesOver50ms: frames.framesOver50ms,
    };
    console.log(
      `  deploy table, ${deploy.rows} rows, ${updates} updates in ${STREAM_MS / 1000} s: longest frame ${deploy.longestFrameMs} ms, ` +
        `${deploy.framesOver50ms} of ${deploy.frames} frames over 50 ms`,
    );
    await sampleHeap('deploy table after the stream');
    await page.evaluate('__bench.finishRun()');
    await page.getByTestId('run-result').waitFor();

    // --- Health: N connections.
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByRole('button', { name: 'Check now' }).waitFor();
    const table = 'Connection health';
    const target = data.health.connections.at(-1);
    const health = {
      connections: data.health.connections.length,
      firstRenderMs: await inPage(`__bench.measureClick('Check now', ${JSON.stringify(table)}, 10)`),
      filterToOneRowMs: await inPage(
        `__bench.measureFilter(${JSON.stringify(table)}, 'Filter connections', ${JSON.stringify(target?.accountId)}, 1, ${JSON.stringify(target?.accountId)})`,
      ),
      clearFilterMs: await inPage(
        `__bench.measureFilter(${JSON.stringify(table)}, 'Filter connections', '', -1, '')`,
      ),
      sortByAccountMs: await inPage(`__bench.measureSort(${JSON.stringify(table)}, 'Account', 'acct-0001')`),
      rowsRendered: await inPage(`__bench.rowCount(${JSON.stringify(table)})`),
    };
    const healthyCounter = () =>
      page.evaluate(`document.body.textContent.match(/\\((\\d+)\\/\\d+ healthy\\)/)?.[1] ?? ''`);
    const healthyBefore = await healthyCounter();
    await page.evaluate('__bench.startFrames()');
    const healthUpdates = await inPage(`__bench.streamHealth(${UPDATES_PER_SECOND}, ${STREAM_MS})`);
    const healthFrames = (await page.evaluate('__bench.stopFrames()')) as {
      frames: number;
      longestFrameMs: number;
      framesOver50ms: number;
    };
    // The events must really have reached the table (a stream the UI ignored would measure nothing).
    const healthyAfter = await healthyCounter();
    if (healthyAfter === healthyBefore) {
      throw new Error(`the Health table ignored the health-checked stream (healthy ${healthyBefore} before and after)`);
    }
    const healthStream = {
      updatesPerSecond: UPDATES_PER_SECOND,
      streamMs: STREAM_MS,
      updatesSent: healthUpdates,
      frames: healthFrames.frames,
      longestFrameMs: round(healthFrames.longestFrameMs, 1),
      framesOver50ms: healthFrames.framesOver50ms,
      healthyBefore: Number(healthyBefore),
      healthyAfter: Number(healthyAfter),
    };
    console.log(
      `  health table, ${health.connections} connections (${health.rowsRendered} rows rendered): first render ${health.firstRenderMs} ms; ` +
        `filter ${health.filterToOneRowMs} ms; clear ${health.clearFilterMs} ms; sort ${health.sortByAccountMs} ms; ` +
        `${healthUpdates} health-checked events in ${STREAM_MS / 1000} s: longest frame ${healthStream.longestFrameMs} ms, ` +
        `${healthStream.framesOver50ms} of ${healthStream.frames} frames over 50 ms`,
    );
    await sampleHeap('health table after the stream');
    const jsHeap = {
      samples: heapSamples,
      peakUsedMiB: Math.max(...heapSamples.map((h) => h.usedBeforeGcMiB)),
      retainedMiB: Math.max(...heapSamples.map((h) => h.usedAfterGcMiB)),
    };
    console.log(
      `  renderer JS heap: ${heapSamples.map((h) => `${h.step} ${h.usedAfterGcMiB} MiB live (${h.usedBeforeGcMiB} before GC)`).join('; ')}`,
    );
    await page.screenshot({ path: path.join(tmpdir(), 'orgconnect-bench-ui-health.png') });
    await context.close();

    const interactions = [
      accounts.filterToOneRowMs,
      accounts.clearFilterMs,
      accounts.sortByNameMs,
      health.filterToOneRowMs,
      health.clearFilterMs,
      health.sortByAccountMs,
    ];
    const coldStart = {
      samples: COLD_SAMPLES,
      browserLaunchMs: Math.round(launchMs),
      firstRenderMsMedian: round(median(firstRender), 1),
      firstContentfulPaintMsMedian: round(median(fcp), 1),
      firstRenderMs: firstRender.map((v) => round(v, 1)),
    };
    const result = {
      bench: 'ui',
      date: new Date().toISOString(),
      machine: machineInfo(),
      quick: QUICK,
      chromium: browser.version(),
      bundle: sizes,
      renderer: { buildMs: Math.round(buildMs) },
      coldStart,
      accountsTable: accounts,
      deployTable: deploy,
      healthTable: { ...health, liveUpdates: healthStream },
      jsHeap,
      targets: TARGETS,
      ratios: {
        slowestFilterOrSortVsTarget: round(Math.max(...interactions) / TARGETS.interactionMs),
        longestFrameVsTarget: round(
          Math.max(deploy.longestFrameMs, healthStream.longestFrameMs) / TARGETS.longestFrameMs,
        ),
        bundleGzipVsTarget: round(sizes.jsGzip / 1024 / TARGETS.bundleGzipKiB),
        coldStartVsTarget: round(coldStart.firstRenderMsMedian / TARGETS.coldStartMs),
      },
      method:
        'in-page: from the DOM event to the first animation frame after the table shows the result; data from bench/support/ui-stub-data.ts via window.orgconnect',
    };
    console.log(
      `  cold start: first render ${coldStart.firstRenderMsMedian} ms, FCP ${coldStart.firstContentfulPaintMsMedian} ms (median of ${COLD_SAMPLES})`,
    );
    console.log(
      `  vs targets: slowest filter/sort ${result.ratios.slowestFilterOrSortVsTarget} × 100 ms; longest frame ${result.ratios.longestFrameVsTarget} × 50 ms; ` +
        `JS gzip ${result.ratios.bundleGzipVsTarget} × 600 KiB; cold start ${result.ratios.coldStartVsTarget} × 1.5 s`,
    );
    const file = writeResult('ui', result);
    console.log(`  → ${path.relative(process.cwd(), file)}`);
  } finally {
    await browser.close();
    await host.close();
  }
}

await main();
