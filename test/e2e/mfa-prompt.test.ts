// A profile whose role chain needs an MFA code (`mfa_serial`), used from the browser: the host asks the page, the
// person types the code into a dialog, and the role is assumed with it. Cancelling, or a malformed code, gives a
// clear message and never a stuck screen. Real Chromium against `orgconnect serve`'s host and moto's STS.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright';
import { startMoto, type MotoServer } from '../support/moto.js';
import { seedOrganization, type SeededOrganization } from '../support/seed-org.js';
import { writeTestAwsConfig } from '../support/aws-test-config.js';
import { openAppInChromium, screenshot, waitForDiscovery } from '../support/browser.js';
import { createMfaPrompts } from '../../main/host/mfa-prompts.js';

describe('an MFA-protected profile in the browser', () => {
  let moto: MotoServer;
  let seeded: SeededOrganization;
  let page: Page;
  let appUrl: string;
  let closeApp: (() => Promise<void>) | undefined;
  const asked: string[] = [];

  before(async () => {
    moto = await startMoto();
    seeded = await seedOrganization({ endpoint: moto.url, accounts: 3, depth: 1, seed: 9 });
    const files = writeTestAwsConfig(
      moto.url,
      [
        '[profile admin-mfa]',
        `role_arn = arn:aws:iam::${seeded.managementAccountId}:role/OrgAdmin`,
        'source_profile = emulator',
        `mfa_serial = arn:aws:iam::${seeded.managementAccountId}:mfa/alice`,
        'region = us-east-1',
        `endpoint_url = ${moto.url}`,
        '',
      ].join('\n'),
    );
    const mfa = createMfaPrompts();
    ({
      page,
      close: closeApp,
      url: appUrl,
    } = await openAppInChromium({
      env: files.env,
      hostServices: {
        mfaCodeProvider: async (serial) => {
          asked.push(serial);
          return mfa.ask(serial);
        },
      },
      mfa,
    }));
  });
  after(async () => {
    await closeApp?.();
    await moto?.stop();
  });

  const checkAccess = async () => {
    await page.getByRole('button', { name: 'Check access' }).click();
    return page.getByRole('dialog', { name: 'MFA code needed' });
  };

  test('cancel → MFA_CANCELLED shown; a 5-digit code is refused in place; the right code signs in', async () => {
    await page.goto(appUrl);
    await page.getByRole('button', { name: /AWS profile/ }).click();
    await page.getByRole('option', { name: /admin-mfa/ }).click();

    const first = await checkAccess();
    await first
      .getByText(`The current 6-digit code from arn:aws:iam::${seeded.managementAccountId}:mfa/alice.`)
      .waitFor();
    await first.getByRole('button', { name: 'Cancel' }).click();
    await page.getByText(/MFA_CANCELLED/).waitFor();
    assert.equal(await first.isVisible(), false);

    const second = await checkAccess();
    await second.getByLabel('MFA code').fill('12345');
    await second.getByRole('button', { name: 'Continue' }).click();
    await second.getByText('Enter the 6 digits shown on your MFA device.').waitFor();
    await screenshot(page, 'mfa-prompt');
    await second.getByLabel('MFA code').fill('123456');
    await second.getByLabel('MFA code').press('Enter');

    // The role was assumed with the code: the Organization shows, seen from the OrgAdmin role.
    await page.getByText(seeded.organizationId).waitFor();
    await waitForDiscovery(page, seeded.accounts.length);
    await page
      .getByText(/assumed-role\/OrgAdmin/)
      .first()
      .waitFor();
    assert.equal(await second.isVisible(), false);
    assert.deepEqual(asked, [
      `arn:aws:iam::${seeded.managementAccountId}:mfa/alice`,
      `arn:aws:iam::${seeded.managementAccountId}:mfa/alice`,
    ]);
    await screenshot(page, 'mfa-signed-in');
  });
});
