/**
 * UI (issue 7, bench 3): the renderer built from the current source (vite, into a temp dir so dist/ is left to
 * the build), served by the real browser host (`orgconnect serve`'s startBrowserHost + OrgConnectService) over a
 * moto Organization, driven in Debian's Chromium by Playwright.
 *
 * Figures: JS/CSS bundle size raw and gzipped; cold start to first render (fresh browser context per sample: first
 * contentful paint from the page's own performance entries, and until React has put the app in #root); and for the
 * accounts table with N accounts: Next → table visible, "Select all active", "Clear selection", a filter that
 * leaves one row, and a sort by name. Interaction times are measured in this process around Playwright actions,
 * so each includes a few ms of Playwright/CDP round trip.
 *
 * Run alone: `node --import tsx bench/ui.ts` (BENCH_QUICK=1 for 200 accounts).
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
import { startMoto } from '../test/support/moto.js';
import { seedOrganization } from '../test/support/seed-org.js';
import { machineInfo, quietSdk, round, writeResult } from './support/results.js';

quietSdk();
const QUICK = process.env['BENCH_QUICK'] === '1';
const ACCOUNTS = QUICK ? 200 : 2000;
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

async function timed(action: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await action();
  return round(performance.now() - started, 1);
}

async function main(): Promise<void> {
  const { dir, buildMs } = buildRenderer();
  const sizes = bundleSizes(dir);
  console.log(
    `ui bench: renderer built in ${round(buildMs / 1000, 1)} s; JS ${round(sizes.js / 1024)} KiB (gzip ${round(sizes.jsGzip / 1024)} KiB), ` +
      `CSS ${round(sizes.css / 1024)} KiB (gzip ${round(sizes.cssGzip / 1024)} KiB)`,
  );

  const moto = await startMoto();
  const seeded = await seedOrganization({
    endpoint: moto.url,
    accounts: ACCOUNTS - 1,
    suspended: 1,
    depth: 2,
    branching: 4,
    concurrency: 16,
  });
  const files = writeTestAwsConfig(moto.url);
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
      // A string, because this project's node tsconfig has no DOM types; it runs in the page.
      await page.waitForFunction("(document.getElementById('root')?.childElementCount ?? 0) > 0");
      firstRender.push(performance.now() - started);
      const paint = await page.evaluate(
        () => performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? -1,
      );
      fcp.push(paint);
      await context.close();
    }

    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page: Page = await context.newPage();
    page.setDefaultTimeout(QUICK ? 20_000 : 120_000);
    await page.goto(host.url);
    await page.getByRole('button', { name: /AWS profile/ }).click();
    await page.getByRole('option', { name: /emulator/ }).click();
    const checkAccessMs = await timed(async () => {
      await page.getByRole('button', { name: 'Check access' }).click();
      // The Organization's id shows before the tree walk ends; the account total shows once discovery is done.
      await page.getByText(`${seeded.accounts.length} (1 not active)`).waitFor();
    });
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByLabel('External ID').fill('bench-ui-external-id');
    const n = seeded.accounts.length;
    const table = page.getByRole('table', { name: 'Accounts' });
    const tableMs = await timed(async () => {
      await page.getByRole('button', { name: 'Next' }).click();
      await table.getByRole('row').nth(50).waitFor();
    });
    const clearMs = await timed(async () => {
      await page.getByRole('button', { name: 'Clear selection' }).click();
      await page.getByText(`(0/${n})`).waitFor();
    });
    const selectAllMs = await timed(async () => {
      await page.getByRole('button', { name: 'Select all active' }).click();
      await page.getByText(`(${n - 1}/${n})`).waitFor();
    });
    const target = seeded.accounts[seeded.accounts.length - 1];
    const filterMs = await timed(async () => {
      await page.getByLabel('Filter accounts').fill(target?.id ?? '');
      // Header row + the one match: a second data row gone means the filter has been applied and rendered.
      await table.getByRole('row').nth(2).waitFor({ state: 'detached' });
      await table
        .getByRole('row')
        .filter({ hasText: target?.id ?? '' })
        .waitFor();
    });
    await page.getByLabel('Filter accounts').fill('');
    await table.getByRole('row').nth(50).waitFor();
    const sortMs = await timed(async () => {
      await page.getByRole('columnheader', { name: /Name/ }).click();
      await table.getByRole('row').nth(1).getByText('acct-0001', { exact: true }).waitFor();
    });
    await context.close();

    const result = {
      bench: 'ui',
      date: new Date().toISOString(),
      machine: machineInfo(),
      quick: QUICK,
      chromium: browser.version(),
      bundle: sizes,
      renderer: { buildMs: Math.round(buildMs) },
      coldStart: {
        samples: COLD_SAMPLES,
        browserLaunchMs: Math.round(launchMs),
        firstRenderMsMedian: round(median(firstRender), 1),
        firstContentfulPaintMsMedian: round(median(fcp), 1),
        firstRenderMs: firstRender.map((v) => round(v, 1)),
      },
      accountsTable: {
        accounts: n,
        pageSize: 50,
        checkAccessDiscoveryMs: checkAccessMs,
        nextToTableVisibleMs: tableMs,
        clearSelectionMs: clearMs,
        selectAllActiveMs: selectAllMs,
        filterToOneRowMs: filterMs,
        sortByNameMs: sortMs,
        note: 'measured around Playwright actions (includes CDP round trips); no latency injected for Check access',
      },
    };
    console.log(
      `  cold start: first render ${result.coldStart.firstRenderMsMedian} ms, FCP ${result.coldStart.firstContentfulPaintMsMedian} ms (median of ${COLD_SAMPLES}); browser launch ${result.coldStart.browserLaunchMs} ms`,
    );
    console.log(
      `  accounts table, ${n} accounts: Check access ${checkAccessMs} ms; Next → table ${tableMs} ms; clear ${clearMs} ms; ` +
        `select all ${selectAllMs} ms; filter ${filterMs} ms; sort ${sortMs} ms`,
    );
    const file = writeResult('ui', result);
    console.log(`  → ${path.relative(process.cwd(), file)}`);
  } finally {
    await browser.close();
    await host.close();
    await moto.stop();
  }
}

await main();
