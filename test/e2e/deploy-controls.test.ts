// The Deploy step's run controls in Chromium against `orgconnect serve` and moto, with CreateStack slowed down by
// the fault proxy so a run lasts long enough to steer: Pause stops new accounts (the in-flight one finishes and
// nothing moves while paused), Resume goes on, Cancel ends the run with the rest recorded cancelled. What the page
// says is then checked against what moto holds: exactly one stack per connected account, none for the others.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright';
import { startMoto, type MotoServer } from '../support/moto.js';
import { startFaultProxy, type FaultProxy } from '../support/fault-proxy.js';
import {
  profileWithRecordedCur,
  startCurTestServer,
  type CurTestServer,
} from '../support/cur-test-server.js';
import { stackCountIn, seedOrganization, type SeededOrganization } from '../support/seed-org.js';
import { writeTestAwsConfig } from '../support/aws-test-config.js';
import { checkAccess, openAppInChromium, screenshot, startDeploy } from '../support/browser.js';

const EXTERNAL_ID = 'cz-e2e-controls-9b1d';

describe('Deploy controls in Chromium: pause, resume, cancel', () => {
  let moto: MotoServer;
  let proxy: FaultProxy;
  let cur: CurTestServer;
  let seeded: SeededOrganization;
  let page: Page;
  let appUrl: string;
  let closeApp: (() => Promise<void>) | undefined;

  before(async () => {
    moto = await startMoto();
    seeded = await seedOrganization({ endpoint: moto.url, accounts: 10, depth: 1, branching: 2, seed: 11 });
    // Each account takes well over a second (CreateStack 700 ms plus the first status poll), one at a time.
    proxy = await startFaultProxy({ target: moto.url, seed: 3, latencyMs: { CreateStack: 700 } });
    // The CUR APIs (which moto lacks) answer from recordings: Connect finds a usable report and its bucket.
    cur = await startCurTestServer();
    const files = writeTestAwsConfig(proxy.url, profileWithRecordedCur('with-cur', proxy.url, cur.url));
    ({
      page,
      close: closeApp,
      url: appUrl,
    } = await openAppInChromium({
      env: files.env,
    }));
  });
  after(async () => {
    await closeApp?.();
    await proxy?.stop();
    await cur?.stop();
    await moto?.stop();
  });

  /** The "N connected · N deploying · …" line under the progress bar, as numbers. */
  const progress = async () => {
    const text = (await page.getByText(/\d+ connected · \d+ deploying/).textContent()) ?? '';
    const number = (label: string) => Number(new RegExp(`(\\d+) ${label}`).exec(text)?.[1] ?? NaN);
    return {
      connected: number('connected'),
      deploying: number('deploying'),
      pending: number('pending'),
      paused: text.includes('paused'),
    };
  };

  test('pause holds the run still, resume goes on, cancel stops it; moto holds exactly the connected stacks', async () => {
    const accounts = seeded.accounts.length;
    await page.goto(appUrl);
    await checkAccess(page, /with-cur/, seeded);
    // The recorded hourly report is usable (its deliveries are old: a warning) and pre-fills the bucket.
    await page.getByText(/The Billing role will read bucket acme-billing-reports/).waitFor();
    await screenshot(page, 'controls-connect-cur');
    await page.getByRole('button', { name: 'Next' }).click();
    assert.equal(await page.getByLabel('Cost and Usage Report bucket').inputValue(), 'acme-billing-reports');
    await page.getByLabel('External ID').fill(EXTERNAL_ID);
    await page.getByLabel('Concurrency').fill('1');
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByRole('button', { name: 'Clear selection' }).click();
    await page.getByText(`(0/${accounts})`).waitFor();
    await page.getByRole('checkbox', { name: 'Select all accounts' }).click();
    await page.getByText(`(${accounts}/${accounts})`).waitFor();
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByRole('table', { name: 'Plan' }).waitFor();
    assert.equal(await page.getByTestId('count-create').textContent(), String(accounts));
    assert.equal(await page.getByTestId('cur-bucket').textContent(), 'acme-billing-reports');
    await page.getByRole('button', { name: 'Next' }).click();

    await startDeploy(page);
    await page.getByText(/[1-9]\d* connected · \d+ deploying/).waitFor({ timeout: 60_000 });
    await page.getByRole('button', { name: 'Pause' }).click();
    // Paused once the in-flight account has finished: nothing deploying, the Resume button offered.
    await page.getByRole('button', { name: 'Resume' }).waitFor();
    await page.getByText(/ 0 deploying .* · paused/).waitFor({ timeout: 60_000 });
    const paused = await progress();
    assert.ok(paused.pending > 0, `the run was paused with accounts left (${JSON.stringify(paused)})`);
    await screenshot(page, 'controls-paused');
    // Nothing moves while paused (three poll intervals of the engine and more).
    await new Promise((resolve) => setTimeout(resolve, 3500));
    assert.deepEqual(await progress(), paused);

    await page.getByRole('button', { name: 'Resume' }).click();
    await page.getByText(new RegExp(`^${paused.connected + 1} connected · `)).waitFor({ timeout: 60_000 });
    await page.getByRole('button', { name: 'Cancel' }).click();
    await page.getByTestId('run-result').waitFor({ timeout: 60_000 });
    const result = (await page.getByTestId('run-result').textContent()) ?? '';
    const connected = Number(
      /^Cancelled: (\d+) deployed, 0 failed, 0 skipped, \d+ cancelled\. Health: not checked yet\.$/.exec(
        result,
      )?.[1] ?? NaN,
    );
    assert.ok(connected > paused.connected && connected < accounts, result);
    await screenshot(page, 'controls-cancelled');

    // The page and moto agree: every connected row has its one stack, every cancelled row has none.
    const deployTable = page.getByRole('table', { name: 'Deploy progress' });
    let stacks = 0;
    let cancelledRows = 0;
    for (const account of seeded.accounts) {
      const row = deployTable.getByRole('row').filter({ hasText: account.id });
      const inMoto = await stackCountIn(moto.url, account);
      stacks += inMoto;
      if ((await row.getByText('Connected', { exact: true }).count()) === 1) {
        assert.equal(inMoto, 1, `${account.id} shows connected`);
      } else {
        await row.getByText('Cancelled', { exact: true }).waitFor();
        cancelledRows += 1;
        assert.equal(inMoto, 0, `${account.id} shows cancelled but has a stack`);
      }
    }
    assert.equal(stacks, connected);
    assert.equal(cancelledRows, accounts - connected);
  });
});
