// Issue 12 in the app, in Chromium against the browser host and moto: after a CLI deploy that registered every
// connection with the sandbox platform, Health → Disconnect… → two members → the plan shows their two deletes →
// typing "disconnect" enables the confirm → the result says what happened; then exactly those two stacks are gone
// (asked in each member with its own credentials), the platform holds neither of them, and Health drops their rows.
// Settings' Platform section shows the profile, its principals and the endpoint this host registers with.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import type { Browser, Page } from 'playwright';
import { startMoto, type MotoServer } from '../support/moto.js';
import { assumeRoleCredentials, seedOrganization, type SeededOrganization } from '../support/seed-org.js';
import { writeTestAwsConfig } from '../support/aws-test-config.js';
import { runOrgconnect } from '../support/run-cli.js';
import { startSandboxPlatform, type SandboxPlatform } from '../support/sandbox-platform-server.js';
import { assertRendererBuilt, launchChromium, RENDERER_DIR, screenshot } from '../support/browser.js';
import { OrgConnectService } from '../../main/core/service.js';
import { startBrowserHost, type BrowserHost } from '../../main/serve/browser-host.js';

const EXTERNAL_ID = 'cz-disconnect-app-5e2a';

/** The member's orgconnect-resource stack status, or 'GONE' when DescribeStacks no longer knows it. */
async function resourceStack(moto: MotoServer, accountId: string): Promise<string> {
  const credentials = await assumeRoleCredentials(
    moto.url,
    `arn:aws:iam::${accountId}:role/OrganizationAccountAccessRole`,
  );
  const cfn = new CloudFormationClient({ region: 'us-east-1', endpoint: moto.url, credentials });
  try {
    const out = await cfn.send(new DescribeStacksCommand({ StackName: 'orgconnect-resource' }));
    return out.Stacks?.[0]?.StackStatus ?? 'GONE';
  } catch (error) {
    if (/does not exist/.test((error as Error).message)) return 'GONE';
    throw error;
  }
}

describe('Health → Disconnect… in the app', () => {
  let moto: MotoServer;
  let platform: SandboxPlatform;
  let seeded: SeededOrganization;
  let host: BrowserHost;
  let browser: Browser;
  let page: Page;

  before(async () => {
    assertRendererBuilt();
    moto = await startMoto();
    platform = await startSandboxPlatform();
    seeded = await seedOrganization({ endpoint: moto.url, accounts: 4, depth: 1, seed: 12 });
    // Registration on, with the sandbox platform: the deploy registers every connection, the app deregisters.
    const { ORGCONNECT_NO_REGISTER: _off, ...base } = writeTestAwsConfig(moto.url).env;
    const dataDir = mkdtempSync(path.join(tmpdir(), 'orgconnect-e2e-disconnect-'));
    const env = { ...base, ORGCONNECT_PLATFORM_URL: platform.linkUrl, ORGCONNECT_HOME: dataDir };
    const deployed = await runOrgconnect(
      ['deploy', '--profile', 'emulator', '--external-id', EXTERNAL_ID, '--yes', '--json'],
      env,
      { timeoutMs: 180_000 },
    );
    assert.equal(deployed.code, 0, deployed.stderr.slice(-2000));
    assert.equal(platform.connections().length, seeded.accounts.length, 'every connection registered');
    host = await startBrowserHost({
      rendererDir: RENDERER_DIR,
      service: new OrgConnectService({ env, dataDir }),
    });
    browser = await launchChromium();
    page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
    page.setDefaultTimeout(60_000);
  });
  after(async () => {
    await browser?.close();
    await host?.close();
    await platform?.stop();
    await moto?.stop();
  });

  test('two members chosen, planned, confirmed by typing, disconnected and deregistered; the rest stays', async () => {
    const chosen = seeded.memberAccountIds.slice(0, 2);
    const staying = seeded.memberAccountIds.slice(2);
    await page.goto(host.url);
    const health = page.getByRole('table', { name: 'Connection health' });
    for (const account of seeded.accounts)
      await health.getByRole('row').filter({ hasText: account.id }).waitFor();

    await page.getByRole('button', { name: 'Disconnect…' }).click();
    const modal = page.getByRole('dialog');
    await modal.getByRole('button', { name: 'Connections to disconnect' }).click();
    for (const id of chosen) await page.getByRole('option').filter({ hasText: id }).click();
    await modal.getByRole('heading', { name: 'Disconnect connections' }).click(); // closes the dropdown
    await modal.getByLabel('External ID').fill(EXTERNAL_ID);
    await modal.getByRole('button', { name: 'Review' }).click();

    const plan = modal.getByRole('table', { name: 'Disconnect plan' });
    await plan.waitFor();
    for (const id of chosen)
      await plan.getByRole('row').filter({ hasText: id }).getByText('Delete stack and deregister').waitFor();
    assert.equal(
      await plan
        .getByRole('row')
        .filter({ hasText: /\d{12}/ })
        .count(),
      2,
      'only the two chosen',
    );
    await modal.getByText('2 to delete, 0 to deregister only, 0 skipped, 0 blocked').waitFor();
    const confirm = modal.getByRole('button', { name: 'Disconnect', exact: true });
    assert.equal(await confirm.isDisabled(), true, 'disabled until the word is typed');
    await modal.getByLabel('Confirmation').fill('disconnec');
    assert.equal(await confirm.isDisabled(), true, 'a near miss does not enable it');
    await modal.getByLabel('Confirmation').fill('disconnect');
    await screenshot(page, 'disconnect-app-plan');
    await confirm.click();

    await modal.getByText('2 disconnected and deregistered, 0 failed').waitFor({ timeout: 120_000 });
    await screenshot(page, 'disconnect-app-result');

    for (const id of chosen) assert.equal(await resourceStack(moto, id), 'GONE', `stack gone in ${id}`);
    for (const id of staying)
      assert.equal(await resourceStack(moto, id), 'CREATE_COMPLETE', `stack kept in ${id}`);
    assert.deepEqual(
      platform
        .connections()
        .map((c) => `${c.accountId}/${c.type}`)
        .sort(),
      [`${seeded.managementAccountId}/billing`, ...staying.map((id) => `${id}/resource`)].sort(),
    );

    // Health checks again when the run ends: the two rows go, the others stay.
    await modal.getByRole('button', { name: 'Close', exact: true }).click();
    for (const id of chosen)
      await health.getByRole('row').filter({ hasText: id }).waitFor({ state: 'detached' });
    for (const id of staying) await health.getByRole('row').filter({ hasText: id }).waitFor();
  });

  test("Settings shows the platform: CloudZero's profile, its principals, the role path and this host's endpoint", async () => {
    // The returning user opened on Health: back through the steps to Settings.
    for (let step = 0; step < 4; step += 1) await page.getByRole('button', { name: 'Previous' }).click();
    await page.getByRole('heading', { name: 'Settings', level: 1 }).waitFor();
    await page.getByRole('heading', { name: 'Platform', exact: true }).waitFor();
    await page.getByText('CloudZero, permissions of 2026-06-16').waitFor();
    await page.getByText('arn:aws:iam::061190967865:root').waitFor();
    await page.getByText('arn:aws:iam::559846027439:root').waitFor();
    await page.getByText('/cloudzero/', { exact: true }).waitFor();
    await page.getByText(platform.linkUrl).waitFor();
    await screenshot(page, 'disconnect-app-settings-platform');
  });
});
