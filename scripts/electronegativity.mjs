#!/usr/bin/env node
// Electron security scan (Doyensec's Electronegativity) over the Electron main process, the preload and the
// renderer, as one project: its global checks (CSP, navigation limits, permission handler) need to see the window
// set-up and the pages together. Any finding of MEDIUM severity or higher, or a file it could not parse, fails
// `npm test`. A reviewed exception is a single-line `// eng-disable CHECK_ID why` comment on the flagged line.
//
// Its CLI does not start with the commander version npm installs here, so this uses its programmatic runner.
import { cpSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const root = path.resolve(import.meta.dirname, '..');
const require = createRequire(import.meta.url);
export const SCANNED = ['main/app', 'preload', 'renderer/src', 'renderer/index.html'];
const GATE = 2; // Electronegativity's severity value for MEDIUM (LOW 1, HIGH 3).

/**
 * Scans `sources` (paths relative to `base`) as one project. Returns every finding, the parse errors and how many
 * files were read, so a caller can tell a clean result from a scan that saw nothing.
 */
export async function scanElectronSources(sources, base = root) {
  answerNetworkLookupsOffline();
  const run = require('@doyensec/electronegativity/dist/runner.js');
  const electronVersion = JSON.parse(
    readFileSync(path.join(root, 'node_modules/electron/package.json'), 'utf8'),
  ).version;
  const project = mkdtempSync(path.join(tmpdir(), 'orgconnect-electronegativity-'));
  try {
    for (const source of sources)
      cpSync(path.join(base, source), path.join(project, source), { recursive: true });
    // It reads only .js/.jsx/.ts/.tsx/.html: the preload is a .cts, which it would silently skip.
    for (const file of scannableFiles(project, /\.(cts|mts)$/))
      renameSync(file, file.replace(/\.[cm]ts$/, '.ts'));
    for (const file of scannableFiles(project, /\.(cjs|mjs)$/))
      renameSync(file, file.replace(/\.[cm]js$/, '.js'));
    // It announces failed translation/release downloads on the console (no network here); the scan itself is local.
    const log = console.log;
    const warn = console.warn;
    const error = console.error;
    const quiet = () => undefined;
    console.log = console.warn = console.error = quiet;
    let result;
    try {
      result = await run({ input: project, isRelative: true, electronVersionOverride: electronVersion });
    } finally {
      console.log = log;
      console.warn = warn;
      console.error = error;
    }
    const findings = result.issues.map((issue) => ({
      id: issue.id,
      severity: issue.severity.name,
      severityValue: issue.severity.value,
      confidence: issue.confidence.name,
      file: issue.file,
      line: issue.location.line,
      manualReview: Boolean(issue.manualReview),
    }));
    return {
      electronVersion,
      checks: result.globalChecks + result.atomicChecks,
      filesScanned: scannableFiles(project, /\.(jsx?|tsx?|html?)$/).length,
      errors: result.errors,
      findings,
      blocking: findings.filter((f) => f.severityValue >= GATE),
    };
  } finally {
    rmSync(project, { recursive: true, force: true });
  }
}

/**
 * Electronegativity makes two look-ups on the network: fresher translations, and Electron's release list (to
 * say whether the Electron version has security fixes released after it). Neither can be reached here, and on
 * Node 22+ its HTTP client (got 11) crashes the process from a retry timer when they fail. Its `got` is replaced
 * with one that fails at once, which it handles: English messages as shipped, and no release-list verdict (the
 * Electron version is kept current by the dependency itself: package.json's electron is the latest major).
 */
function answerNetworkLookupsOffline() {
  const fromScanner = createRequire(require.resolve('@doyensec/electronegativity/package.json'));
  const gotPath = fromScanner.resolve('got');
  if (require.cache[gotPath]?.offline) return;
  const offline = () => Promise.reject(new Error('no network look-ups during the scan'));
  offline.head = offline;
  offline.get = offline;
  require.cache[gotPath] = { id: gotPath, filename: gotPath, loaded: true, exports: offline, offline: true };
}

function scannableFiles(dir, pattern) {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && pattern.test(entry.name))
    .map((entry) => path.join(entry.parentPath, entry.name));
}

async function main() {
  const scan = await scanElectronSources(SCANNED);
  const bySeverity = {};
  for (const finding of scan.findings) bySeverity[finding.severity] = (bySeverity[finding.severity] ?? 0) + 1;
  console.log(
    `Electronegativity: ${scan.checks} checks over ${scan.filesScanned} files (${SCANNED.join(', ')}), Electron ${scan.electronVersion}; ` +
      `findings by severity: ${JSON.stringify(bySeverity)}; parse errors: ${scan.errors.length}`,
  );
  for (const f of scan.findings) {
    console.log(
      `  ${f.severity.padEnd(13)} ${f.id.padEnd(40)} ${f.file}:${f.line}${f.manualReview ? ' (review)' : ''}`,
    );
  }
  for (const e of scan.errors) console.log(`  parse error: ${JSON.stringify(e)}`);
  if (scan.filesScanned === 0 || scan.errors.length > 0 || scan.blocking.length > 0) {
    console.error(
      `Electronegativity gate failed: ${scan.blocking.length} finding(s) MEDIUM or higher, ${scan.errors.length} parse error(s).`,
    );
    process.exit(1);
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main();
