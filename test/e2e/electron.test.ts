// The desktop app through Playwright's Electron driver: the built main process opens the wizard window and the
// preload's API reaches the host. Skipped, visibly, where the electron package has no binary (it is downloaded
// by a postinstall step that offline installs skip).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { _electron } from 'playwright';
import { assertRendererBuilt } from '../support/browser.js';

const root = path.resolve(import.meta.dirname, '../..');

/** The Electron binary's path, or why there is none. */
function electronBinary(): { path: string } | { missing: string } {
  try {
    const binary = createRequire(import.meta.url)('electron') as unknown;
    if (typeof binary === 'string' && existsSync(binary)) return { path: binary };
    return { missing: `no file at ${String(binary)}` };
  } catch (error) {
    return { missing: error instanceof Error ? (error.message.split('\n')[0] ?? '') : String(error) };
  }
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
