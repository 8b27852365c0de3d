// IAM Identity Center sign-in from the Connect step, in Chromium against the browser host. The local SSO server
// stands in for Identity Center (moto has none); the test plays the person's browser by opening the sign-in link
// the page shows. A denied sign-in shows its code, message and fix; an approved one signs in (the token lands in
// the AWS CLI's cache) and the Organization is then read with the profile's Identity Center role.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { GetSessionTokenCommand, STSClient } from '@aws-sdk/client-sts';
import type { Browser, Page } from 'playwright';
import { startMoto, type MotoServer } from '../support/moto.js';
import { startSsoTestServer, type SsoTestServer } from '../support/sso-test-server.js';
import {
  assumeRoleCredentials,
  MOTO_DEFAULT_CREDENTIALS,
  seedOrganization,
  type SeededOrganization,
} from '../support/seed-org.js';
import { writeTestAwsConfig } from '../support/aws-test-config.js';
import {
  assertRendererBuilt,
  launchChromium,
  RENDERER_DIR,
  screenshot,
  startDeploy,
  waitForDiscovery,
} from '../support/browser.js';
import { OrgConnectService } from '../../main/core/service.js';
import { startBrowserHost, type BrowserHost } from '../../main/serve/browser-host.js';

const START_URL = 'https://d-9999999999.awsapps.com/start';
const PERMISSION_SET = 'OrgConnectDeployer';

describe('IAM Identity Center sign-in in the browser', () => {
  let moto: MotoServer;
  let sso: SsoTestServer;
  let seeded: SeededOrganization;
  let host: BrowserHost;
  let browser: Browser;
  let page: Page;
  let home: string;

  before(async () => {
    assertRendererBuilt();
    moto = await startMoto();
    seeded = await seedOrganization({ endpoint: moto.url, accounts: 3, depth: 1, seed: 13 });
    sso = await startSsoTestServer({
      accounts: seeded.accounts.map((account) => ({
        accountId: account.id,
        accountName: account.name,
        emailAddress: account.email,
        roles: [PERMISSION_SET],
      })),
      // Real moto STS credentials in the requested account, so CloudFormation and IAM act there.
      issueRoleCredentials: async (accountId) => {
        if (accountId !== seeded.managementAccountId) {
          const c = await assumeRoleCredentials(
            moto.url,
            `arn:aws:iam::${accountId}:role/OrganizationAccountAccessRole`,
          );
          return {
            accessKeyId: c.accessKeyId,
            secretAccessKey: c.secretAccessKey,
            sessionToken: c.sessionToken ?? '',
          };
        }
        const sts = new STSClient({
          region: 'us-east-1',
          endpoint: moto.url,
          credentials: MOTO_DEFAULT_CREDENTIALS,
        });
        const c = (await sts.send(new GetSessionTokenCommand({}))).Credentials;
        return {
          accessKeyId: c?.AccessKeyId ?? '',
          secretAccessKey: c?.SecretAccessKey ?? '',
          sessionToken: c?.SessionToken ?? '',
        };
      },
    });
    const files = writeTestAwsConfig(
      moto.url,
      [
        '[sso-session corp]',
        `sso_start_url = ${START_URL}`,
        'sso_region = us-east-1',
        'sso_registration_scopes = sso:account:access',
        '',
        '[profile corp-mgmt]',
        'sso_session = corp',
        `sso_account_id = ${seeded.managementAccountId}`,
        `sso_role_name = ${PERMISSION_SET}`,
        'region = us-east-1',
        `endpoint_url = ${moto.url}`,
        '',
      ].join('\n'),
    );
    home = files.env['HOME'] ?? '';
    // `orgconnect serve` runs with the process environment, and the SDK resolves SSO profiles (and its token
    // cache) from this process's AWS_CONFIG_FILE and HOME; this test file is its own process, so it points them
    // at the temporary AWS files and the local Identity Center.
    Object.assign(process.env, files.env, {
      AWS_ENDPOINT_URL_SSO: sso.url,
      AWS_ENDPOINT_URL_SSO_OIDC: sso.url,
    });
    host = await startBrowserHost({
      rendererDir: RENDERER_DIR,
      service: new OrgConnectService({
        env: process.env,
        dataDir: mkdtempSync(path.join(tmpdir(), 'orgconnect-e2e-sso-')),
      }),
    });
    browser = await launchChromium();
    page = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
    page.setDefaultTimeout(30_000);
    await page.goto(host.url);
    await page.getByRole('button', { name: /AWS profile/ }).click();
    await page.getByRole('option', { name: /corp-mgmt/ }).click();
  });
  after(async () => {
    await browser?.close();
    await host?.close();
    await sso?.close();
    await moto?.stop();
  });

  const cachedTokens = (): string[] => {
    const dir = path.join(home, '.aws', 'sso', 'cache');
    // The cache also keeps the OIDC client registration (as the AWS CLI does); tokens are the files with one.
    return existsSync(dir)
      ? readdirSync(dir).filter(
          (f) =>
            f.endsWith('.json') &&
            'accessToken' in (JSON.parse(readFileSync(path.join(dir, f), 'utf8')) as object),
        )
      : [];
  };

  /** Clicks "Sign in", then opens the sign-in page the Connect step links to, as the person's browser would. */
  const signInThroughThePage = async () => {
    await page.getByRole('button', { name: 'Sign in with IAM Identity Center' }).click();
    const link = page.getByTestId('login-instructions').getByRole('link', { name: /Open the sign-in page/ });
    const href = await link.getAttribute('href');
    assert.match(href ?? '', /\/authorize\?/);
    const answer = await fetch(href ?? '').catch((e: unknown) => e); // follows the redirect to the app's 127.0.0.1 callback
    assert.ok(answer instanceof Response, `the sign-in page answered: ${String(answer)}`);
  };

  test('a denied sign-in shows SSO_LOGIN_DENIED with its fix, and nothing is cached', async () => {
    sso.authorizeBehaviour = 'deny';
    await signInThroughThePage();
    await page.getByText(/SSO_LOGIN_DENIED/).waitFor();
    await screenshot(page, 'sso-login-denied');
    assert.deepEqual(cachedTokens(), [], 'no token cached after a denied sign-in');
  });

  test('an approved sign-in caches the token as the AWS CLI does and the Organization is read with it', async () => {
    sso.authorizeBehaviour = 'approve';
    await signInThroughThePage();
    await page.getByText(`Signed in to ${START_URL}`, { exact: false }).waitFor();
    await page.getByText(seeded.organizationId).waitFor();
    await waitForDiscovery(page, seeded.accounts.length);
    assert.equal(cachedTokens().length, 1, 'one token file in ~/.aws/sso/cache');
    assert.ok(sso.issuedCredentials.some((c) => c.accountId === seeded.managementAccountId));
    await screenshot(page, 'sso-login-signed-in');
  });

  test('Settings → IAM Identity Center access: the permission set is required, then every member deploys through the portal', async () => {
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByLabel('External ID').fill('ic-e2e-external-id-0007');
    await page.getByText('One stack per account, through IAM Identity Center').click();
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByText('A permission set name has 1–32 letters').waitFor();
    await page.getByLabel('Permission set').fill(PERMISSION_SET);
    await screenshot(page, 'sso-settings-identity-center');
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByRole('grid', { name: 'Accounts' }).waitFor();
    const before = sso.issuedCredentials.length;
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByRole('table', { name: 'Plan' }).waitFor();
    assert.equal(await page.getByTestId('count-create').textContent(), String(seeded.accounts.length));
    await page.getByRole('button', { name: 'Next' }).click();
    await startDeploy(page);
    await page.getByTestId('run-result').waitFor({ timeout: 120_000 });
    assert.equal(
      await page.getByTestId('run-result').textContent(),
      `Finished: ${seeded.accounts.length} deployed, 0 failed, 0 skipped. Health: not checked yet.`,
    );
    // Members were reached with the permission set through the portal, not with an access role.
    const viaPortal = new Set(sso.issuedCredentials.slice(before).map((c) => c.accountId));
    for (const member of seeded.memberAccountIds)
      assert.ok(viaPortal.has(member), `${member} via Identity Center`);
    await screenshot(page, 'sso-deploy-identity-center');
  });
});
