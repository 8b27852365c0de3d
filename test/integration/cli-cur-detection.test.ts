// The Cost and Usage Report found before deploying: `plan` and `deploy` look for a usable report in the management
// account and scope the Billing role's S3 read to its bucket; the plan says so, and the stack in moto really gets
// that bucket. moto lacks the CUR and Data Exports APIs, so a profile's [services] section points them at a local
// server answering with recorded responses (test/support/cur-test-server.ts); everything else is moto.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { GetRolePolicyCommand, IAMClient } from '@aws-sdk/client-iam';
import { startMoto, type MotoServer } from '../support/moto.js';
import { MOTO_DEFAULT_CREDENTIALS, seedOrganization, type SeededOrganization } from '../support/seed-org.js';
import { writeTestAwsConfig, type TestAwsFiles } from '../support/aws-test-config.js';
import {
  profileWithRecordedCur,
  startCurTestServer,
  type CurTestServer,
} from '../support/cur-test-server.js';
import { runOrgconnect } from '../support/run-cli.js';

const EXTERNAL_ID = 'cz-test-cur-detect-77aa';
const RECORDED_BUCKET = 'acme-billing-reports';

interface PlanJson {
  costAndUsageReportBucket: string | null;
  costAndUsageReport?: { status: string; summary: string; bucket?: string; report?: string; fix?: string };
  counts: { billing: number; create: number };
}

describe('Cost and Usage Report detection before deploying (CLI, moto + recorded CUR APIs)', () => {
  let moto: MotoServer;
  let cur: CurTestServer;
  let seeded: SeededOrganization;
  let files: TestAwsFiles;
  let env: NodeJS.ProcessEnv;

  before(async () => {
    moto = await startMoto();
    cur = await startCurTestServer();
    seeded = await seedOrganization({ endpoint: moto.url, accounts: 3, depth: 1, branching: 1, seed: 4 });
    files = writeTestAwsConfig(moto.url, profileWithRecordedCur('with-cur', moto.url, cur.url));
    env = { ...files.env, ORGCONNECT_HOME: mkdtempSync(path.join(tmpdir(), 'orgconnect-cur-')) };
  });
  after(async () => {
    await cur?.stop();
    await moto?.stop();
  });

  const plan = async (profile: string, ...extra: string[]) => {
    const result = await runOrgconnect(
      ['plan', '--profile', profile, '--external-id', EXTERNAL_ID, '--json', ...extra],
      env,
    );
    assert.equal(result.code, 0, result.stderr);
    return JSON.parse(result.stdout) as PlanJson;
  };

  test('a usable report is found and its bucket planned; the human plan says which report', async () => {
    const found = await plan('with-cur');
    assert.equal(found.costAndUsageReportBucket, RECORDED_BUCKET);
    assert.equal(found.costAndUsageReport?.bucket, RECORDED_BUCKET);
    // The recorded daily report is unusable; the hourly one with resources is the first usable candidate.
    assert.equal(found.costAndUsageReport?.report, 'CUR report hourly-resources');
    // Its recorded deliveries are months old: usable, with a warning about the age.
    assert.equal(found.costAndUsageReport?.status, 'warn');
    assert.ok(
      cur.calls.includes('DescribeReportDefinitions') && cur.calls.includes('ListExports'),
      cur.calls.join(),
    );

    const human = await runOrgconnect(['plan', '--profile', 'with-cur', '--external-id', EXTERNAL_ID], env);
    assert.equal(human.code, 0, human.stderr);
    assert.match(
      human.stdout,
      new RegExp(`Billing role reads CUR bucket ${RECORDED_BUCKET} \\(CUR report hourly-resources;`),
    );
  });

  test('--cur-bucket wins and --no-cur-bucket plans none; neither looks for a report', async () => {
    const before = cur.calls.length;
    const named = await plan('with-cur', '--cur-bucket', 'my-own-bucket');
    assert.equal(named.costAndUsageReportBucket, 'my-own-bucket');
    assert.equal(named.costAndUsageReport, undefined);
    const none = await plan('with-cur', '--no-cur-bucket');
    assert.equal(none.costAndUsageReportBucket, null);
    assert.equal(none.costAndUsageReport, undefined);
    assert.equal(cur.calls.length, before, 'no CUR API call when the user decided');
  });

  test('where the APIs cannot be read (moto alone), the plan goes on without a bucket and says why', async () => {
    const unread = await plan('emulator');
    assert.equal(unread.costAndUsageReportBucket, null);
    assert.equal(unread.costAndUsageReport?.status, 'unknown');
    assert.match(unread.costAndUsageReport?.summary ?? '', /could not be read/);
  });

  test('deploy gives the Billing stack the detected bucket; the role may read exactly that bucket', async () => {
    const result = await runOrgconnect(
      ['deploy', '--profile', 'with-cur', '--external-id', EXTERNAL_ID, '--yes', '--json'],
      env,
      { timeoutMs: 120_000 },
    );
    assert.equal(result.code, 0, result.stderr);
    const cfn = new CloudFormationClient({
      region: 'us-east-1',
      endpoint: moto.url,
      credentials: MOTO_DEFAULT_CREDENTIALS,
    });
    const stacks = (await cfn.send(new DescribeStacksCommand({}))).Stacks ?? [];
    const billing = stacks.find((s) =>
      (s.Parameters ?? []).some((p) => p.ParameterKey === 'CostAndUsageReportBucket'),
    );
    assert.ok(billing, `no Billing stack in the management account ${seeded.managementAccountId}`);
    assert.equal(
      billing.Parameters?.find((p) => p.ParameterKey === 'CostAndUsageReportBucket')?.ParameterValue,
      RECORDED_BUCKET,
    );
    const iam = new IAMClient({
      region: 'us-east-1',
      endpoint: moto.url,
      credentials: MOTO_DEFAULT_CREDENTIALS,
    });
    const policy = await iam.send(
      new GetRolePolicyCommand({
        RoleName: 'orgconnect-platform-billing',
        PolicyName: 'orgconnect-cur-bucket-read',
      }),
    );
    const document = decodeURIComponent(policy.PolicyDocument ?? '');
    assert.match(document, new RegExp(`arn:aws:s3:::${RECORDED_BUCKET}/\\*`));
    assert.doesNotMatch(document, /arn:aws:s3:::\*/);
  });
});
