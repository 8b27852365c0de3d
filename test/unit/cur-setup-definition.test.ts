// The CUR 2.0 export orgconnect creates meets the Data Exports API's request shape and the platform's requirements,
// and the `cur` check judges it usable; the bucket policy keeps a chosen bucket's other statements.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cur2ExportRequest } from '../../main/core/billing/cur2-export-definition.js';
import {
  bucketPolicyWithDataExports,
  DATA_EXPORTS_STATEMENT_SID,
} from '../../main/core/billing/data-export-bucket-policy.js';
import { bucketPolicyAllowsBillingReports } from '../../main/core/billing/cur-judgement.js';
import { evaluateCur } from '../../main/core/health/checks/cur.js';
import { createExportRequest } from '../support/data-exports-shape.js';

const request = cur2ExportRequest({ name: 'orgconnect-cur2', bucket: 'orgconnect-cur-123456789012' });

test('the CreateExport request has the API shape and the platform requirements', () => {
  const parsed = createExportRequest.safeParse(JSON.parse(JSON.stringify(request)));
  assert.ok(parsed.success, parsed.error?.message);
});

test('the shape check refuses what the platform cannot use', () => {
  const valid = createExportRequest.parse(JSON.parse(JSON.stringify(request)));
  const changed = (change: (e: typeof valid.Export) => void) => {
    const copy = structuredClone(valid);
    change(copy.Export);
    return copy;
  };
  const table = (e: typeof valid.Export) => e.DataQuery.TableConfigurations!['COST_AND_USAGE_REPORT']!;
  const daily = changed((e) => (table(e)['TIME_GRANULARITY'] = 'DAILY'));
  const noSplit = changed((e) => (table(e)['INCLUDE_SPLIT_COST_ALLOCATION_DATA'] = 'FALSE'));
  const csv = changed(
    (e) => (e.DestinationConfigurations.S3Destination.S3OutputConfigurations.Format = 'TEXT_OR_CSV'),
  );
  const badName = changed((e) => (e.Name = 'has spaces'));
  for (const [what, bad] of Object.entries({ daily, noSplit, csv, badName })) {
    assert.equal(createExportRequest.safeParse(bad).success, false, what);
  }
});

test('the cur check judges the created export usable, policy included', () => {
  const bucket = 'orgconnect-cur-123456789012';
  const policy = bucketPolicyWithDataExports(undefined, bucket, '123456789012');
  const judged = evaluateCur(
    { curBucket: bucket },
    {
      reports: { ok: true, value: [] },
      exports: {
        ok: true,
        value: [{ Export: request.Export as never, ExportStatus: { StatusCode: 'HEALTHY' } }],
      },
      bucketPolicies: { [bucket]: { ok: true, value: policy } },
    },
    { now: Date.now() },
  );
  assert.equal(judged.status, 'pass', judged.summary);
  assert.ok(bucketPolicyAllowsBillingReports(policy, bucket));
});

test("a chosen bucket's policy keeps its other statements; the Data Exports one is replaced, not doubled", () => {
  const existing = JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'TeamRead',
        Effect: 'Allow',
        Principal: { AWS: 'arn:aws:iam::123456789012:root' },
        Action: 's3:GetObject',
        Resource: 'arn:aws:s3:::team/*',
      },
      {
        Sid: DATA_EXPORTS_STATEMENT_SID,
        Effect: 'Allow',
        Principal: { Service: 'old' },
        Action: 's3:PutObject',
        Resource: '*',
      },
    ],
  });
  const merged = JSON.parse(bucketPolicyWithDataExports(existing, 'team', '123456789012')) as {
    Statement: Array<Record<string, unknown>>;
  };
  assert.deepEqual(
    merged.Statement.map((s) => s['Sid']),
    ['TeamRead', DATA_EXPORTS_STATEMENT_SID],
  );
  assert.match(JSON.stringify(merged.Statement[1]), /bcm-data-exports\.amazonaws\.com/);
});
