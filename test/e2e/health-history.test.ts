// Issue 17 on the Health screen, in Chromium against `orgconnect serve` and moto: after a deploy and 2 accounts
// joining, the app opens on Health with the coverage banner ("2 new accounts are not connected"), a history
// chart drawn from a seeded 30-day series, and — once automatic checks run — a trust policy edited in moto
// raises exactly one notification (the page's Notification API, stubbed at the browser boundary by an init
// script that records calls and reports permission "granted"), however many rounds find it unhealthy again.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright';
import { CreateAccountCommand } from '@aws-sdk/client-organizations';
import { IAMClient, UpdateAssumeRolePolicyCommand } from '@aws-sdk/client-iam';
import { startMoto, type MotoServer } from '../support/moto.js';
import {
  assumeRoleCredentials,
  MOTO_DEFAULT_CREDENTIALS,
  motoOrganizationsClient,
  seedOrganization,
  type SeededOrganization,
} from '../support/seed-org.js';
import { writeTestAwsConfig } from '../support/aws-test-config.js';
import { runOrgconnect } from '../support/run-cli.js';
import { startSandboxPlatform, type SandboxPlatform } from '../support/sandbox-platform-server.js';
import { assertRendererBuilt, launchChromium, RENDERER_DIR, screenshot } from '../support/browser.js';
import { OrgConnectService } from '../../main/core/service.js';
import { startBrowserHost, type BrowserHost } from '../../main/serve/browser-host.js';
import type { CoveragePoint } from '../../main/core/health/coverage-schema.js';

const EXTERNAL_ID = 'history-e2e-ext-5c3d';
const ROLE = 'orgconnect-platform-resource';

/** The browser API boundary: records every notification the page raises; permission is already granted. */
const NOTIFICATION_STUB = `
  window.__notifications = [];
  class RecordingNotification {
    static permission = 'granted';
    static requestPermission() { return Promise.resolve('granted'); }
    constructor(title, options) { window.__notifications.push({ title, ...(options || {}) }); }
    close() {}
  }
  window.Notification = RecordingNotification;
`;

/** 30 days before today: coverage climbing from half to most of the Organization, one bad week in the middle. */
function seededSeries(): CoveragePoint[] {
  const points: CoveragePoint[] = [];
  for (let back = 30; back >= 1; back -= 1) {
    const day = new Date(Date.now() - back * 86_400_000);
    const connected = Math.min(5, 2 + Math.floor((30 - back) / 8));
    const bad = back <= 18 && back >= 12 ? 1 : 0;
    points.push({
      day: day.toISOString().slice(0, 10),
      at: day.toISOString(),
      healthy: connected - bad,
      degraded: back === 20 ? 1 : 0,
      unhealthy: bad,
      unknown: 0,
      activeAccounts: 5,
      connectedActive: connected,
      share: connected / 5,
    });
  }
  return points;
}

describe('Health history, coverage and notifications', () => {
  let moto: MotoServer;
  let seeded: SeededOrganization;
  let host: BrowserHost;
  let browser: Browser;
  let page: Page;
  let platform: SandboxPlatform;
  const joined: string[] = [];

  const iamIn = async (accountId: string) =>
    new IAMClient({
      region: 'us-east-1',
      endpoint: moto.url,
      credentials:
        accountId === seeded.managementAccountId
          ? MOTO_DEFAULT_CREDENTIALS
          : await assumeRoleCredentials(
              moto.url,
              `arn:aws:iam::${accountId}:role/OrganizationAccountAccessRole`,
            ),
    });

  const notifications = () =>
    page.evaluate('window.__notifications') as Promise<{ title: string; body?: string }[]>;

  before(async () => {
    assertRendererBuilt();
    moto = await startMoto();
    seeded = await seedOrganization({ endpoint: moto.url, accounts: 4, depth: 1, seed: 23 });
    // Registered with the sandbox platform, as a real deploy would be: a connection the platform lacks is degraded.
    platform = await startSandboxPlatform();
    const { ORGCONNECT_NO_REGISTER: _off, ...awsEnv } = writeTestAwsConfig(moto.url).env;
    const serviceEnv = { ...awsEnv, ORGCONNECT_PLATFORM_URL: platform.linkUrl };
    const dataDir = mkdtempSync(path.join(tmpdir(), 'orgconnect-e2e-history-'));
    const env = { ...serviceEnv, ORGCONNECT_HOME: dataDir };
    const deploy = await runOrgconnect(
      ['deploy', '--profile', 'emulator', '--external-id', EXTERNAL_ID, '--yes', '--json'],
      env,
    );
    assert.equal(deploy.code, 0, deploy.stderr);
    // Two accounts join after the deploy (moto's JoinedTimestamp has second resolution).
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const organizations = motoOrganizationsClient(moto.url, MOTO_DEFAULT_CREDENTIALS);
    for (const name of ['vended-analytics', 'vended-sandbox']) {
      const created = await organizations.send(
        new CreateAccountCommand({ AccountName: name, Email: `${name}@example.com` }),
      );
      joined.push(created.CreateAccountStatus?.AccountId ?? '');
    }
    // The kept history, as earlier days' rounds would have left it.
    mkdirSync(path.join(dataDir, 'coverage'), { recursive: true });
    writeFileSync(
      path.join(dataDir, 'coverage', `${seeded.organizationId}.jsonl`),
      seededSeries()
        .map((p) => `${JSON.stringify(p)}\n`)
        .join(''),
    );
    host = await startBrowserHost({
      rendererDir: RENDERER_DIR,
      service: new OrgConnectService({ env: serviceEnv, dataDir }),
    });
    browser = await launchChromium();
    const context = await browser.newContext({
      viewport: { width: 1280, height: 800 },
      reducedMotion: 'reduce',
    });
    await context.addInitScript(NOTIFICATION_STUB);
    page = await context.newPage();
    page.setDefaultTimeout(60_000);
  });
  after(async () => {
    await browser?.close();
    await host?.close();
    await platform?.stop();
    await moto?.stop();
  });

  test('Health opens with the coverage banner and the history chart drawn from the kept series', async () => {
    await page.goto(host.url);
    const table = page.getByRole('table', { name: 'Connection health' });
    for (const account of seeded.accounts)
      await table.getByRole('row').filter({ hasText: account.id }).getByText('Healthy').waitFor();
    await page.getByText('2 new accounts are not connected').waitFor();
    for (const id of joined)
      await page
        .getByText(new RegExp(`\\(${id}\\)`))
        .first()
        .waitFor();
    // 5 of 7 active accounts connected: the management account and 4 members; the two vended ones are not.
    await page.getByText('Coverage: 71.4% of active accounts connected').waitFor();
    const chart = page.getByRole('application', { name: 'Connections by health, per day' });
    await chart.waitFor();
    // 30 seeded days and today's point from the check on open: the healthy area has a point each day.
    const share = page.getByRole('application', { name: 'Share of active accounts connected, per day' });
    await share.waitFor();
    assert.ok((await page.locator('svg path').count()) > 4, 'the charts drew their series');
    await screenshot(page, 'health-history');
  });

  test('a trust policy edited in moto raises exactly one notification while automatic checks run', async () => {
    const edited = seeded.memberAccountIds[0] ?? '';
    await (
      await iamIn(edited)
    ).send(
      new UpdateAssumeRolePolicyCommand({
        RoleName: ROLE,
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
    assert.deepEqual(await notifications(), []);
    await page.getByRole('button', { name: /Automatic checks/ }).click();
    await page.getByRole('option', { name: 'Check every 5 minutes' }).click();
    // The watch starts with a round now: the edited connection turns unhealthy.
    const row = page
      .getByRole('table', { name: 'Connection health' })
      .getByRole('row')
      .filter({ hasText: edited });
    await row.getByText('Unhealthy').waitFor();
    await page.waitForFunction('window.__notifications.length > 0');
    const first = await notifications();
    assert.equal(first.length, 1);
    assert.match(first[0]?.title ?? '', /is unhealthy$/);
    assert.match(first[0]?.body ?? '', new RegExp(`${edited}.*role-trust`));

    // The Flashbar item opens the row: its timeline shows the healthy check and the unhealthy one.
    await page.getByRole('button', { name: 'Open' }).click();
    const timeline = page.getByRole('table', { name: new RegExp(`Check timeline of .*${edited}`) });
    await timeline.getByText('unhealthy').waitFor();
    assert.equal(await timeline.getByText('healthy', { exact: true }).count(), 1);

    // Another round finds it unhealthy again: the timeline grows, the notifications do not.
    await page.getByRole('button', { name: 'Check now' }).click();
    // Two unhealthy entries (the watch round's and this one's) and the healthy one from the check on open.
    await timeline.getByText('unhealthy').nth(1).waitFor();
    assert.equal(
      (await notifications()).length,
      1,
      'a connection that stays unhealthy does not notify again',
    );
    assert.equal(await page.getByText(/turned unhealthy/).count(), 1, 'one Flashbar item');
    await screenshot(page, 'health-history-alert');
  });

  test('"Connect them" opens Choose accounts with exactly the new accounts selected', async () => {
    await page.getByRole('button', { name: 'Connect them' }).click();
    await page.getByRole('heading', { name: 'Choose accounts' }).first().waitFor();
    await page.getByText(`(2/${seeded.accounts.length + joined.length})`).waitFor();
    for (const [index, name] of ['vended-analytics', 'vended-sandbox'].entries()) {
      assert.ok(
        await page.getByRole('checkbox', { name: `Select ${name} (${joined[index]})` }).isChecked(),
        `${name} is selected`,
      );
    }
    assert.equal(
      await page
        .getByRole('checkbox', { name: new RegExp(`^Select .*\\(${seeded.managementAccountId}\\)$`) })
        .isChecked(),
      false,
    );
  });
});
