// Connect's "Set up a report…" in Chromium against `orgconnect serve`, moto (S3) and the local Data Exports server:
// the button sits next to the "No usable Cost and Usage Report" warning, the confirmation lists what will be created and nothing is written before
// Create; after Create the bucket and its policy are in moto, the export on the server, and Connect shows the
// report usable with its bucket pre-filled in Settings.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright';
import { GetBucketPolicyCommand, HeadBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { startMoto, type MotoServer } from '../support/moto.js';
import {
  profileWithRecordedCur,
  startCurTestServer,
  type CurTestServer,
} from '../support/cur-test-server.js';
import { MOTO_DEFAULT_CREDENTIALS, seedOrganization, type SeededOrganization } from '../support/seed-org.js';
import { writeTestAwsConfig } from '../support/aws-test-config.js';
import { checkAccess, openAppInChromium, screenshot } from '../support/browser.js';

describe('Connect: set up a Cost and Usage Report, with confirmation (Chromium)', () => {
  let moto: MotoServer;
  let cur: CurTestServer;
  let seeded: SeededOrganization;
  let page: Page;
  let appUrl: string;
  let closeApp: (() => Promise<void>) | undefined;
  let s3: S3Client;
  let bucket: string;

  before(async () => {
    moto = await startMoto();
    seeded = await seedOrganization({ endpoint: moto.url, accounts: 2, depth: 1, branching: 1, seed: 21 });
    cur = await startCurTestServer({ recordings: false });
    const files = writeTestAwsConfig(moto.url, profileWithRecordedCur('no-cur', moto.url, cur.url));
    ({ page, close: closeApp, url: appUrl } = await openAppInChromium({ env: files.env }));
    s3 = new S3Client({
      region: 'us-east-1',
      endpoint: moto.url,
      forcePathStyle: true,
      credentials: MOTO_DEFAULT_CREDENTIALS,
    });
    bucket = `orgconnect-cur-${seeded.managementAccountId}`;
  });
  after(async () => {
    await closeApp?.();
    await cur?.stop();
    await moto?.stop();
  });

  test('the button shows what will be created, Create writes it, and Connect then finds the report', async () => {
    await page.goto(appUrl);
    await checkAccess(page, /no-cur/, seeded);
    await page.getByText('No usable Cost and Usage Report').waitFor();
    await page.getByRole('button', { name: 'Set up a report…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Set up a Cost and Usage Report' });
    await dialog.getByText(`Create S3 bucket ${bucket} in us-east-1`).waitFor();
    await dialog.getByText(/Create CUR 2\.0 Data Export orgconnect-cur2/).waitFor();
    await screenshot(page, 'connect-cur-setup-confirm');
    await assert.rejects(s3.send(new HeadBucketCommand({ Bucket: bucket })), 'nothing written before Create');
    assert.equal(cur.created.length, 0);

    await dialog.getByRole('button', { name: 'Create' }).click();
    await page
      .getByText(/Data Export orgconnect-cur2 meets the platform's requirements/)
      .waitFor({ timeout: 30_000 });
    await page.getByText(new RegExp(`The Billing role will read bucket ${bucket}`)).waitFor();
    const policy = (await s3.send(new GetBucketPolicyCommand({ Bucket: bucket }))).Policy ?? '';
    assert.match(policy, /bcm-data-exports\.amazonaws\.com/);
    assert.equal(cur.created.length, 1);
    assert.equal(cur.created[0]!.request.Export.DestinationConfigurations.S3Destination.S3Bucket, bucket);
  });
});
