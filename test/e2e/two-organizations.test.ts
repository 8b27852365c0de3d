// Two management profiles, two Organizations (two moto servers), onboarded
// side by side in one window: "Add another management profile" opens a second tab; each tab keeps its own
// selection, plan and run; deploying in one does not touch the other. Checked against what each moto holds.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright';
import { startMoto, type MotoServer } from '../support/moto.js';
import { seedOrganization, stackCountIn, type SeededOrganization } from '../support/seed-org.js';
import { writeTestAwsConfig } from '../support/aws-test-config.js';
import { checkAccess, openAppInChromium, screenshot, startDeploy } from '../support/browser.js';

const EXTERNAL_ID = 'cz-e2e-two-orgs-31c7';

describe('two Organizations side by side in Chromium', () => {
  let first: { moto: MotoServer; seeded: SeededOrganization };
  let second: { moto: MotoServer; seeded: SeededOrganization };
  let page: Page;
  let appUrl: string;
  let closeApp: (() => Promise<void>) | undefined;

  before(async () => {
    const start = async (seed: number) => {
      const moto = await startMoto();
      const seeded = await seedOrganization({
        endpoint: moto.url,
        accounts: 3,
        depth: 1,
        branching: 1,
        seed,
      });
      return { moto, seeded };
    };
    // Both management accounts are moto's default account id (moto acts in an assumed role's account only for
    // its default account); the Organizations, their ids and their member accounts differ.
    [first, second] = await Promise.all([start(21), start(22)]);
    assert.notEqual(first.seeded.organizationId, second.seeded.organizationId);
    const files = writeTestAwsConfig(
      first.moto.url,
      [
        '[profile second-payer]',
        'region = us-east-1',
        `endpoint_url = ${second.moto.url}`,
        'aws_access_key_id = testing',
        'aws_secret_access_key = testing',
        '',
      ].join('\n'),
    );
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
    await Promise.all([first?.moto.stop(), second?.moto.stop()]);
  });

  const stacksIn = async (moto: MotoServer, seeded: SeededOrganization): Promise<number> => {
    let total = 0;
    for (const account of seeded.accounts) total += await stackCountIn(moto.url, account);
    return total;
  };

  /** Settings → Accounts (all) → Review → "Start deploy", in the visible tab. */
  const planAndDeploy = async (accounts: number) => {
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByLabel('External ID').fill(EXTERNAL_ID);
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByText(`(${accounts}/${accounts})`).waitFor();
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByRole('table', { name: 'Plan' }).waitFor();
    assert.equal(await page.getByTestId('count-create').textContent(), String(accounts));
    await page.getByRole('button', { name: 'Next' }).click();
    await startDeploy(page);
  };
  const runResult = async () => {
    await page.getByTestId('run-result').waitFor({ timeout: 60_000 });
    return page.getByTestId('run-result').textContent();
  };

  test('each Organization gets its own tab, plan and run; each moto holds only its own stacks', async () => {
    const a = first.seeded;
    const b = second.seeded;
    await page.goto(appUrl);
    await checkAccess(page, /emulator/, a);
    await page.getByRole('button', { name: 'Add another management profile' }).click();
    const tabs = page.getByRole('toolbar', { name: 'Organization' });
    await tabs.getByText(`emulator · ${a.organizationId}`).waitFor();
    await checkAccess(page, /second-payer/, b);
    await tabs.getByText(`second-payer · ${b.organizationId}`).waitFor();
    await screenshot(page, 'two-orgs-connect');
    // The same Organization added again: its tab is shown, no second tab for it.
    await page.getByRole('button', { name: 'Add another management profile' }).click();
    await checkAccess(page, /emulator/, a);
    await page.getByText('This Organization is already open').waitFor();
    assert.equal(await tabs.getByRole('button').count(), 2);
    assert.equal(
      await tabs.getByRole('button', { name: `emulator · ${a.organizationId}` }).getAttribute('aria-pressed'),
      'true',
    );

    // The first Organization's own run, from its tab.
    await tabs.getByRole('button', { name: `emulator · ${a.organizationId}` }).click();
    await page.getByText(`${a.accounts.length} (0 not active)`).waitFor();
    assert.equal(await page.getByText(b.organizationId).count(), 1, 'only the tab label names the other one');
    await planAndDeploy(a.accounts.length);
    assert.equal(
      await runResult(),
      `Finished: ${a.accounts.length} deployed, 0 failed, 0 skipped. Health: not checked yet.`,
    );
    assert.equal(await stacksIn(first.moto, a), a.accounts.length);
    assert.equal(await stacksIn(second.moto, b), 0, 'the other Organization was not touched');

    // The second Organization's run starts, and goes on in the host while the first tab is shown.
    await tabs.getByRole('button', { name: `second-payer · ${b.organizationId}` }).click();
    await planAndDeploy(b.accounts.length);
    await tabs.getByRole('button', { name: `emulator · ${a.organizationId}` }).click();
    await page.getByText(`Finished: ${a.accounts.length} deployed`).waitFor();
    for (let waited = 0; (await stacksIn(second.moto, b)) < b.accounts.length; waited += 250) {
      assert.ok(waited < 60_000, 'the background run did not finish');
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    await screenshot(page, 'two-orgs-deployed');
    assert.equal(await stacksIn(first.moto, a), a.accounts.length);

    // The second tab followed its run while hidden: finished, and a member's stack events were kept.
    await tabs.getByRole('button', { name: `second-payer · ${b.organizationId}` }).click();
    assert.equal(
      await runResult(),
      `Finished: ${b.accounts.length} deployed, 0 failed, 0 skipped. Health: not checked yet.`,
    );
    const member = b.accounts.find((account) => !account.isManagement);
    assert.ok(member);
    await page.getByLabel('Account id for stack events').fill(member.id);
    await page.getByRole('button', { name: 'Show stack events' }).click();
    const events = page.getByRole('list', { name: 'Stack events, newest first' });
    await events.getByText('create: creating the stack').waitFor();
    await events.getByText('connected', { exact: true }).waitFor();
    await screenshot(page, 'two-orgs-background-run');
  });
});
