// Finding the Cost and Usage Report before deploying, judged from recorded API responses (moto has no CUR API):
// the same rules as the Billing health check, plus which bucket the Billing role should read.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { detectCostAndUsageReport } from '../../main/core/onboarding/cur-detection.js';
import { recordedCurPort, recordedError } from '../fixtures/recorded/recorded.js';

const NOW = Date.parse('2025-03-01T12:00:00Z');

describe('Cost and Usage Report detection', () => {
  test('a usable report delivered recently: pass, with its bucket and which report it is', async () => {
    const found = await detectCostAndUsageReport(
      recordedCurPort({ deliveredHoursAgo: { hours: 2, now: NOW } }),
      {
        now: NOW,
      },
    );
    assert.equal(found.status, 'pass');
    assert.equal(found.bucket, 'acme-billing-reports');
    assert.equal(found.report, 'CUR report hourly-resources');
  });

  test('only unusable reports: fail with the closest one’s problems and the fix, no bucket', async () => {
    const found = await detectCostAndUsageReport(
      recordedCurPort({
        reports: [
          {
            ReportName: 'daily',
            TimeUnit: 'DAILY',
            Format: 'textORcsv',
            Compression: 'GZIP',
            S3Bucket: 'some-bucket',
          },
        ],
        exports: [],
      }),
      { now: NOW },
    );
    assert.equal(found.status, 'fail');
    assert.match(found.summary, /CUR report daily: time granularity is DAILY, not HOURLY/);
    assert.ok(found.fix);
    assert.equal(found.bucket, undefined);
  });

  test('no report at all: fail, and the fix says what to create', async () => {
    const found = await detectCostAndUsageReport(recordedCurPort({ reports: [], exports: [] }), { now: NOW });
    assert.equal(found.status, 'fail');
    assert.match(found.fix ?? '', /CUR 2\.0 export/);
  });

  test('APIs refused (AccessDenied): unknown with the reason, never a pass', async () => {
    const denied = Object.assign(
      new Error('User is not authorized to perform cur:DescribeReportDefinitions'),
      {
        name: 'AccessDeniedException',
        $metadata: { httpStatusCode: 400 },
      },
    );
    const found = await detectCostAndUsageReport(
      recordedCurPort({ fail: { reports: denied, exports: recordedError('sts-region-disabled.json') } }),
      { now: NOW },
    );
    assert.equal(found.status, 'unknown');
    assert.match(found.summary, /could not be read/);
    assert.equal(found.bucket, undefined);
  });
});
