/**
 * The one window, locked down (Electron's security checklist): an isolated, sandboxed renderer without Node,
 * the renderer's CSP on every response, no navigation away from our page, no new windows, no permissions.
 * The renderer reaches the main process only through the preload's named methods.
 */
import { BrowserWindow, screen, session, shell, type WebContents } from 'electron';
import { RENDERER_CSP } from '../serve/security-headers.js';
import type { ExternalLinks } from './external-links.js';
import type { RendererLocation } from './renderer-location.js';
import { loadWindowBounds, saveWindowBounds, visibleOn, type WindowBounds } from './window-bounds.js';

export interface SecureWindowOptions {
  preloadPath: string;
  renderer: RendererLocation;
  links: ExternalLinks;
  userDataDir: string;
}

/** Once per session, before any window loads. */
export function hardenSession(): void {
  session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    callback({
      responseHeaders: {
        ...details.responseHeaders,
        'Content-Security-Policy': [RENDERER_CSP],
        'X-Content-Type-Options': ['nosniff'],
      },
    });
  });
  // Camera, notifications, geolocation, clipboard…: the wizard needs none of them. Denying everything also covers
  // the kinds newer Electron lines add (45 has local-network-access, loopback-network, display-capture, …).
  session.defaultSession.setPermissionRequestHandler((_webContents, _permission, callback) =>
    callback(false),
  );
  session.defaultSession.setPermissionCheckHandler(() => false);
}

export async function createSecureWindow(options: SecureWindowOptions): Promise<BrowserWindow> {
  const saved = await loadWindowBounds(options.userDataDir);
  const placed =
    saved &&
    visibleOn(
      saved,
      screen.getAllDisplays().map((display) => display.workArea),
    );
  const window = new BrowserWindow({
    width: saved?.width ?? 1280,
    height: saved?.height ?? 860,
    ...(placed && saved ? { x: saved.x, y: saved.y } : {}),
    minWidth: 960,
    minHeight: 640,
    show: false,
    title: 'orgconnect',
    webPreferences: {
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      // Middle-click would open links in new windows behind the window-open handler's back.
      disableBlinkFeatures: 'Auxclick',
      preload: options.preloadPath, // eng-disable PRELOAD_JS_CHECK reviewed: contextBridge exposes only the contract's methods
    },
  });
  if (saved?.maximized) window.maximize();

  guardWebContents(window.webContents, options);

  rememberBounds(window, options.userDataDir);
  window.once('ready-to-show', () => window.show());
  await window.loadURL(options.renderer.url);
  return window;
}

const guarded = new WeakSet<WebContents>();

/**
 * The rules for any web contents: no navigation or redirect away from our page, no webviews, no windows (links the
 * app produced open in the user's browser instead). main.ts applies it app-wide from 'web-contents-created', so a
 * contents created any other way (a devtools-opened page, a future window) is held to the same rules.
 */
export function guardWebContents(
  contents: WebContents,
  options: { renderer: RendererLocation; links: ExternalLinks },
): void {
  if (guarded.has(contents)) return;
  guarded.add(contents);
  contents.on('will-navigate', (event, url) => {
    if (!options.renderer.isOwnPage(url)) event.preventDefault();
  });
  contents.on('will-redirect', (event, url) => {
    if (!options.renderer.isOwnPage(url)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    // Links the app produced open in the user's browser; nothing opens inside the app.
    if (options.links.isAllowed(url)) void shell.openExternal(url); // eng-disable OPEN_EXTERNAL_JS_CHECK only app-made https URLs
    return { action: 'deny' };
  });
}

function rememberBounds(window: BrowserWindow, userDataDir: string): void {
  let timer: NodeJS.Timeout | undefined;
  const save = () => {
    if (window.isDestroyed() || window.isMinimized()) return;
    const normal = window.getNormalBounds();
    const bounds: WindowBounds = { ...normal, maximized: window.isMaximized() };
    void saveWindowBounds(userDataDir, bounds).catch(() => undefined);
  };
  const later = () => {
    clearTimeout(timer);
    timer = setTimeout(save, 500);
  };
  window.on('resize', later);
  window.on('move', later);
  window.on('close', () => {
    clearTimeout(timer);
    save();
  });
}
