// Closing the window (or a crash) loses nothing: a deploy killed with SIGKILL mid-run is offered for resume when
// the app opens next, and resuming it in the page finishes it. Once runs have connected accounts, the app opens on
// the Health table (the returning user's home) and checks the connections right away. Chromium against the browser
// host on the same data directory as the killed CLI, over a moto Organization.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright';
import { startMoto, type MotoServer } from '../support/moto.js';
import { seedOrganization, type SeededOrganization } from '../support/seed-org.js';
import { writeTestAwsConfig } from '../support/aws-test-config.js';
import { streamOrgconnect } from '../support/cli-stream.js';
import { assertRendererBuilt, launchChromium, RENDERER_DIR, screenshot } from '../support/browser.js';
import { OrgConnectService } from '../../main/core/service.js';
import { startBrowserHost, type BrowserHost } from '../../main/serve/browser-host.js';

describe('a returning user', () => {
  let moto: MotoServer;
  let seeded: SeededOrganization;
  let host: BrowserHost;
  let browser: Browser;
  let page: Page;
  let runId = '';

  before(async () => {
    assertRendererBuilt();
    moto = await startMoto();
    seeded = await seedOrganization({ endpoint: moto.url, accounts: 6, depth: 1, seed: 17 });
    const files = writeTestAwsConfig(moto.url);
    const dataDir = mkdtempSync(path.join(tmpdir(), 'orgconnect-e2e-return-'));
    const env = { ...files.env, ORGCONNECT_HOME: dataDir };
    // A CLI deploy killed with SIGKILL as soon as the first member account starts.
    const killed = streamOrgconnect(
      [
        'deploy',
        '--profile',
        'emulator',
        '--external-id',
        'return-e2e-ext-0042',
        '--concurrency',
        '1',
        '--yes',
        '--json',
      ],
      env,
      (line, child) => {
        const event = JSON.parse(line) as { event: string; runId?: string; kind?: string; state?: string };
        if (event.event === 'run-started') runId = event.runId ?? '';
        if (event.event === 'account' && event.kind === 'resource' && event.state === 'deploying')
          child.kill('SIGKILL');
      },
    );
    const result = await killed.done;
    assert.equal(result.signal, 'SIGKILL', 'the deploy was killed mid-run');
    host = await startBrowserHost({
      rendererDir: RENDERER_DIR,
      service: new OrgConnectService({ env: files.env, dataDir }),
    });
    browser = await launchChromium();
    page = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
    page.setDefaultTimeout(60_000);
  });
  after(async () => {
    await browser?.close();
    await host?.close();
    await moto?.stop();
  });

  test('the killed run is offered for resume on start, and resuming it in the page connects every account', async () => {
    await page.goto(host.url);
    await page.getByText(`Run ${runId} did not finish`).waitFor();
    await screenshot(page, 'returning-resume-prompt');
    await page.getByRole('button', { name: 'Resume run' }).click();
    await page.getByTestId('run-result').waitFor();
    assert.equal(
      await page.getByTestId('run-result').textContent(),
      `Finished: ${seeded.accounts.length} deployed, 0 failed, 0 skipped. Health: not checked yet.`,
    );
    const table = page.getByRole('table', { name: 'Deploy progress' });
    for (const account of seeded.accounts)
      await table.getByRole('row').filter({ hasText: account.id }).getByText('Connected').waitFor();
    await screenshot(page, 'returning-resumed');
  });

  test('next time the app opens on Health and checks every connection', async () => {
    await page.goto(host.url);
    await page.getByRole('button', { name: 'Connect more accounts' }).waitFor();
    const health = page.getByRole('table', { name: 'Connection health' });
    for (const account of seeded.accounts)
      await health.getByRole('row').filter({ hasText: account.id }).waitFor();
    assert.equal(await page.getByText(/did not finish/).count(), 0);
    await screenshot(page, 'returning-health-home');
    await page.getByRole('button', { name: 'Connect more accounts' }).click();
    await page.getByRole('button', { name: 'Check access' }).waitFor();
  });
});
