// The whole wizard in Chromium against `orgconnect serve` (in-process browser host) and a moto-emulated
// Organization: 40 accounts (tables paginate), one suspended, one whose access role was deleted by that member
// itself. The test clicks through Connect → Settings → Accounts → Review → Deploy → Health like a person would,
// checks what each step shows and how it is laid out at 1280×800 and 1920×1080 (one-line rows, no page over two
// screens, error banners with title, reason and fix; screenshots of both sizes), that nothing reaches moto before
// the deploy is confirmed, that changed Settings plan again, and exports the reports through real downloads.
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
import { checkStep } from '../support/layout-checks.js';
import { stackCountIn } from '../support/seed-org.js';
import { OrgConnectService } from '../../main/core/service.js';
import { startBrowserHost, type BrowserHost } from '../../main/serve/browser-host.js';
import { listRuns } from '../../main/core/onboarding/journal.js';
import { startSandboxPlatform, type SandboxPlatform } from '../support/sandbox-platform-server.js';
import { assignConnectionNames } from '../../main/core/onboarding/connection-names.js';

const EXTERNAL_ID = 'cz-e2e-wizard-4f2a';
const ACCESS_ROLE = 'OrganizationAccountAccessRole';

describe('the wizard in Chromium against orgconnect serve and moto', () => {
  let moto: MotoServer;
  let seeded: SeededOrganization;
  let host: BrowserHost;
  let dataDir: string;
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
      accounts: 39,
      suspended: 1,
      depth: 2,
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
    dataDir = mkdtempSync(path.join(tmpdir(), 'orgconnect-e2e-'));
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
    const management = seeded.accounts.find((a) => a.isManagement);
    assert.ok(management);
    const wizardLink = (title: string) =>
      // Cloudscape renders the visited steps' links as role=button.
      page.getByRole('navigation', { name: 'Steps' }).getByRole('button', { name: title });

    // --- Connect: the profiles from the AWS config with their kind. Next right after "Check access" waits for
    // the Organization (no CONNECT_FIRST refusal), then Settings opens.
    await page.goto(host.url);
    await page.getByRole('button', { name: /AWS profile/ }).click();
    // The token has left the address bar (and the history entry) once the app started.
    assert.equal(page.url(), `http://127.0.0.1:${host.port}/`);
    const option = page.getByRole('option', { name: /emulator/ });
    await option.getByText('Access keys', { exact: true }).waitFor();
    await option.click();
    await page.getByRole('button', { name: 'Check access' }).click();
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByLabel('Platform AWS account').waitFor({ timeout: 60_000 });
    assert.equal(await page.getByText('CONNECT_FIRST').count(), 0);
    await page.getByRole('button', { name: 'Previous' }).click();
    await page.getByText(seeded.organizationId).first().waitFor();
    await page.getByText(`${seeded.accounts.length} (1 not active)`).waitFor();
    // moto has no CUR API: said plainly, and not a blocker.
    await page.getByText('Cost and Usage Report not checked').waitFor();
    await checkStep(page, '1-connect');
    await page.getByRole('button', { name: 'Next' }).click();

    // --- Settings: a bad External ID is refused where it is typed, and Next puts the focus on it; spaces at the
    // ends are trimmed with a note; the ID can be shown.
    const externalId = page.getByLabel('External ID', { exact: true });
    assert.equal(await page.getByLabel('Platform AWS account').inputValue(), '061190967865');
    await externalId.fill('has space');
    await page.getByRole('button', { name: 'Next' }).click();
    await page
      .getByText('The External ID may contain only letters, digits and + = , . @ : / - _ characters.')
      .waitFor();
    await page.waitForFunction('document.activeElement?.getAttribute("aria-label") === "External ID"');
    await checkStep(page, '2-settings-invalid');
    await externalId.fill(`  ${EXTERNAL_ID} `);
    assert.equal(await externalId.inputValue(), EXTERNAL_ID);
    await page.getByText('Spaces at the start or end were removed').waitFor();
    assert.equal(await externalId.getAttribute('type'), 'password');
    await page.getByRole('button', { name: 'Show the ID in clear text' }).click();
    assert.equal(await externalId.getAttribute('type'), 'text');
    await page.getByRole('button', { name: 'Hide the ID' }).click();
    await page.getByLabel('Concurrency').fill('4');
    await checkStep(page, '2-settings');
    await page.getByRole('button', { name: 'Next' }).click();

    // --- Accounts: clear, then select all active; the suspended account stays out.
    const accountsTable = page.getByRole('grid', { name: 'Accounts' });
    await accountsTable.waitFor();
    await page.getByRole('button', { name: 'Clear selection' }).click();
    await page.getByText(`(0/${seeded.accounts.length})`).waitFor();
    // Next with nothing chosen: a banner that says what, why and what to do (checked by checkStep).
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByText('No account selected').waitFor();
    await page.getByText('Fix: Select at least one active account.').waitFor();
    await checkStep(page, '3-accounts-nothing-selected');
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
    await page.getByRole('button', { name: 'Select all active' }).click();
    await page.getByText(`(${activeMembers.length + 1}/${seeded.accounts.length})`).waitFor();
    await page.getByLabel('Filter accounts').fill(suspendedId);
    assert.equal(
      await accountsTable
        .getByRole('row')
        .filter({ hasText: suspendedId })
        .getByRole('checkbox')
        .isDisabled(),
      true,
    );
    // Connection names are editable, checked in place with the platform's rule; a taken name is refused too.
    const [renamed, other] = activeMembers.filter((a) => a.id !== noAccessId);
    assert.ok(renamed && other);
    await page.getByLabel('Filter accounts').fill(renamed.id);
    const renamedRow = accountsTable.getByRole('row').filter({ hasText: renamed.id });
    await renamedRow.getByRole('button', { name: `Edit the connection name of ${renamed.name}` }).click();
    const nameInput = page.getByLabel(`Connection name for ${renamed.name}`);
    await nameInput.fill('Bad.Name');
    await page.getByText('Use lowercase letters only (no capitals).').waitFor();
    // ✓ (Enter) does not take it: the editor stays open with the rule, the name is unchanged.
    await nameInput.press('Enter');
    await page
      .getByText('Lowercase letters, digits and single dashes; unique in the Organization.')
      .waitFor();
    assert.equal(await nameInput.isVisible(), true);
    await screenshot(page, '3-accounts-name-invalid');
    const otherName = assignConnectionNames(seeded.accounts).names[other.id] ?? '';
    await nameInput.fill(otherName);
    await page.getByText(`${other.name} (${other.id}) has this name already`).waitFor();
    await nameInput.press('Enter');
    assert.equal(await nameInput.isVisible(), true, 'a taken name is refused in place');
    await nameInput.fill('team-payments-prod');
    await nameInput.press('Enter');
    await renamedRow.getByText('team-payments-prod').waitFor();
    await page.getByLabel('Filter accounts').fill('');
    await checkStep(page, '3-accounts');
    await page.getByRole('button', { name: 'Next' }).click();

    // --- Review: the plan computed by the host, with the blocked accounts; the reason and fix in the split panel.
    const plan = page.getByRole('table', { name: 'Plan' });
    await plan.waitFor();
    assert.equal(await page.getByTestId('count-total').textContent(), String(seeded.accounts.length));
    assert.equal(await page.getByTestId('count-create').textContent(), String(deployable.length));
    assert.equal(await page.getByTestId('count-blocked').textContent(), '2');
    assert.equal(await page.getByTestId('cur-bucket').textContent(), 'none');
    assert.equal(
      await page.getByTestId('registration-preview').textContent(),
      `${deployable.length} connections will be registered with ${platform.linkUrl}.`,
    );
    await page.getByLabel('Filter plan').fill(suspendedId);
    await plan.getByRole('row').filter({ hasText: suspendedId }).getByText('ACCOUNT_SUSPENDED').waitFor();
    await page.getByLabel('Filter plan').fill(renamed.id);
    await plan.getByRole('row').filter({ hasText: renamed.id }).getByText('team-payments-prod').waitFor();
    await page.getByLabel('Filter plan').fill(noAccessId);
    const blockedRow = plan.getByRole('row').filter({ hasText: noAccessId });
    await blockedRow.getByText('Blocked').waitFor();
    await blockedRow.getByText(/ACCESS_ROLE_MISSING/).click();
    await page.getByText(/^Fix:/).first().waitFor();
    await page.getByRole('button', { name: 'CloudFormation templates' }).click();
    await page
      .getByLabel('billing template')
      .getByText(/AWSTemplateFormatVersion/)
      .waitFor();
    await page.getByRole('button', { name: 'CloudFormation templates' }).click();
    await page.getByLabel('Filter plan').fill('');
    await checkStep(page, '4-review');

    // --- Changed Settings after Review plan again, whichever way Review is reached (here: the step links).
    const memberReason = async (text: string) => {
      await page.getByLabel('Filter plan').fill(renamed.id);
      await plan
        .getByRole('row')
        .filter({ hasText: renamed.id })
        .getByText(text)
        .waitFor({ timeout: 60_000 });
    };
    await memberReason('No orgconnect-resource stack yet.');
    await wizardLink('Settings').click();
    await page.getByRole('radio', { name: /Service-managed StackSet/ }).check();
    await wizardLink('Review').click();
    await memberReason('Deployed through the StackSet orgconnect-resource.');
    await wizardLink('Settings').click();
    await page.getByRole('radio', { name: /through the access role/ }).check();
    await wizardLink('Review').click();
    await memberReason('No orgconnect-resource stack yet.');
    assert.equal(await page.getByTestId('count-create').textContent(), String(deployable.length));
    await page.getByRole('button', { name: 'Next' }).click();

    // --- Deploy: Start deploy shows the recap; nothing reaches moto until it is confirmed.
    await page.getByRole('button', { name: 'Start deploy' }).click();
    const confirm = page.getByRole('dialog', { name: 'Deploy to AWS?' });
    await confirm
      .getByText(`${deployable.length} stacks to create and 0 to update in ${deployable.length} accounts.`)
      .waitFor();
    await confirm.getByText('••••4f2a').waitFor();
    await confirm.getByText('arn:aws:iam::061190967865:root, arn:aws:iam::559846027439:root').waitFor();
    await confirm.getByText(platform.linkUrl).waitFor();
    await confirm.getByText('orgconnect-platform-billing, orgconnect-platform-resource').waitFor();
    assert.equal(await confirm.getByText(EXTERNAL_ID).count(), 0, 'the recap never shows the External ID');
    await checkStep(page, '5-deploy-confirm');
    await confirm.getByRole('button', { name: 'Cancel' }).click();
    assert.equal(await stackCountIn(moto.url, management), 0, 'no stack before the deploy is confirmed');
    assert.deepEqual(await listRuns(dataDir), [], 'no run before the deploy is confirmed');
    // Confirmed with a double click: one run.
    await page.getByRole('button', { name: 'Start deploy' }).click();
    await confirm.getByRole('button', { name: `Deploy ${deployable.length} stacks` }).dblclick();
    await page.getByTestId('run-result').waitFor({ timeout: 180_000 });
    assert.equal((await listRuns(dataDir)).length, 1, 'a double click starts one run');
    // The runner records the blocked member as failed (with the preflight's code); the suspended one is a
    // skipped row; every other account deployed. The counts are the rows'.
    assert.equal(
      await page.getByTestId('run-result').textContent(),
      `Finished: ${deployable.length} deployed, 1 failed, 1 skipped. Health: not checked yet.`,
    );
    for (const account of deployable) assert.equal(await stackCountIn(moto.url, account), 1, account.id);
    const deployTable = page.getByRole('table', { name: 'Deploy progress' });
    const firstRow = deployTable.getByRole('row').nth(1);
    assert.match((await firstRow.textContent()) ?? '', new RegExp(`${management.id}.*Billing.*Connected`));
    // Each connected account is registered, and the sandbox platform holds exactly those.
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
    await page.getByRole('button', { name: 'Retry failed' }).waitFor();
    await checkStep(page, '5-deploy');
    // The split panel: one account's problem and its stack, step by step.
    await page.getByLabel('Account id for stack events').fill(noAccessId);
    await page.getByRole('button', { name: 'Show stack events' }).click();
    await page.getByText(/^Stack events: .*\(\d{12}\)$/).waitFor();
    await page.getByText('ACCESS_ROLE_MISSING', { exact: true }).waitFor();
    await page.getByLabel('Account id for stack events').fill(management.id);
    await page.getByRole('button', { name: 'Show stack events' }).click();
    const events = page.getByRole('list', { name: 'Stack events, newest first' });
    await events.getByText('create: creating the stack').waitFor();
    await events.getByText('connected', { exact: true }).waitFor();
    await page.getByRole('button', { name: 'Copy the role ARN' }).waitFor();
    await checkStep(page, '5-deploy-stack-events');
    await page.getByRole('button', { name: 'Next' }).click();

    // --- Health: every check runs by default; skipping what moto cannot answer is opt-in (and shown as skipped).
    await page.getByText('Every check runs.', { exact: false }).waitFor();
    const skipToggle = page.getByRole('checkbox', { name: 'Skip drift, Regions and CUR checks' });
    assert.equal(await skipToggle.isChecked(), false);
    await skipToggle.click();
    await page.getByText('Skipped (shown as skipped, not passed): stack-drift, regions-sts, cur.').waitFor();
    await page.getByRole('button', { name: 'Check now' }).click();
    await page.getByText(`(${deployable.length}/${deployable.length} healthy)`).waitFor({ timeout: 120_000 });
    // A second check shows its progress (n of N) while the rows answer.
    await page.getByRole('button', { name: 'Check now' }).click();
    await page.getByText(new RegExp(`^\\d+ of ${deployable.length} checked$`)).waitFor();
    await page.getByText(`(${deployable.length}/${deployable.length} healthy)`).waitFor({ timeout: 120_000 });
    await page.getByText(/of \d+ checked$/).waitFor({ state: 'detached', timeout: 120_000 });
    const health = page.getByRole('table', { name: 'Connection health' });
    assert.equal(
      await health.getByText('Healthy', { exact: true }).count(),
      Math.min(15, deployable.length),
      'one page of rows',
    );
    await page.getByText('Problems only').click();
    await page.getByText('No connections with problems').waitFor();
    await page.getByText('Problems only').click();
    await checkStep(page, '6-health');

    // --- Export CSV as a real download: every account of the Organization, each with its status.
    await page.getByRole('button', { name: 'Export report' }).click();
    const downloading = page.waitForEvent('download');
    await page.getByRole('menuitem', { name: 'CSV' }).click();
    const download = await downloading;
    assert.match(download.suggestedFilename(), /^orgconnect-connections-.*\.csv$/);
    const csv = readFileSync((await download.path()) ?? '', 'utf8');
    const lines = csv.trim().split(/\r?\n/);
    assert.equal(lines.length, seeded.accounts.length + 1, csv);
    const rowOf = (accountId: string) => lines.find((line) => line.split(',')[5] === accountId) ?? '';
    for (const account of deployable)
      assert.match(rowOf(account.id), /,Connected,/, `CSV row of ${account.id}`);
    assert.match(rowOf(noAccessId), /,Not connected,/);
    assert.match(rowOf(suspendedId), /,Not connectable,/);
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
    await page.getByLabel('Filter connections').fill(edited.id);
    const editedRow = health.getByRole('row').filter({ hasText: edited.id });
    await editedRow.getByText('Unhealthy', { exact: true }).waitFor();
    await editedRow.getByText(/failing check/).click();
    // The failing check, what it found and the fix are in the split panel.
    const checks = page.getByRole('table', { name: 'Checks' });
    await checks
      .getByRole('row')
      .filter({ hasText: 'role-trust' })
      .getByText('Fail', { exact: true })
      .waitFor();
    await checkStep(page, '7-health-live-change');

    // --- Done: the final message says what happened, counted from the rows, with the health.
    await page.getByRole('button', { name: 'Done' }).click();
    await page
      .getByText(
        `${deployable.length} deployed, 1 failed, 1 skipped. Health: ${deployable.length - 1} of ${deployable.length} healthy (1 unhealthy).`,
      )
      .waitFor();
    // "Start over" asks first.
    await page.getByRole('button', { name: 'Start over' }).click();
    const startOver = page.getByRole('dialog', { name: 'Start over?' });
    await startOver.waitFor();
    await screenshot(page, '8-start-over');
    await startOver.getByRole('button', { name: 'Keep going', exact: true }).click();
    await page.getByRole('table', { name: 'Connection health' }).waitFor();
  });
});
