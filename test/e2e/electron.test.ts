// The desktop app through Playwright's Electron driver: the built main process opens the wizard window and the
// preload's API reaches the host. Skipped, visibly, where Electron's binary is not there: the electron package
// downloads it on first use (npm test tries that once, scripts/install-missing.mjs), which offline machines cannot.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { _electron } from 'playwright';
import { assertRendererBuilt } from '../support/browser.js';

const root = path.resolve(import.meta.dirname, '../..');

/**
 * The Electron binary's path, or why there is none. Read from the package's path.txt, as its index.js does,
 * without index.js's download attempt.
 */
function electronBinary(): { path: string } | { missing: string } {
  const packageDir = path.join(root, 'node_modules/electron');
  const pathFile = path.join(packageDir, 'path.txt');
  if (!existsSync(pathFile)) return { missing: `no ${path.relative(root, pathFile)}: never downloaded` };
  const binary = path.join(packageDir, 'dist', readFileSync(pathFile, 'utf8').trim());
  return existsSync(binary) ? { path: binary } : { missing: `no file at ${binary}` };
}

const binary = electronBinary();

if ('missing' in binary) {
  test.skip(`Electron binary not installed (${binary.missing}); the desktop window test needs it`);
} else {
  test('the desktop window loads the wizard and the preload API lists profiles', async () => {
    assertRendererBuilt();
    const app = await _electron.launch({
      executablePath: binary.path,
      args: [path.join(root, 'dist/main/app/main.js'), '--no-sandbox'],
      cwd: root,
    });
    try {
      const window = await app.firstWindow();
      await window.getByRole('heading', { name: 'Connect' }).waitFor({ timeout: 30_000 });
      const hasApi = await window.evaluate(() => typeof (window as { orgconnect?: unknown }).orgconnect);
      assert.equal(hasApi, 'object');
    } finally {
      await app.close();
    }
  });
}
