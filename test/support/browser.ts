/**
 * Chromium for the end-to-end tests: Debian's /usr/bin/chromium driven by Playwright (no Playwright browser
 * download), and screenshots saved under artifacts/screenshots (git-ignored) for people to look at.
 */
import { existsSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { AxeBuilder } from '@axe-core/playwright';
import { chromium, type Browser, type Page } from 'playwright';
import { startBrowserHost, type BrowserHost } from '../../main/serve/browser-host.js';
import { OrgConnectService, type HostServices } from '../../main/core/service.js';
import type { MfaPrompts } from '../../main/host/mfa-prompts.js';

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

/**
 * Saves the step's screenshot and checks what it shows with axe-core: a serious or critical WCAG 2.1 A/AA finding
 * fails the test here, naming the rule and the elements. `accessibility: false` only for pages that are not the
 * app (the 403 answer to a request without the token).
 */
export async function screenshot(
  page: Page,
  step: string,
  options: { accessibility?: boolean } = {},
): Promise<void> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOT_DIR, `${step}.png`), fullPage: true });
  if (options.accessibility === false) return;
  const problems = await accessibilityProblems(page);
  if (problems.length > 0) {
    throw new Error(`accessibility problems on "${step}": ${JSON.stringify(problems, null, 1)}`);
  }
}

export interface AppInChromium {
  host: BrowserHost;
  /** Where the app is, token included. */
  url: string;
  browser: Browser;
  page: Page;
  close(): Promise<void>;
}

/**
 * `orgconnect serve` in-process over the built renderer, backed by a service over the test AWS config `env` and a
 * fresh data directory, and a 1280×800 Chromium page (30 s waits) to drive it.
 */
export async function openAppInChromium(options: {
  env: NodeJS.ProcessEnv;
  /** What the host provides the core (e.g. the MFA code provider behind `mfa`). */
  hostServices?: HostServices;
  mfa?: MfaPrompts;
}): Promise<AppInChromium> {
  const service = new OrgConnectService({
    env: options.env,
    dataDir: mkdtempSync(path.join(tmpdir(), 'orgconnect-e2e-')),
    ...(options.hostServices ? { host: options.hostServices } : {}),
  });
  assertRendererBuilt();
  const host = await startBrowserHost({
    rendererDir: RENDERER_DIR,
    service,
    ...(options.mfa ? { mfa: options.mfa } : {}),
  });
  const browser = await launchChromium();
  // Reduced motion: Cloudscape then shows things at once, so a check never sees an element mid-fade.
  const context = await browser.newContext({
    viewport: { width: 1280, height: 800 },
    reducedMotion: 'reduce',
  });
  const page = await context.newPage();
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

export interface AccessibilityProblem {
  rule: string;
  impact: string;
  help: string;
  targets: string[];
}

/**
 * axe-core's WCAG 2.1 A/AA rules over what the page shows now; the serious and critical findings. The wizard must
 * be usable with a keyboard and a screen reader, so a test asserts this list is empty on every step.
 */
export async function accessibilityProblems(page: Page): Promise<AccessibilityProblem[]> {
  // Judge the page at rest: an element fading in is mid-way between colours, which axe would report as contrast.
  // Finite animations only (a spinner turns forever), and never more than 2 s.
  // Two frames first: a transition that a class change starts on the next frame is running by then.
  await page.evaluate(`new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)))
    .then(() => Promise.race([
      Promise.all(
        document
          .getAnimations()
          .filter((a) => a.effect && a.effect.getComputedTiming().endTime !== Infinity)
          .map((a) => a.finished.catch(() => undefined)),
      ),
      new Promise((resolve) => setTimeout(resolve, 2000)),
    ]))
    .then(() => undefined)`);
  const results = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
    .analyze();
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => ({
      rule: v.id,
      impact: v.impact ?? '',
      help: v.help,
      targets: v.nodes.slice(0, 5).map((n) => n.target.join(' ')),
    }));
}

/**
 * Waits until Connect has discovered the whole Organization (its account count shows), not just the identity:
 * the Organization id appears as soon as the caller is known, before discovery ends and before "Next" may go on.
 */
export async function waitForDiscovery(page: Page, accounts: number): Promise<void> {
  await page.getByText(new RegExp(`^${accounts} \\(\\d+ not active\\)`)).waitFor({ timeout: 60_000 });
  // And every read that follows discovery (the Cost and Usage Report) has answered: the button is usable again.
  await page
    .locator('button:has-text("Check access"):not([aria-disabled="true"])')
    .waitFor({ timeout: 60_000 });
}

/** Connect: choose the profile, "Check access", and wait until the Organization is discovered. */
export async function checkAccess(
  page: Page,
  profile: RegExp,
  organization: { organizationId: string; accounts: readonly unknown[] },
): Promise<void> {
  await page.getByRole('button', { name: /AWS profile/ }).click();
  await page.getByRole('option', { name: profile }).click();
  await page.getByRole('button', { name: 'Check access' }).click();
  await page.getByText(organization.organizationId).first().waitFor();
  await waitForDiscovery(page, organization.accounts.length);
}

/** Deploy: "Start deploy", then confirm the recap (nothing is written to AWS before that). */
export async function startDeploy(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Start deploy' }).click();
  const confirm = page.getByRole('dialog', { name: 'Deploy to AWS?' });
  await confirm.getByRole('button', { name: /^Deploy \d+ stacks?$/ }).click();
}
