// The whole wizard in Chromium against `orgconnect serve` (in-process browser host) and a moto-emulated
// Organization: 12 accounts, one suspended, one whose access role was deleted by that member itself. The test
// clicks through Connect → Settings → Accounts → Review → Deploy → Health like a person would, checks what each
// step shows, exports the CSV report through a real browser download, and saves a screenshot of every step.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DeleteRoleCommand, IAMClient, UpdateAssumeRolePolicyCommand } from '@aws-sdk/client-iam';
import type { Browser, Page } from 'playwright';
import { startMoto, type MotoServer } from '../support/moto.js';
import {
  assumeRoleCredentials,
  MOTO_DEFAULT_CREDENTIALS,
  seedOrganization,
  type SeededOrganization,
} from '../support/seed-org.js';
import { writeTestAwsConfig } from '../support/aws-test-config.js';
import { assertRendererBuilt, launchChromium, RENDERER_DIR, screenshot } from '../support/browser.js';
import { OrgConnectService } from '../../main/core/service.js';
import { startBrowserHost, type BrowserHost } from '../../main/serve/browser-host.js';
import { startSandboxPlatform, type SandboxPlatform } from '../support/sandbox-platform-server.js';

const EXTERNAL_ID = 'cz-e2e-wizard-4f2a';
const ACCESS_ROLE = 'OrganizationAccountAccessRole';

describe('the wizard in Chromium against orgconnect serve and moto', () => {
  let moto: MotoServer;
  let seeded: SeededOrganization;
  let host: BrowserHost;
  let browser: Browser;
  let page: Page;
  let noAccessId: string;
  let suspendedId: string;
  let platform: SandboxPlatform;

  const iamIn = async (accountId: string) => {
    const credentials =
      accountId === seeded.managementAccountId
        ? MOTO_DEFAULT_CREDENTIALS
        : await assumeRoleCredentials(moto.url, `arn:aws:iam::${accountId}:role/${ACCESS_ROLE}`);
    return new IAMClient({ region: 'us-east-1', endpoint: moto.url, credentials });
  };

  before(async () => {
    assertRendererBuilt();
    moto = await startMoto();
    seeded = await seedOrganization({
      endpoint: moto.url,
      accounts: 11,
      suspended: 1,
      depth: 1,
      branching: 2,
      seed: 5,
    });
    const members = seeded.accounts.filter((a) => !a.isManagement);
    suspendedId = members.find((a) => a.status === 'SUSPENDED')?.id ?? '';
    assert.ok(suspendedId, 'the seed suspended one member');
    noAccessId = members.find((a) => a.status === 'ACTIVE')?.id ?? '';
    // The member deletes its own access role; moto's AssumeRole still succeeds, preflight's iam:GetRole does not.
    await (await iamIn(noAccessId)).send(new DeleteRoleCommand({ RoleName: ACCESS_ROLE }));

    // The app registers what it deploys with the sandbox platform, as it would with the real one.
    platform = await startSandboxPlatform();
    const { ORGCONNECT_NO_REGISTER: _off, ...awsEnv } = writeTestAwsConfig(moto.url).env;
    const dataDir = mkdtempSync(path.join(tmpdir(), 'orgconnect-e2e-'));
    host = await startBrowserHost({
      rendererDir: RENDERER_DIR,
      service: new OrgConnectService({
        env: { ...awsEnv, ORGCONNECT_PLATFORM_URL: platform.linkUrl },
        dataDir,
      }),
    });
    browser = await launchChromium();
    const context = await browser.newContext({
      viewport: { width: 1280, height: 800 },
      acceptDownloads: true,
    });
    page = await context.newPage();
    page.setDefaultTimeout(30_000);
    page.on('pageerror', (error) => console.error('PAGE ERROR', error.message));
  });
  after(async () => {
    await browser?.close();
    await host?.close();
    await platform?.stop();
    await moto?.stop();
  });

  test('a page opened without the token gets the public app but nothing from the host, and says why', async () => {
    const context = await browser.newContext();
    try {
      const stranger = await context.newPage();
      const response = await stranger.goto(`http://127.0.0.1:${host.port}/`);
      assert.equal(response?.status(), 200);
      assert.equal(response?.headers()['set-cookie'], undefined);
      await stranger
        .getByText(/opened without the token/)
        .first()
        .waitFor();
      assert.equal(await stranger.getByText(seeded.organizationId).count(), 0);
      assert.deepEqual(await context.cookies(), []);
      await screenshot(stranger, '0-no-token', { accessibility: false });
    } finally {
      await context.close();
    }
  });

  test('Connect → Settings → Accounts → Review → Deploy → Health, then the CSV export', async () => {
    const activeMembers = seeded.accounts.filter((a) => !a.isManagement && a.status === 'ACTIVE');
    const deployable = seeded.accounts.filter((a) => a.status === 'ACTIVE' && a.id !== noAccessId);

    // --- Connect: the profiles from the AWS config with their kind; the Organization after "Check access".
    await page.goto(host.url);
    await page.getByRole('button', { name: /AWS profile/ }).click();
    // The token has left the address bar (and the history entry) once the app started.
    assert.equal(page.url(), `http://127.0.0.1:${host.port}/`);
    const option = page.getByRole('option', { name: /emulator/ });
    await option.getByText('Access keys', { exact: true }).waitFor();
    await option.click();
    await page.getByRole('button', { name: 'Check access' }).click();
    await page.getByText(seeded.organizationId).waitFor();
    await page.getByText(`${seeded.accounts.length} (1 not active)`).waitFor();
    // moto has no CUR API: said plainly, and not a blocker.
    await page.getByText('Cost and Usage Report not checked').waitFor();
    await screenshot(page, '1-connect');
    await page.getByRole('button', { name: 'Next' }).click();

    // --- Settings: a bad External ID is refused with a clear message; a good one goes on.
    const externalId = page.getByLabel('External ID');
    assert.equal(await page.getByLabel('Platform AWS account').inputValue(), '061190967865');
    await externalId.fill('has space');
    await page.getByRole('button', { name: 'Next' }).click();
    await page
      .getByText('The External ID may contain only letters, digits and + = , . @ : / - _ characters.')
      .waitFor();
    await screenshot(page, '2-settings-invalid');
    await externalId.fill(EXTERNAL_ID);
    await page.getByLabel('Concurrency').fill('4');
    await screenshot(page, '2-settings');
    await page.getByRole('button', { name: 'Next' }).click();

    // --- Accounts: clear, then select all with the header checkbox; the suspended account stays out.
    await page.getByRole('grid', { name: 'Accounts' }).waitFor();
    await page.getByRole('button', { name: 'Clear selection' }).click();
    await page.getByText(`(0/${seeded.accounts.length})`).waitFor();
    // By OU: the OU's active accounts and those of its children.
    const ou = seeded.ous.find((candidate) =>
      seeded.accounts.some((a) => a.ouPath === candidate.path && a.status === 'ACTIVE'),
    );
    assert.ok(ou, 'an OU with active accounts');
    const inOu = seeded.accounts.filter(
      (a) => a.status === 'ACTIVE' && (a.ouPath === ou.path || a.ouPath.startsWith(`${ou.path}/`)),
    );
    // In the OU tree: open the OU's ancestors, then "Select" takes its active accounts; "Deselect" gives them back.
    const tree = page.getByRole('tree', { name: 'Organizational units' });
    const segments = ou.path.split('/');
    for (let depth = 2; depth < segments.length; depth++) {
      await tree.getByRole('button', { name: `Expand ${segments.slice(0, depth).join('/')}` }).click();
    }
    await tree.getByRole('button', { name: `Select the accounts of ${ou.path}` }).click();
    await page.getByText(`(${inOu.length}/${seeded.accounts.length})`).waitFor();
    await tree
      .getByText(`${inOu.length} of ${inOu.length} active account${inOu.length === 1 ? '' : 's'} selected`)
      .first()
      .waitFor();
    await screenshot(page, '3-accounts-ou-tree');
    await tree.getByRole('button', { name: `Deselect the accounts of ${ou.path}` }).click();
    await page.getByText(`(0/${seeded.accounts.length})`).waitFor();
    await tree.getByRole('button', { name: `Select the accounts of ${ou.path}` }).click();
    await page.getByText(`(${inOu.length}/${seeded.accounts.length})`).waitFor();
    await page.getByRole('button', { name: 'Clear selection' }).click();
    await page.getByRole('checkbox', { name: 'Select all accounts' }).click();
    await page.getByText(`(${activeMembers.length + 1}/${seeded.accounts.length})`).waitFor();
    const suspendedRow = page.getByRole('row').filter({ hasText: suspendedId });
    assert.equal(await suspendedRow.getByRole('checkbox').isDisabled(), true);
    // Connection names are editable, checked with the platform's rule.
    const renamed = activeMembers.find((a) => a.id !== noAccessId);
    assert.ok(renamed);
    const accountsTable = page.getByRole('grid', { name: 'Accounts' });
    const renamedRow = accountsTable.getByRole('row').filter({ hasText: renamed.id });
    await renamedRow.getByRole('button', { name: `Edit the connection name of ${renamed.name}` }).click();
    const nameInput = page.getByLabel(`Connection name for ${renamed.name}`);
    await nameInput.fill('Team Payments.prod');
    await page.getByText('Use lowercase letters only (no capitals).').waitFor();
    await screenshot(page, '3-accounts-name-invalid');
    await nameInput.fill('team-payments-prod');
    await nameInput.press('Enter');
    await renamedRow.getByText('team-payments-prod').waitFor();
    await screenshot(page, '3-accounts');
    await page.getByRole('button', { name: 'Next' }).click();

    // --- Review: the plan computed by the host, with the blocked accounts and why.
    const plan = page.getByRole('table', { name: 'Plan' });
    await plan.waitFor();
    const blockedRow = plan.getByRole('row').filter({ hasText: noAccessId });
    await blockedRow.getByText('ACCESS_ROLE_MISSING').waitFor();
    await blockedRow.getByText('Blocked').waitFor();
    await plan.getByRole('row').filter({ hasText: suspendedId }).getByText('ACCOUNT_SUSPENDED').waitFor();
    assert.equal(await page.getByTestId('count-total').textContent(), String(seeded.accounts.length));
    assert.equal(await page.getByTestId('count-create').textContent(), String(deployable.length));
    assert.equal(await page.getByTestId('count-blocked').textContent(), '2');
    assert.equal(await page.getByTestId('cur-bucket').textContent(), 'none');
    assert.equal(
      await page.getByTestId('registration-preview').textContent(),
      `${deployable.length} connections will be registered with ${platform.linkUrl}.`,
    );
    await plan.getByRole('row').filter({ hasText: renamed.id }).getByText('team-payments-prod').waitFor();
    await page.getByRole('button', { name: 'CloudFormation templates' }).click();
    await page
      .getByLabel('billing template')
      .getByText(/AWSTemplateFormatVersion/)
      .waitFor();
    await screenshot(page, '4-review');
    await page.getByRole('button', { name: 'Next' }).click();

    // --- Deploy: live states from run events; every deployable account ends connected, Billing first.
    await page.getByRole('button', { name: 'Start deploy' }).click();
    await page.getByTestId('run-result').waitFor({ timeout: 120_000 });
    const result = await page.getByTestId('run-result').textContent();
    // The runner records the blocked member as failed (with the preflight's code) and leaves the suspended one
    // out of the run; everything else connected.
    assert.equal(result, `Finished: ${deployable.length} connected, 1 failed, 0 skipped`);
    const deployTable = page.getByRole('table', { name: 'Deploy progress' });
    const firstRow = deployTable.getByRole('row').nth(1);
    assert.match(
      (await firstRow.textContent()) ?? '',
      new RegExp(`${seeded.managementAccountId}.*Billing.*Connected`),
    );
    for (const account of deployable) {
      await deployTable.getByRole('row').filter({ hasText: account.id }).getByText('Connected').waitFor();
    }
    // Each connected account is registered, and the sandbox platform holds exactly those.
    for (const account of deployable) {
      await deployTable.getByRole('row').filter({ hasText: account.id }).getByText('Registered').waitFor();
    }
    assert.deepEqual(
      platform
        .connections()
        .map((c) => c.accountId)
        .sort(),
      deployable.map((a) => a.id).sort(),
    );
    assert.match(
      (await page.getByTestId('run-registration').textContent()) ?? '',
      new RegExp(
        `^${deployable.length} deployed, ${deployable.length} registered with the platform, 1 not deployed\\.$`,
      ),
    );
    const failedRow = deployTable.getByRole('row').filter({ hasText: noAccessId });
    await failedRow.getByText('Failed').waitFor();
    await failedRow.getByText('ACCESS_ROLE_MISSING').waitFor();
    await page.getByRole('button', { name: 'Retry failed' }).waitFor();
    await screenshot(page, '5-deploy');
    // The split panel: one account's stack, step by step.
    await page.getByLabel('Account id for stack events').fill(seeded.managementAccountId);
    await page.getByRole('button', { name: 'Show stack events' }).click();
    const events = page.getByRole('list', { name: 'Stack events, newest first' });
    await events.getByText('create: creating the stack').waitFor();
    await events.getByText('connected', { exact: true }).waitFor();
    await screenshot(page, '5-deploy-stack-events');
    await page.getByRole('button', { name: 'Next' }).click();

    // --- Health: all connections green, the skipped checks said so.
    await page.getByText('Skipped (shown as skipped, not passed): stack-drift, regions-sts, cur.').waitFor();
    await page.getByRole('button', { name: 'Check now' }).click();
    await page.getByText(`(${deployable.length}/${deployable.length} healthy)`).waitFor({ timeout: 120_000 });
    const health = page.getByRole('table', { name: 'Connection health' });
    assert.equal(await health.getByText('Healthy', { exact: true }).count(), deployable.length);
    await page.getByText('Problems only').click();
    await page.getByText('No connections with problems').waitFor();
    await page.getByText('Problems only').click();
    await screenshot(page, '6-health');

    // --- Export CSV as a real download; its rows are the connected accounts.
    await page.getByRole('button', { name: 'Export report' }).click();
    const downloading = page.waitForEvent('download');
    await page.getByRole('menuitem', { name: 'CSV' }).click();
    const download = await downloading;
    assert.match(download.suggestedFilename(), /^orgconnect-connections-.*\.csv$/);
    const csv = readFileSync((await download.path()) ?? '', 'utf8');
    const lines = csv.trim().split(/\r?\n/);
    assert.equal(lines.length, deployable.length + 1, csv);
    for (const account of deployable) {
      assert.ok(
        lines.some((line) => line.includes(account.id)),
        `CSV lacks ${account.id}`,
      );
    }
    assert.ok(!lines.some((line) => line.includes(noAccessId) || line.includes(suspendedId)));
    assert.ok(!csv.includes(EXTERNAL_ID), 'the External ID is masked in the report');

    // --- JSON export: the documented, versioned shape, one connection per connected account.
    await page.getByRole('button', { name: 'Export report' }).click();
    const downloadingJson = page.waitForEvent('download');
    await page.getByRole('menuitem', { name: 'JSON' }).click();
    const json = JSON.parse(readFileSync((await (await downloadingJson).path()) ?? '', 'utf8')) as {
      schemaVersion: unknown;
      connections: { accountId: string }[];
    };
    assert.equal(json.schemaVersion, 1);
    assert.deepEqual(json.connections.map((c) => c.accountId).sort(), deployable.map((a) => a.id).sort());

    // --- Live: a member edits its role's trust policy; with automatic checks on, its row turns red on its own.
    const edited = deployable.find((a) => !a.isManagement);
    assert.ok(edited);
    await (
      await iamIn(edited.id)
    ).send(
      new UpdateAssumeRolePolicyCommand({
        RoleName: 'orgconnect-platform-resource',
        PolicyDocument: JSON.stringify({
          Version: '2012-10-17',
          Statement: [
            {
              Effect: 'Allow',
              Principal: { AWS: 'arn:aws:iam::999999999999:root' },
              Action: 'sts:AssumeRole',
              Condition: { StringEquals: { 'sts:ExternalId': EXTERNAL_ID } },
            },
          ],
        }),
      }),
    );
    await page.getByRole('button', { name: /Automatic checks/ }).click();
    await page.getByRole('option', { name: 'Check every 5 minutes' }).click();
    await page
      .getByText(`(${deployable.length - 1}/${deployable.length} healthy)`)
      .waitFor({ timeout: 120_000 });
    const editedRow = health.getByRole('row').filter({ hasText: edited.id });
    await editedRow.getByText('Unhealthy', { exact: true }).waitFor();
    await editedRow.getByText('role-trust').waitFor();
    await screenshot(page, '7-health-live-change');
  });
});
