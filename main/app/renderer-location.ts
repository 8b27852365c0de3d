/**
 * Where the window's page comes from, and the one test every IPC call passes: was it sent by that page?
 * Packaged (and by default): dist/renderer/index.html as a file:// URL. In development, ORGCONNECT_DEV_SERVER_URL
 * (Vite's dev server on loopback) when the app is not packaged.
 */
import path from 'node:path';
import { pathToFileURL } from 'node:url';

export interface RendererLocation {
  /** What the window loads. */
  url: string;
  /** True when `frameUrl` is our page (any hash or query), never another file or origin. */
  isOwnPage(frameUrl: string): boolean;
}

export function rendererLocation(options: {
  packageRoot: string;
  isPackaged: boolean;
  devServerUrl?: string | undefined;
}): RendererLocation {
  if (!options.isPackaged && options.devServerUrl) {
    const dev = new URL(options.devServerUrl);
    if (!['127.0.0.1', 'localhost'].includes(dev.hostname) || dev.protocol !== 'http:') {
      throw new Error('ORGCONNECT_DEV_SERVER_URL must be http://127.0.0.1:<port> or http://localhost:<port>');
    }
    return { url: dev.href, isOwnPage: (frameUrl) => sameOrigin(frameUrl, dev.origin) };
  }
  const page = pathToFileURL(path.join(options.packageRoot, 'dist', 'renderer', 'index.html'));
  return {
    url: page.href,
    isOwnPage: (frameUrl) => {
      try {
        const url = new URL(frameUrl);
        return url.protocol === 'file:' && url.pathname === page.pathname;
      } catch {
        return false;
      }
    },
  };
}

function sameOrigin(frameUrl: string, origin: string): boolean {
  try {
    return new URL(frameUrl).origin === origin;
  } catch {
    return false;
  }
}

/** Structurally Electron's IpcMainInvokeEvent, so the check is testable without an Electron binary. */
export interface IpcSender {
  senderFrame: { url: string } | null;
  sender: { mainFrame: unknown };
}

/** Only our own page in the window's main frame may call: not an iframe, not a page navigated elsewhere. */
export function senderIsOwnPage(event: IpcSender, renderer: RendererLocation): boolean {
  const frame = event.senderFrame;
  if (frame === null || frame !== event.sender.mainFrame) return false;
  return renderer.isOwnPage(frame.url);
}
