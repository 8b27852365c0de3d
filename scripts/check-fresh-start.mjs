#!/usr/bin/env node
// CI step (.ci/run): the README's `npm start` on a fresh copy of this checkout (its git-tracked files, no
// node_modules, no dist, an empty HOME) gets to a served UI by itself: it runs `npm ci`, builds, tries Electron's
// binary once, says once that it could not get it, and opens the browser host. The page and its script are then
// fetched from the printed URL.
//
// Electron's download goes to a local mirror that answers 404 (ELECTRON_MIRROR, which Electron's downloader reads),
// so the failure is the same with or without a network, and the mirror's log shows the download was really tried.
// ELECTRON_SKIP_BINARY_DOWNLOAD is removed from the environment. npm's package cache is shared with this machine's
// (npm_config_cache), so `npm ci` downloads only what the cache lacks. Exit 0 when all of it held, 1 otherwise.
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const TIMEOUT_MS = 15 * 60_000;

function trackedFiles() {
  const listed = spawnSync('git', ['ls-files', '-z'], { cwd: root, encoding: 'utf8' });
  if (listed.status !== 0) throw new Error(`git ls-files failed: ${listed.stderr}`);
  return listed.stdout.split('\0').filter((file) => file && existsSync(path.join(root, file)));
}

function startMirror() {
  const requests = [];
  const server = createServer((request, response) => {
    requests.push(request.url ?? '');
    response.writeHead(404, { 'content-type': 'text/plain' }).end('no Electron builds here');
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      resolve({ url: `http://127.0.0.1:${port}/`, requests, close: () => server.close() });
    });
  });
}

function npmCache() {
  const result = spawnSync('npm', ['config', 'get', 'cache'], { encoding: 'utf8' });
  return result.status === 0 ? result.stdout.trim() : undefined;
}

/** Runs `npm start` in `dir` until it prints the served URL; resolves with that URL and what it printed. */
function npmStart(dir, env) {
  const child = spawn('npm', ['start'], { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let stdout = '';
  let stderr = '';
  const exited = new Promise((resolve) => child.on('exit', resolve));
  /** Ends `npm start` and everything it started (its own process group); SIGKILL after 10 s. */
  const stop = async () => {
    const signal = (name) => {
      try {
        process.kill(-child.pid, name);
      } catch {
        // already gone
      }
    };
    signal('SIGTERM');
    const killer = setTimeout(() => signal('SIGKILL'), 10_000);
    await exited;
    clearTimeout(killer);
  };
  const served = new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`no served URL within ${TIMEOUT_MS / 60_000} min`)),
      TIMEOUT_MS,
    );
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
      process.stdout.write(chunk.toString().replace(/token=[^\s&]+/g, 'token=…'));
      const match = /orgconnect is running at (http:\/\/127\.0\.0\.1:\d+\/\S*)/.exec(stdout);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
      process.stderr.write(chunk);
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`npm start exited (${code}) before serving`));
    });
  });
  return { served, output: () => ({ stdout, stderr }), stop };
}

async function main() {
  const work = mkdtempSync(path.join(tmpdir(), 'orgconnect-fresh-start-'));
  const repo = path.join(work, 'repo');
  const home = path.join(work, 'home');
  mkdirSync(home);
  const copying = Date.now();
  for (const file of trackedFiles())
    cpSync(path.join(root, file), path.join(repo, file), { recursive: true });
  console.log(`fresh copy of ${root} in ${repo} (${Math.round((Date.now() - copying) / 1000)} s)`);
  const mirror = await startMirror();
  const env = {
    ...process.env,
    HOME: home,
    XDG_CONFIG_HOME: path.join(home, '.config'),
    XDG_DATA_HOME: path.join(home, '.local/share'),
    ELECTRON_MIRROR: mirror.url,
    electron_config_cache: path.join(home, '.cache/electron'),
    // `serve --open` would start a browser; there is no person to look at it here.
    BROWSER: 'true',
  };
  for (const name of [
    'ELECTRON_SKIP_BINARY_DOWNLOAD',
    'DISPLAY',
    'WAYLAND_DISPLAY',
    'npm_config_electron_mirror',
  ])
    delete env[name];
  const cache = npmCache();
  if (cache) env.npm_config_cache = cache;

  const started = Date.now();
  const run = npmStart(repo, env);
  const problems = [];
  try {
    const url = await run.served;
    const seconds = Math.round((Date.now() - started) / 1000);
    const page = await fetch(url);
    const html = await page.text();
    if (page.status !== 200 || !/<div id="root">/.test(html))
      problems.push(`the page answered ${page.status}`);
    const script = /<script[^>]+src="([^"]+)"/.exec(html)?.[1];
    if (!script) problems.push('the page has no script');
    else {
      // The page's own requests carry the token in the cookie its answer set.
      const cookie = page.headers.get('set-cookie')?.split(';')[0] ?? '';
      const code = await fetch(new URL(script, url), { headers: { cookie } });
      if (code.status !== 200) problems.push(`its script ${script} answered ${code.status}`);
    }
    const { stderr } = run.output();
    const notices = stderr
      .split('\n')
      .filter((line) => line.includes('Electron binary: could not be downloaded'));
    if (notices.length !== 1)
      problems.push(`the Electron download failure was reported ${notices.length} times`);
    if (!/== npm ci \(node_modules is not installed\)/.test(stderr))
      problems.push('npm start did not run npm ci');
    if (
      !mirror.requests.some(
        (request) => /electron-v[\d.]+-linux-/.test(request) || request.includes('electron'),
      )
    )
      problems.push('Electron download was never tried');
    if (/NodeVersionSupportWarning|no longer support|end-of-life/i.test(stderr))
      problems.push('the AWS SDK warned about the Node version');
    console.log(
      `\nfresh npm start: served in ${seconds} s; page ${page.status}; Electron mirror got ${mirror.requests.length} request(s)`,
    );
  } catch (error) {
    problems.push(error instanceof Error ? error.message : String(error));
  } finally {
    await run.stop();
    mirror.close();
    const removing = Date.now();
    rmSync(work, { recursive: true, force: true, maxRetries: 3 });
    console.log(`(stopped and removed the copy in ${Math.round((Date.now() - removing) / 1000)} s)`);
  }
  if (problems.length > 0) {
    console.error(`fresh npm start check failed:\n  ${problems.join('\n  ')}`);
    process.exit(1);
  }
  console.log('fresh npm start check passed');
}

await main();
