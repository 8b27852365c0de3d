// StackSets mode from the browser: Settings → "Service-managed StackSet", then the same wizard; the Billing stack goes
// directly into the management account and the Resource role into every member through one service-managed StackSet
// (moto implements StackSets), each member's row following its stack instance. Checked with each member's own
// credentials in moto.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CloudFormationClient,
  ListStackInstancesCommand,
  ListStackSetsCommand,
} from '@aws-sdk/client-cloudformation';
import { EnableAWSServiceAccessCommand } from '@aws-sdk/client-organizations';
import { GetRoleCommand, IAMClient } from '@aws-sdk/client-iam';
import type { Page } from 'playwright';
import { startMoto, type MotoServer } from '../support/moto.js';
import {
  assumeRoleCredentials,
  MOTO_DEFAULT_CREDENTIALS,
  motoOrganizationsClient,
  seedOrganization,
  type SeededOrganization,
} from '../support/seed-org.js';
import { writeTestAwsConfig } from '../support/aws-test-config.js';
import { checkAccess, openAppInChromium, screenshot, startDeploy } from '../support/browser.js';

const EXTERNAL_ID = 'cz-e2e-stacksets-5d2e';

describe('StackSets mode in Chromium', () => {
  let moto: MotoServer;
  let seeded: SeededOrganization;
  let page: Page;
  let appUrl: string;
  let closeApp: (() => Promise<void>) | undefined;

  before(async () => {
    moto = await startMoto();
    // One level of OUs: moto's StackSets reach an OU's own accounts and its direct children only.
    seeded = await seedOrganization({ endpoint: moto.url, accounts: 6, depth: 1, seed: 8 });
    await motoOrganizationsClient(moto.url, MOTO_DEFAULT_CREDENTIALS).send(
      new EnableAWSServiceAccessCommand({
        ServicePrincipal: 'member.org.stacksets.cloudformation.amazonaws.com',
      }),
    );
    const files = writeTestAwsConfig(moto.url);
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
    await moto?.stop();
  });

  test('one StackSet connects every member; the Billing stack goes in directly', async () => {
    const accounts = seeded.accounts.length;
    await page.goto(appUrl);
    await checkAccess(page, /emulator/, seeded);
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByLabel('External ID').fill(EXTERNAL_ID);
    await page.getByText('Service-managed StackSet').click();
    await screenshot(page, 'stacksets-settings');
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByText(`(${accounts}/${accounts})`).waitFor();
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByRole('table', { name: 'Plan' }).waitFor();
    assert.equal(await page.getByTestId('count-create').textContent(), String(accounts));
    await page.getByRole('button', { name: 'Next' }).click();
    await startDeploy(page);
    await page.getByTestId('run-result').waitFor({ timeout: 120_000 });
    assert.equal(
      await page.getByTestId('run-result').textContent(),
      `Finished: ${accounts} deployed, 0 failed, 0 skipped. Health: not checked yet.`,
    );
    const deployTable = page.getByRole('table', { name: 'Deploy progress' });
    for (const account of seeded.accounts) {
      await deployTable.getByRole('row').filter({ hasText: account.id }).getByText('Connected').waitFor();
    }
    await screenshot(page, 'stacksets-deployed');

    // Through one service-managed StackSet with an instance in every member, not a stack per account.
    const cfn = new CloudFormationClient({
      region: 'us-east-1',
      endpoint: moto.url,
      credentials: MOTO_DEFAULT_CREDENTIALS,
    });
    const sets = (await cfn.send(new ListStackSetsCommand({ Status: 'ACTIVE' }))).Summaries ?? [];
    assert.equal(sets.length, 1, JSON.stringify(sets));
    assert.equal(sets[0]?.PermissionModel, 'SERVICE_MANAGED');
    const instances =
      (await cfn.send(new ListStackInstancesCommand({ StackSetName: sets[0]?.StackSetName ?? '' })))
        .Summaries ?? [];
    const instanceAccounts = new Set(instances.map((i) => i.Account));
    for (const accountId of seeded.memberAccountIds) assert.ok(instanceAccounts.has(accountId), accountId);

    for (const accountId of seeded.memberAccountIds) {
      const credentials = await assumeRoleCredentials(
        moto.url,
        `arn:aws:iam::${accountId}:role/OrganizationAccountAccessRole`,
      );
      const iam = new IAMClient({ region: 'us-east-1', endpoint: moto.url, credentials });
      const role = (await iam.send(new GetRoleCommand({ RoleName: 'orgconnect-platform-resource' }))).Role;
      assert.match(decodeURIComponent(role?.AssumeRolePolicyDocument ?? ''), new RegExp(EXTERNAL_ID));
    }
  });
});
