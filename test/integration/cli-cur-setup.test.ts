// --create-cur: with no usable Cost and Usage Report in the management account, the plan shows the set-up (bucket,
// its policy, a CUR 2.0 Data Export) and writes nothing; deploy writes it first — the bucket and its policy in moto,
// the export to a local Data Exports server that checks the CreateExport request against the API's shape and the
// platform's requirements (moto lacks the API) — and the next plan finds the report usable.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { GetBucketPolicyCommand, HeadBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { startMoto, type MotoServer } from '../support/moto.js';
import { MOTO_DEFAULT_CREDENTIALS, seedOrganization, type SeededOrganization } from '../support/seed-org.js';
import { writeTestAwsConfig, type TestAwsFiles } from '../support/aws-test-config.js';
import {
  profileWithRecordedCur,
  startCurTestServer,
  type CurTestServer,
} from '../support/cur-test-server.js';
import { runOrgconnect } from '../support/run-cli.js';

const EXTERNAL_ID = 'cz-test-cur-setup-5c1d';

interface PlanJson {
  costAndUsageReportBucket: string | null;
  costAndUsageReport?: { status: string; summary: string; bucket?: string; report?: string };
  curSetup?: {
    bucket: string;
    createBucket: boolean;
    exportName: string;
    steps: string[];
    bucketPolicy: unknown;
  };
}

describe('--create-cur sets up a CUR 2.0 Data Export (CLI, moto S3 + local Data Exports server)', () => {
  let moto: MotoServer;
  let cur: CurTestServer;
  let seeded: SeededOrganization;
  let files: TestAwsFiles;
  let env: NodeJS.ProcessEnv;
  let s3: S3Client;
  let bucket: string;

  before(async () => {
    moto = await startMoto();
    cur = await startCurTestServer({ recordings: false });
    seeded = await seedOrganization({ endpoint: moto.url, accounts: 2, depth: 1, branching: 1, seed: 9 });
    files = writeTestAwsConfig(moto.url, profileWithRecordedCur('no-cur', moto.url, cur.url));
    env = { ...files.env, ORGCONNECT_HOME: mkdtempSync(path.join(tmpdir(), 'orgconnect-cur-setup-')) };
    s3 = new S3Client({
      region: 'us-east-1',
      endpoint: moto.url,
      forcePathStyle: true,
      credentials: MOTO_DEFAULT_CREDENTIALS,
    });
    bucket = `orgconnect-cur-${seeded.managementAccountId}`;
  });
  after(async () => {
    await cur?.stop();
    await moto?.stop();
  });

  const plan = async (...extra: string[]) => {
    const result = await runOrgconnect(
      ['plan', '--profile', 'no-cur', '--external-id', EXTERNAL_ID, '--json', ...extra],
      env,
    );
    assert.equal(result.code, 0, result.stderr);
    return JSON.parse(result.stdout) as PlanJson;
  };

  const bucketExists = async () =>
    s3.send(new HeadBucketCommand({ Bucket: bucket })).then(
      () => true,
      () => false,
    );

  test('without --create-cur the plan reports no usable report and offers the flag', async () => {
    const planned = await plan();
    assert.equal(planned.costAndUsageReport?.status, 'fail');
    assert.equal(planned.curSetup, undefined);
    assert.equal(planned.costAndUsageReportBucket, null);
    const human = await runOrgconnect(['plan', '--profile', 'no-cur', '--external-id', EXTERNAL_ID], env);
    assert.match(human.stdout, /--create-cur sets one up/);
  });

  test('plan --create-cur shows the bucket, its policy and the export, and writes nothing', async () => {
    const planned = await plan('--create-cur');
    assert.equal(planned.curSetup?.bucket, bucket);
    assert.equal(planned.curSetup?.createBucket, true);
    assert.equal(planned.curSetup?.exportName, 'orgconnect-cur2');
    assert.equal(
      planned.costAndUsageReportBucket,
      bucket,
      'the Billing role is planned to read the new bucket',
    );
    assert.match(JSON.stringify(planned.curSetup?.bucketPolicy), /bcm-data-exports\.amazonaws\.com/);
    const human = await runOrgconnect(
      ['plan', '--profile', 'no-cur', '--external-id', EXTERNAL_ID, '--create-cur'],
      env,
    );
    assert.match(human.stdout, new RegExp(`1\\. Create S3 bucket ${bucket} in us-east-1`));
    assert.match(
      human.stdout,
      /3\. Create CUR 2\.0 Data Export orgconnect-cur2 \(hourly, resource IDs, split cost/,
    );
    assert.equal(await bucketExists(), false, 'plan must not create the bucket');
    assert.equal(cur.created.length, 0, 'plan must not create the export');
    assert.ok(!cur.calls.includes('CreateExport'));
  });

  test('--create-cur with --no-cur-bucket is refused', async () => {
    const result = await runOrgconnect(
      ['plan', '--profile', 'no-cur', '--external-id', EXTERNAL_ID, '--create-cur', '--no-cur-bucket'],
      env,
    );
    assert.notEqual(result.code, 0);
    assert.match(result.stderr, /contradict/);
  });

  test('deploy --create-cur creates the bucket with its policy and an accepted export; the stack reads it', async () => {
    const result = await runOrgconnect(
      ['deploy', '--profile', 'no-cur', '--external-id', EXTERNAL_ID, '--create-cur', '--yes', '--json'],
      env,
      { timeoutMs: 120_000 },
    );
    assert.equal(result.code, 0, result.stderr);
    assert.equal(await bucketExists(), true);
    const policy = JSON.parse(
      (await s3.send(new GetBucketPolicyCommand({ Bucket: bucket }))).Policy ?? '{}',
    ) as {
      Statement: Array<{
        Sid?: string;
        Principal: { Service: string[] };
        Action: string[];
        Resource: string[];
        Condition: { StringLike: Record<string, unknown> };
      }>;
    };
    const statement = policy.Statement.find((s) => s.Sid === 'EnableAWSDataExportsToWriteToS3AndCheckPolicy');
    assert.ok(statement, JSON.stringify(policy));
    assert.deepEqual([...statement.Principal.Service].sort(), [
      'bcm-data-exports.amazonaws.com',
      'billingreports.amazonaws.com',
    ]);
    assert.deepEqual(statement.Action, ['s3:PutObject', 's3:GetBucketPolicy']);
    assert.deepEqual(statement.Resource, [`arn:aws:s3:::${bucket}/*`, `arn:aws:s3:::${bucket}`]);
    const id = seeded.managementAccountId;
    assert.equal(statement.Condition.StringLike['aws:SourceAccount'], id);
    assert.deepEqual(statement.Condition.StringLike['aws:SourceArn'], [
      `arn:aws:cur:us-east-1:${id}:definition/*`,
      `arn:aws:bcm-data-exports:us-east-1:${id}:export/*`,
    ]);

    // The server accepted exactly one export (it refuses a request off the API's shape or the platform's needs).
    assert.equal(cur.created.length, 1);
    const s3Destination = cur.created[0]!.request.Export.DestinationConfigurations.S3Destination;
    assert.equal(s3Destination.S3Bucket, bucket);
    assert.equal(s3Destination.S3Region, 'us-east-1');

    const cfn = new CloudFormationClient({
      region: 'us-east-1',
      endpoint: moto.url,
      credentials: MOTO_DEFAULT_CREDENTIALS,
    });
    const stacks = (await cfn.send(new DescribeStacksCommand({}))).Stacks ?? [];
    const billing = stacks.find((s) =>
      (s.Parameters ?? []).some((p) => p.ParameterKey === 'CostAndUsageReportBucket'),
    );
    assert.equal(
      billing?.Parameters?.find((p) => p.ParameterKey === 'CostAndUsageReportBucket')?.ParameterValue,
      bucket,
    );
  });

  test('the next plan finds the new export usable, and --create-cur then offers nothing', async () => {
    const next = await plan();
    assert.equal(next.costAndUsageReport?.status, 'pass', next.costAndUsageReport?.summary);
    assert.equal(next.costAndUsageReport?.report, 'Data Export orgconnect-cur2');
    assert.equal(next.costAndUsageReportBucket, bucket);
    const again = await plan('--create-cur');
    assert.equal(again.curSetup, undefined);
    assert.equal(again.costAndUsageReportBucket, bucket);
  });
});
