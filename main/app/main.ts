/**
 * The desktop app's main process: one hardened window over the same core and the same contract as
 * `orgconnect serve`. Everything security-relevant lives in secure-window.ts and ipc-bridge.ts.
 */
import path from 'node:path';
import { app, dialog, shell, type BrowserWindow } from 'electron';
import { packageRoot } from '../core/package-root.js';
import { OrgConnectService } from '../core/service.js';
import { createDispatcher } from '../host/dispatch.js';
import { createMfaPrompts } from '../host/mfa-prompts.js';
import { createServiceHandlers } from '../host/service-handlers.js';
import type { HostEvent } from '../../preload/contract.js';
import { installAppMenu } from './app-menu.js';
import { allowLoginPromptLinks, createExternalLinks } from './external-links.js';
import { notifyUnhealthy } from './health-notifications.js';
import { registerIpc, sendEvent } from './ipc-bridge.js';
import { rendererLocation } from './renderer-location.js';
import { createReportSaver } from './save-dialog.js';
import { createSecureWindow, guardWebContents, hardenSession } from './secure-window.js';

const PRELOAD_PATH = path.join(packageRoot(), 'dist', 'preload', 'preload.cjs');

// A second launch focuses the first window: two processes journaling the same runs would race.
if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  void main();
}

async function main(): Promise<void> {
  // Set once the window exists; the closures below may run before that.
  const shown: { window?: BrowserWindow } = {};
  app.on('second-instance', () => {
    const window = shown.window;
    if (!window || window.isDestroyed()) return;
    if (window.isMinimized()) window.restore();
    window.focus();
  });

  const renderer = rendererLocation({
    packageRoot: packageRoot(),
    isPackaged: app.isPackaged,
    devServerUrl: process.env['ORGCONNECT_DEV_SERVER_URL'],
  });
  const links = createExternalLinks();
  // Every web contents, however it came to exist, may not navigate away, open windows or attach webviews.
  app.on('web-contents-created', (_event, contents) => guardWebContents(contents, { renderer, links }));

  await app.whenReady();
  hardenSession();
  installAppMenu({ isPackaged: app.isPackaged, appName: app.getName() });

  const userDataDir = app.getPath('userData');
  const mfa = createMfaPrompts();
  const service = new OrgConnectService({
    dataDir: path.join(userDataDir, 'data'),
    host: {
      openUrl: async (url) => {
        if (links.allow(url)) await shell.openExternal(url); // eng-disable OPEN_EXTERNAL_JS_CHECK allow-listed https only
      },
      mfaCodeProvider: (mfaSerial) => mfa.ask(mfaSerial),
    },
  });
  const emit = (event: HostEvent) => {
    if (event.type === 'login-prompt') allowLoginPromptLinks(links, event);
    if (event.type === 'health-alert') notifyUnhealthy(event, shown.window);
    if (shown.window) sendEvent(shown.window.webContents, renderer, event);
  };
  const saveReport = createReportSaver({
    showSaveDialog: (options) =>
      shown.window ? dialog.showSaveDialog(shown.window, options) : dialog.showSaveDialog(options),
    defaultDirectory: app.getPath('downloads'),
  });
  const handlers = createServiceHandlers(service, emit, { mfa, saveReport });
  const unregister = registerIpc(createDispatcher(handlers.handlers), renderer);

  shown.window = await createSecureWindow({ preloadPath: PRELOAD_PATH, renderer, links, userDataDir });

  let quitting = false;
  app.on('before-quit', (event) => {
    if (quitting) return;
    // Runs in flight stop cleanly (accounts in flight become unknown, reconciled on resume) before exit.
    event.preventDefault();
    quitting = true;
    unregister();
    void handlers.close().finally(() => app.quit());
  });
  app.on('window-all-closed', () => app.quit());
}
