// What `npm start` and `npm test` install on a fresh clone before they build: the npm dependencies (`npm ci`),
// Electron's binary (optional: without it the app opens in the browser), and for the tests Debian's Chromium.
// Each step says what it does on stderr, and is skipped when its result is already there.
import { spawnSync } from 'node:child_process';
import { existsSync, lstatSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

function say(line) {
  process.stderr.write(`${line}\n`);
}

/**
 * Why node_modules does not match package-lock.json, or undefined when it does. npm records what it installed
 * in node_modules/.package-lock.json; every package the lockfile requires on every platform must be there at
 * the locked version (optional ones may be absent: they are for other platforms).
 */
export function dependenciesOutOfDate(base = root) {
  const installedFile = path.join(base, 'node_modules', '.package-lock.json');
  if (!existsSync(installedFile)) return 'node_modules is not installed';
  const wanted = JSON.parse(readFileSync(path.join(base, 'package-lock.json'), 'utf8')).packages ?? {};
  const installed = JSON.parse(readFileSync(installedFile, 'utf8')).packages ?? {};
  for (const [where, entry] of Object.entries(wanted)) {
    if (where === '' || entry.optional || entry.link) continue;
    const have = installed[where]?.version;
    if (have !== entry.version)
      return `${where.replace(/^node_modules\//, '')} is ${have ?? 'missing'}, the lockfile wants ${entry.version}`;
  }
  return undefined;
}

/** Runs `npm ci` when node_modules is absent or does not match the lockfile. */
export function ensureDependencies() {
  const reason = dependenciesOutOfDate();
  if (!reason) return;
  const modules = path.join(root, 'node_modules');
  if (existsSync(modules) && lstatSync(modules).isSymbolicLink()) {
    // A linked node_modules is shared with other checkouts: `npm ci` would replace it under all of them.
    say(
      `== node_modules is a link to a shared install and ${reason}; not reinstalling it here (run npm install there)`,
    );
    return;
  }
  say(`== npm ci (${reason})`);
  const result = spawnSync('npm', ['ci', '--no-audit', '--no-fund'], { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) {
    say(`npm ci failed (exit ${result.status ?? result.signal})`);
    process.exit(result.status ?? 1);
  }
}

function installedElectron() {
  const dir = path.join(root, 'node_modules', 'electron');
  const pathFile = path.join(dir, 'path.txt');
  if (!existsSync(pathFile)) return undefined;
  const binary = path.join(dir, 'dist', readFileSync(pathFile, 'utf8').trim());
  return existsSync(binary) ? binary : undefined;
}

/**
 * Electron's binary, downloading it the first time (Electron's package fetches it on first use, not at install).
 * Where it cannot be downloaded (offline, a locked-down network, ELECTRON_SKIP_BINARY_DOWNLOAD=1) this says so
 * once, with the reason, and returns undefined: the caller carries on without the desktop window.
 */
export function ensureElectronBinary() {
  const present = installedElectron();
  if (present) return present;
  const skip = process.env.ELECTRON_SKIP_BINARY_DOWNLOAD;
  if (skip && skip !== '0' && skip !== 'false') {
    say('== Electron binary: not downloaded (ELECTRON_SKIP_BINARY_DOWNLOAD is set); carrying on without it');
    return undefined;
  }
  say('== Electron binary: downloading it (first run only)');
  const result = spawnSync(process.execPath, [path.join(root, 'node_modules', 'electron', 'install.js')], {
    cwd: root,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: 10 * 60_000,
  });
  const binary = result.status === 0 ? installedElectron() : undefined;
  if (binary) return binary;
  const output = `${result.stderr ?? ''}\n${result.stdout ?? ''}`;
  const reason =
    output
      .split('\n')
      .map((line) => line.trim())
      .find(
        (line) => /error|fail|status|ENOTFOUND|ECONN|timed? ?out/i.test(line) && !line.startsWith('at '),
      ) ?? (result.error ? result.error.message : `exit ${result.status ?? result.signal}`);
  say(`== Electron binary: could not be downloaded (${reason}); carrying on without it`);
  return undefined;
}

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/**
 * Debian's Chromium for the end-to-end tests (Playwright drives it; it never downloads a browser of its own).
 * Installs it with apt-get where this user can; otherwise returns why it is missing.
 */
export function ensureChromium() {
  if (existsSync(CHROMIUM_PATH)) return undefined;
  const canApt =
    process.getuid?.() === 0 && spawnSync('apt-get', ['--version'], { stdio: 'ignore' }).status === 0;
  if (!canApt) {
    return `no Chromium at ${CHROMIUM_PATH}: install Debian's chromium (apt-get install chromium) or set CHROMIUM_PATH`;
  }
  say("== Debian's chromium: apt-get install chromium");
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const update = spawnSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
  const install =
    update.status === 0
      ? spawnSync('apt-get', ['install', '-y', '-qq', 'chromium'], {
          stdio: ['ignore', 'ignore', 'inherit'],
          env,
        })
      : update;
  if (install.status !== 0 || !existsSync(CHROMIUM_PATH)) {
    return `apt-get could not install chromium (exit ${install.status ?? install.signal})`;
  }
  return undefined;
}
