// The desktop host's security settings, checked without an Electron binary: the literal webPreferences in the
// window source, the preload's shape (only `electron` at run time, one named method per channel, never
// ipcRenderer), and the pure pieces the main process relies on (sender check, link allow-set, window bounds).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { IPC_EVENT_CHANNEL, ipcChannel } from '../../preload/contract.js';
import { rendererLocation, senderIsOwnPage } from '../../main/app/renderer-location.js';
import { allowLoginPromptLinks, createExternalLinks } from '../../main/app/external-links.js';
import { boundsFile, loadWindowBounds, saveWindowBounds, visibleOn } from '../../main/app/window-bounds.js';

const root = path.resolve(import.meta.dirname, '../..');
const source = (file: string) => readFileSync(path.join(root, file), 'utf8');

describe('Electron window and preload (source checks)', () => {
  test('the window is created with the literal secure webPreferences', () => {
    const text = source('main/app/secure-window.ts');
    const match = /webPreferences:\s*\{([^}]*)\}/.exec(text);
    assert.ok(match, 'no literal webPreferences object');
    const body = (match[1] ?? '')
      .replace(/\/\/.*$/gm, '')
      .replace(/\s+/g, ' ')
      .trim();
    assert.equal(
      body,
      "contextIsolation: true, sandbox: true, nodeIntegration: false, webSecurity: true, disableBlinkFeatures: 'Auxclick', preload: options.preloadPath,",
    );
    // Exactly one window definition, and nothing in main/app relaxes these settings elsewhere.
    assert.equal(text.match(/new BrowserWindow\(/g)?.length, 1);
    for (const file of ['main.ts', 'secure-window.ts', 'ipc-bridge.ts', 'app-menu.ts', 'save-dialog.ts']) {
      const code = source(`main/app/${file}`);
      assert.doesNotMatch(
        code,
        /nodeIntegration:\s*true|contextIsolation:\s*false|sandbox:\s*false|webSecurity:\s*false/,
        file,
      );
      assert.doesNotMatch(code, /allowRunningInsecureContent|enableRemoteModule|experimentalFeatures/, file);
    }
  });

  test('navigation, new windows and permissions are denied; the CSP is set on responses', () => {
    const text = source('main/app/secure-window.ts');
    assert.match(text, /on\('will-navigate'[\s\S]*?event\.preventDefault\(\)/);
    assert.match(text, /setWindowOpenHandler\([\s\S]*?return \{ action: 'deny' \}/);
    assert.match(
      text,
      /setPermissionRequestHandler\(\s*\(_webContents, _permission, callback\) =>\s*callback\(false\),?\s*\)/,
    );
    assert.match(text, /onHeadersReceived\([\s\S]*?'Content-Security-Policy': \[RENDERER_CSP\]/);
    assert.match(source('main/app/main.ts'), /requestSingleInstanceLock\(\)/);
    assert.match(
      source('main/app/ipc-bridge.ts'),
      /if \(!senderIsOwnPage\(event, renderer\)\)[\s\S]*?return dispatch\(channel, payload\)/,
    );
  });

  test('the preload requires only electron, builds its methods from the channel list and never exposes ipcRenderer', () => {
    const text = source('preload/preload.cts');
    const imports = [...text.matchAll(/^import (type )?[^;]*from '([^']+)';/gm)].map((m) => ({
      typeOnly: Boolean(m[1]),
      from: m[2],
    }));
    assert.deepEqual(
      imports.filter((i) => !i.typeOnly).map((i) => i.from),
      ['electron'],
      'a sandboxed preload can require nothing but electron',
    );
    assert.doesNotMatch(text, /require\(/);
    assert.equal(text.match(/exposeInMainWorld\(/g)?.length, 1);
    assert.match(text, /exposeInMainWorld\('orgconnect', api\)/);
    // The exposed object never hands out ipcRenderer (or its methods) as a value.
    const code = text.replace(/^import [^;]*;$/gm, '');
    assert.doesNotMatch(code, /:\s*ipcRenderer\b|ipcRenderer\s*[,}]|\.\.\.ipcRenderer/);
    // One method per channel, built from the list main answers: test/unit/api-surface.test.ts runs it.
    assert.match(text, /\.\.\.methods\(ipcRenderer\.sendSync\(CHANNEL_LIST\)\)/);
    // Its literal channel names agree with the contract.
    assert.match(
      text,
      new RegExp(`const PREFIX = '${ipcChannel('profiles.list').replace('profiles.list', '')}';`),
    );
    assert.match(text, new RegExp(`const EVENT_CHANNEL = '${IPC_EVENT_CHANNEL}';`));
  });
});

describe('Electron main helpers', () => {
  const location = rendererLocation({ packageRoot: '/opt/orgconnect', isPackaged: true });
  const page = pathToFileURL('/opt/orgconnect/dist/renderer/index.html').href;

  test('only our renderer page counts as our page', () => {
    assert.equal(location.url, page);
    assert.ok(location.isOwnPage(page));
    assert.ok(location.isOwnPage(`${page}#/review`));
    assert.ok(!location.isOwnPage(pathToFileURL('/opt/orgconnect/dist/renderer/other.html').href));
    assert.ok(!location.isOwnPage('file:///etc/passwd'));
    assert.ok(!location.isOwnPage('https://evil.example/dist/renderer/index.html'));
    assert.ok(!location.isOwnPage('not a url'));
    // The dev server is honoured only unpackaged and only on loopback.
    const dev = rendererLocation({
      packageRoot: '/x',
      isPackaged: false,
      devServerUrl: 'http://127.0.0.1:5173/',
    });
    assert.ok(dev.isOwnPage('http://127.0.0.1:5173/index.html'));
    assert.ok(!dev.isOwnPage('http://127.0.0.1:5174/'));
    assert.equal(
      rendererLocation({
        packageRoot: '/x',
        isPackaged: true,
        devServerUrl: 'http://127.0.0.1:5173/',
      }).url.startsWith('file:'),
      true,
    );
    assert.throws(() =>
      rendererLocation({ packageRoot: '/x', isPackaged: false, devServerUrl: 'http://evil.example/' }),
    );
  });

  test('IPC is answered only for our page in the main frame', () => {
    const mainFrame = { url: page };
    assert.ok(senderIsOwnPage({ senderFrame: mainFrame, sender: { mainFrame } }, location));
    const iframe = { url: page };
    assert.ok(!senderIsOwnPage({ senderFrame: iframe, sender: { mainFrame } }, location), 'an iframe');
    const elsewhere = { url: 'https://evil.example/' };
    assert.ok(!senderIsOwnPage({ senderFrame: elsewhere, sender: { mainFrame: elsewhere } }, location));
    assert.ok(
      !senderIsOwnPage({ senderFrame: null, sender: { mainFrame } }, location),
      'a frame already gone',
    );
  });

  test('openExternal allow-set: only https URLs the app registered', () => {
    const links = createExternalLinks();
    const signIn = 'https://d-1234567890.awsapps.com/start/#/device?user_code=ABCD-EFGH';
    assert.ok(!links.isAllowed(signIn));
    assert.ok(links.allow(signIn));
    assert.ok(links.isAllowed(signIn));
    assert.ok(!links.isAllowed('https://d-1234567890.awsapps.com/start/other'));
    for (const bad of [
      'http://example.com/',
      'file:///etc/passwd',
      'smb://host/share',
      'javascript:alert(1)',
      'https://user:pw@example.com/',
    ]) {
      assert.equal(links.allow(bad), false, bad);
      assert.equal(links.isAllowed(bad), false, bad);
    }
  });

  test('a sign-in prompt registers both its links (the device-code page the Connect step shows), https only', () => {
    const links = createExternalLinks();
    const verificationUri = 'https://device.sso.eu-west-1.amazonaws.com/';
    const url = `${verificationUri}?user_code=ABCD-EFGH`;
    allowLoginPromptLinks(links, { url, verificationUri });
    assert.ok(links.isAllowed(url));
    assert.ok(links.isAllowed(verificationUri));
    const plain = createExternalLinks();
    allowLoginPromptLinks(plain, {
      url: 'http://device.example/?c=1',
      verificationUri: 'http://device.example/',
    });
    assert.ok(!plain.isAllowed('http://device.example/'));
    // main.ts registers the prompt's links, and guards every web contents app-wide.
    const main = source('main/app/main.ts');
    assert.match(main, /login-prompt'\) allowLoginPromptLinks\(links, event\)/);
    assert.match(main, /app\.on\('web-contents-created', \(_event, contents\) => guardWebContents\(contents/);
  });

  test('window bounds round-trip; a broken file or an off-screen position is ignored', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'oc-bounds-'));
    assert.equal(await loadWindowBounds(dir), undefined);
    const bounds = { x: 100, y: 80, width: 1300, height: 900, maximized: false };
    await saveWindowBounds(dir, bounds);
    assert.deepEqual(await loadWindowBounds(dir), bounds);
    writeFileSync(boundsFile(dir), '{"x": 1, "y": 2, "width": 5, "height": 5}');
    assert.equal(await loadWindowBounds(dir), undefined);
    writeFileSync(boundsFile(dir), 'not json');
    assert.equal(await loadWindowBounds(dir), undefined);
    const display = [{ x: 0, y: 0, width: 1920, height: 1080 }];
    assert.ok(visibleOn(bounds, display));
    assert.ok(!visibleOn({ ...bounds, x: 2500 }, display), 'a monitor that was unplugged');
  });
});
