/**
 * Chromium for the end-to-end tests: Debian's /usr/bin/chromium driven by Playwright (no Playwright browser
 * download), and screenshots saved under artifacts/screenshots (git-ignored) for people to look at.
 */
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright';
import {
  startBrowserHost,
  type BrowserHost,
  type BrowserHostOptions,
} from '../../main/serve/browser-host.js';

export const CHROMIUM_PATH = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
export const SCREENSHOT_DIR = path.resolve(import.meta.dirname, '../../artifacts/screenshots');
export const RENDERER_DIR = path.resolve(import.meta.dirname, '../../dist/renderer');

export function assertRendererBuilt(): void {
  if (!existsSync(path.join(RENDERER_DIR, 'index.html'))) {
    throw new Error(`${RENDERER_DIR} is missing: run "npx vite build" first (npm test does)`);
  }
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
    ],
  });
}

export async function screenshot(page: Page, step: string): Promise<void> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOT_DIR, `${step}.png`), fullPage: true });
}

export interface AppInChromium {
  host: BrowserHost;
  /** Where the app is, token included. */
  url: string;
  browser: Browser;
  page: Page;
  close(): Promise<void>;
}

/** `orgconnect serve` in-process over the built renderer, and a 1280×800 Chromium page (30 s waits) to drive it. */
export async function openAppInChromium(
  options: Omit<BrowserHostOptions, 'rendererDir'>,
): Promise<AppInChromium> {
  assertRendererBuilt();
  const host = await startBrowserHost({ rendererDir: RENDERER_DIR, ...options });
  const browser = await launchChromium();
  const page = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
  page.setDefaultTimeout(30_000);
  return {
    host,
    url: host.url,
    browser,
    page,
    async close() {
      await browser.close();
      await host.close();
    },
  };
}
