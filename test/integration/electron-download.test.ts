// Electron's package downloads its binary on first use. Where that download fails, `npm start` and `npm test`
// carry on without it after saying so once (scripts/install-missing.mjs). The download goes to a local mirror
// (ELECTRON_MIRROR, read by Electron's downloader) that answers 404, so the failure is the same with or without a
// network, and the mirror's log shows the download was really attempted.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '../..');
const installed = existsSync(path.join(root, 'node_modules/electron/path.txt'));

test(
  'a failed Electron download is reported once and the caller carries on without the binary',
  { skip: installed ? 'Electron’s binary is already installed here' : false },
  async () => {
    const requests: string[] = [];
    const mirror = createServer((request, response) => {
      requests.push(request.url ?? '');
      response.writeHead(404).end();
    });
    await new Promise<void>((resolve) => mirror.listen(0, '127.0.0.1', resolve));
    const cache = mkdtempSync(path.join(tmpdir(), 'orgconnect-electron-cache-'));
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      ELECTRON_MIRROR: `http://127.0.0.1:${(mirror.address() as AddressInfo).port}/`,
      electron_config_cache: cache,
    };
    delete env['ELECTRON_SKIP_BINARY_DOWNLOAD'];
    try {
      const script =
        "const { ensureElectronBinary } = await import('./scripts/install-missing.mjs');" +
        'console.log(JSON.stringify({ binary: ensureElectronBinary() ?? null }));';
      const child = spawn(process.execPath, ['--input-type=module', '-e', script], { cwd: root, env });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));

      assert.equal(code, 0, stderr);
      assert.deepEqual(JSON.parse(stdout), { binary: null });
      const version = (
        await import(path.join(root, 'node_modules/electron/package.json'), { with: { type: 'json' } })
      ).default.version as string;
      assert.ok(
        requests.some((url) =>
          url.endsWith(`/v${version}/electron-v${version}-${process.platform}-${process.arch}.zip`),
        ),
        `mirror requests: ${JSON.stringify(requests)}`,
      );
      const notices = stderr
        .split('\n')
        .filter((line) => /Electron binary: could not be downloaded/.test(line));
      assert.equal(notices.length, 1, stderr);
      assert.match(notices[0] ?? '', /404/);
      assert.match(notices[0] ?? '', /carrying on without it/);
      assert.ok(!existsSync(path.join(root, 'node_modules/electron/path.txt')), 'no binary was recorded');
    } finally {
      mirror.close();
      rmSync(cache, { recursive: true, force: true });
    }
  },
);

test(
  'ELECTRON_SKIP_BINARY_DOWNLOAD=1 skips the download, saying so once',
  { skip: installed ? 'installed' : false },
  async () => {
    const requests: string[] = [];
    const mirror = createServer((request, response) => {
      requests.push(request.url ?? '');
      response.writeHead(404).end();
    });
    await new Promise<void>((resolve) => mirror.listen(0, '127.0.0.1', resolve));
    try {
      const env = {
        ...process.env,
        ELECTRON_SKIP_BINARY_DOWNLOAD: '1',
        ELECTRON_MIRROR: `http://127.0.0.1:${(mirror.address() as AddressInfo).port}/`,
      };
      const script =
        "const { ensureElectronBinary } = await import('./scripts/install-missing.mjs');" +
        'process.exitCode = ensureElectronBinary() === undefined ? 0 : 3;';
      const child = spawn(process.execPath, ['--input-type=module', '-e', script], { cwd: root, env });
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
      assert.equal(code, 0, stderr);
      assert.equal(
        stderr.match(/Electron binary: not downloaded \(ELECTRON_SKIP_BINARY_DOWNLOAD is set\)/g)?.length,
        1,
        stderr,
      );
      assert.deepEqual(requests, []);
    } finally {
      mirror.close();
    }
  },
);
