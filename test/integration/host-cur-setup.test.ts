// Connect's "Set up a report…": the host plans the CUR set-up (reads only), keeps it under an id, and writes it
// once when the confirmed id comes back — the bucket and policy in moto, the export accepted by the local Data Exports
// server; a second call with the same id writes nothing. Then cur.status finds the report usable.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { GetBucketPolicyCommand, HeadBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { OrgConnectService } from '../../main/core/service.js';
import { createServiceHandlers, type ServiceHandlers } from '../../main/host/service-handlers.js';
import { startMoto, type MotoServer } from '../support/moto.js';
import { MOTO_DEFAULT_CREDENTIALS, seedOrganization, type SeededOrganization } from '../support/seed-org.js';
import { writeTestAwsConfig } from '../support/aws-test-config.js';
import {
  profileWithRecordedCur,
  startCurTestServer,
  type CurTestServer,
} from '../support/cur-test-server.js';

describe('host: cur.planSetup then cur.setUp (moto S3 + local Data Exports server)', () => {
  let moto: MotoServer;
  let cur: CurTestServer;
  let seeded: SeededOrganization;
  let host: ServiceHandlers;
  let s3: S3Client;

  before(async () => {
    moto = await startMoto();
    cur = await startCurTestServer({ recordings: false });
    seeded = await seedOrganization({ endpoint: moto.url, accounts: 2, depth: 1, branching: 1, seed: 5 });
    const files = writeTestAwsConfig(moto.url, profileWithRecordedCur('no-cur', moto.url, cur.url));
    const env = { ...files.env, ORGCONNECT_HOME: mkdtempSync(path.join(tmpdir(), 'orgconnect-host-cur-')) };
    host = createServiceHandlers(new OrgConnectService({ env }), () => {});
    s3 = new S3Client({
      region: 'us-east-1',
      endpoint: moto.url,
      forcePathStyle: true,
      credentials: MOTO_DEFAULT_CREDENTIALS,
    });
  });
  after(async () => {
    await host?.close();
    await cur?.stop();
    await moto?.stop();
  });

  test('the planned set-up is shown first, written once on confirmation, and then found usable', async () => {
    const { handlers } = host;
    assert.equal((await handlers['cur.status']({ profile: 'no-cur' })).status, 'fail');
    const setup = await handlers['cur.planSetup']({ profile: 'no-cur', bucket: 'team-cur-reports' });
    assert.equal(setup.bucket, 'team-cur-reports');
    assert.equal(setup.createBucket, true);
    assert.equal(setup.steps.length, 3);
    await assert.rejects(
      s3.send(new HeadBucketCommand({ Bucket: 'team-cur-reports' })),
      'planning writes nothing',
    );
    assert.equal(cur.created.length, 0);

    const made = await handlers['cur.setUp']({ setupId: setup.setupId });
    assert.equal(made.bucket, 'team-cur-reports');
    await s3.send(new HeadBucketCommand({ Bucket: 'team-cur-reports' }));
    const policy = (await s3.send(new GetBucketPolicyCommand({ Bucket: 'team-cur-reports' }))).Policy ?? '';
    assert.match(policy, new RegExp(`"aws:SourceAccount":"${seeded.managementAccountId}"`));
    assert.equal(cur.created.length, 1);
    assert.equal(cur.created[0]!.arn, made.exportArn);

    await assert.rejects(handlers['cur.setUp']({ setupId: setup.setupId }), /no longer known/);
    assert.equal(cur.created.length, 1, 'the same confirmation never creates a second export');

    const found = await handlers['cur.status']({ profile: 'no-cur' });
    assert.equal(found.status, 'pass', found.summary);
    assert.equal(found.bucket, 'team-cur-reports');
    await assert.rejects(handlers['cur.planSetup']({ profile: 'no-cur' }), /Not setting up a report/);
  });
});
