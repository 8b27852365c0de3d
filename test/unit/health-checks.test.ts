// The checks' decision logic, fed with recorded responses (test/fixtures/recorded) and hand-built states that
// moto cannot produce (rolled-back stacks, RegionDisabledException, CUR reports, a role never used).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Stack } from '@aws-sdk/client-cloudformation';
import {
  bucketPolicyAllowsBillingReports,
  evaluateCur,
  evaluateRegions,
  evaluateRoleLastUsed,
  evaluateRolePolicies,
  evaluateTrustPolicy,
  expectedRolePolicies,
  overallHealth,
  type Connection,
  type CurEvidence,
} from '../../main/core/health/index.js';
import { createCheckContext } from '../../main/core/health/check-context.js';
import { cannotCheck } from '../../main/core/aws/cannot-check.js';
import { cannotCheckResult } from '../../main/core/health/check-result.js';
import { gatherCurEvidence } from '../../main/core/billing/cur-evidence.js';
import { accountActiveCheck } from '../../main/core/health/checks/account-active.js';
import { stackStatusCheck } from '../../main/core/health/checks/stack-status.js';
import { regionsToProbe, type RegionOptStatus } from '../../main/core/health/checks/regions-sts.js';
import { expectedManagedPolicyArns } from '../../main/core/onboarding/template-policy.js';
import { loadTemplate } from '../../main/core/onboarding/templates.js';
import type { OrganizationSnapshot } from '../../main/core/org/types.js';
import { recorded, recordedCurPort, recordedError } from '../fixtures/recorded/recorded.js';
import { resourceConnection, TEST_EXTERNAL_ID } from '../support/health-connection.js';

const EXTERNAL_ID = TEST_EXTERNAL_ID;
const connection: Connection = resourceConnection;

const trustDoc = (principal: unknown, condition?: unknown) =>
  encodeURIComponent(
    JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Principal: principal,
          Action: 'sts:AssumeRole',
          ...(condition === undefined ? {} : { Condition: condition }),
        },
      ],
    }),
  );
const withId = (id: string) => ({ StringEquals: { 'sts:ExternalId': id } });

describe('role-trust', () => {
  test('passes for the platform root with the matching External ID (URL-encoded as IAM returns it)', () => {
    const r = evaluateTrustPolicy(
      connection,
      trustDoc({ AWS: 'arn:aws:iam::061190967865:root' }, withId(EXTERNAL_ID)),
    );
    assert.equal(r.status, 'pass', r.summary);
  });
  test('names the account it trusts instead of the platform', () => {
    const r = evaluateTrustPolicy(
      connection,
      trustDoc({ AWS: 'arn:aws:iam::999999999999:root' }, withId(EXTERNAL_ID)),
    );
    assert.equal(r.status, 'fail');
    assert.match(r.summary, /trusts 999999999999 instead of 061190967865/);
  });
  test('an adopted role (source manual) is fixed by correcting it and adopting again, not by a deploy', () => {
    const doc = trustDoc({ AWS: 'arn:aws:iam::999999999999:root' }, withId(EXTERNAL_ID));
    assert.match(evaluateTrustPolicy(connection, doc).fix ?? '', /^Deploy the connection again/);
    const adopted = evaluateTrustPolicy({ ...connection, source: 'manual' }, doc);
    assert.equal(adopted.status, 'fail');
    assert.match(adopted.fix ?? '', /templates export --kind resource .*orgconnect adopt again/);
  });
  test('an extra principal, a missing condition and another External ID each fail, without echoing the value', () => {
    const extra = evaluateTrustPolicy(
      connection,
      trustDoc(
        { AWS: ['arn:aws:iam::061190967865:root', '222233334444'], Service: 'ec2.amazonaws.com' },
        withId(EXTERNAL_ID),
      ),
    );
    assert.equal(extra.status, 'fail');
    assert.match(extra.summary, /also trusts 222233334444; also trusts Service ec2\.amazonaws\.com/);
    const noId = evaluateTrustPolicy(connection, trustDoc({ AWS: 'arn:aws:iam::061190967865:root' }));
    assert.match(noId.summary, /does not require the External ID/);
    const other = evaluateTrustPolicy(
      connection,
      trustDoc({ AWS: 'arn:aws:iam::061190967865:root' }, withId('guessable-id')),
    );
    assert.equal(other.status, 'fail');
    assert.match(other.summary, /External ID differs/);
    assert.doesNotMatch(JSON.stringify(other), /guessable-id/);
  });
  test('a CloudZero connection must trust both CloudZero accounts, and only them', () => {
    const cloudzero: Connection = {
      ...connection,
      rolePath: '/cloudzero/',
      platform: { id: 'cloudzero', version: '2026-06-16' },
    };
    const both = ['arn:aws:iam::061190967865:root', 'arn:aws:iam::559846027439:root'];
    const pass = evaluateTrustPolicy(cloudzero, trustDoc({ AWS: both }, withId(EXTERNAL_ID)));
    assert.equal(pass.status, 'pass', pass.summary);
    assert.match(pass.summary, /061190967865 and 559846027439/);
    const one = evaluateTrustPolicy(cloudzero, trustDoc({ AWS: both[0] }, withId(EXTERNAL_ID)));
    assert.equal(one.status, 'fail');
    assert.match(one.summary, /does not trust the platform account 559846027439/);
    const custom = evaluateTrustPolicy(
      { ...cloudzero, platform: { id: 'custom', version: '2026-06-16', accountIds: ['123456789012'] } },
      trustDoc({ AWS: both }, withId(EXTERNAL_ID)),
    );
    assert.equal(custom.status, 'fail');
    assert.match(custom.summary, /trusts 061190967865, 559846027439 instead of 123456789012/);
  });
  test('structural rules come from the template checker: an action other than sts:AssumeRole fails', () => {
    const doc = JSON.stringify({
      Statement: [
        {
          Effect: 'Allow',
          Principal: { AWS: '061190967865' },
          Action: ['sts:AssumeRole', 'sts:TagSession'],
          Condition: withId(EXTERNAL_ID),
        },
      ],
    });
    const r = evaluateTrustPolicy(connection, doc);
    assert.equal(r.status, 'fail');
    assert.match(r.summary, /sts:AssumeRole/);
  });
});

describe('role-policies (compared with the platform profile)', () => {
  const resource = loadTemplate('resource').document;
  const expected = expectedRolePolicies(connection);
  const managed = expected.managedArns;
  const inline = expected.inline;
  const liveInline = () =>
    Object.fromEntries(
      inline.map((p) => [
        p.name,
        encodeURIComponent(JSON.stringify({ Version: '2012-10-17', Statement: p.statements })),
      ]),
    );

  test('a role built from the template passes; a missing managed policy or action fails', () => {
    assert.equal(
      evaluateRolePolicies({ managedArns: managed, inline }, { attachedArns: managed, inline: liveInline() })
        .status,
      'pass',
    );
    const missing = evaluateRolePolicies(
      { managedArns: managed, inline },
      { attachedArns: managed.slice(1), inline: liveInline() },
    );
    assert.equal(missing.status, 'fail');
    assert.match(missing.summary, /missing managed policy CloudWatchReadOnlyAccess/);
    const live = liveInline();
    const name = inline[0]?.name ?? '';
    const doc = JSON.parse(decodeURIComponent(live[name] ?? '')) as {
      Statement: { Sid: string; Action: string[] }[];
    };
    (doc.Statement[0] as { Action: string[] }).Action = (
      doc.Statement[0] as { Action: string[] }
    ).Action.filter((a) => a !== 'account:GetAccountInformation');
    const lacking = evaluateRolePolicies(
      { managedArns: managed, inline },
      { attachedArns: managed, inline: { ...live, [name]: JSON.stringify(doc) } },
    );
    assert.match(
      lacking.summary,
      /orgconnect-resource-read\/Tier0BillingData lacks account:getaccountinformation/,
    );
  });
  test('what the profile expects is what the generated template grants', () => {
    assert.deepEqual(managed, expectedManagedPolicyArns(resource));
    const templatePolicies = (resource.Resources['PlatformRole']?.Properties?.['Policies'] ?? []) as {
      PolicyName: string;
      PolicyDocument: { Statement: { Sid: string; Action: string[] }[] };
    }[];
    assert.deepEqual(
      inline.map((policy) => [policy.name, policy.statements.map((s) => [s['Sid'], s['Action']])]),
      templatePolicies.map((policy) => [
        policy.PolicyName,
        policy.PolicyDocument.Statement.map((s) => [s.Sid, s.Action]),
      ]),
    );
  });
  test('an added write action fails; an added read or an extra policy only warns', () => {
    const name = inline[0]?.name ?? '';
    const doc = { Statement: (inline[0]?.statements ?? []).map((s) => ({ ...s })) };
    doc.Statement[0] = {
      ...doc.Statement[0],
      Action: [...((doc.Statement[0]?.['Action'] as string[]) ?? []), 's3:PutObject'],
    };
    const write = evaluateRolePolicies(
      { managedArns: managed, inline },
      { attachedArns: managed, inline: { [name]: JSON.stringify(doc) } },
    );
    assert.equal(write.status, 'fail');
    assert.match(write.summary, /grants non-read-only s3:putobject/);
    const extra = evaluateRolePolicies(
      { managedArns: managed, inline },
      { attachedArns: [...managed, 'arn:aws:iam::aws:policy/ReadOnlyAccess'], inline: liveInline() },
    );
    assert.equal(extra.status, 'warn');
    assert.match(extra.summary, /extra managed policy ReadOnlyAccess/);
  });
  test('the Billing CUR bucket policy is expected only when the connection names a bucket', () => {
    const billingConnection = { ...connection, kind: 'billing' as const };
    assert.deepEqual(
      expectedRolePolicies(billingConnection).inline.map((p) => p.name),
      ['orgconnect-billing-read'],
    );
    const withBucket = expectedRolePolicies({ ...billingConnection, curBucket: 'b' }).inline;
    assert.deepEqual(
      withBucket.map((p) => p.name),
      ['orgconnect-billing-read', 'orgconnect-cur-bucket-read'],
    );
    assert.deepEqual(withBucket[1]?.statements[0]?.['Resource'], ['arn:aws:s3:::b', 'arn:aws:s3:::b/*']);
  });
  test("the self-inspection statement follows the role path, in the role's partition", () => {
    const statement = (rolePath: string, partition?: string) =>
      expectedRolePolicies({ ...connection, rolePath }, partition).inline[0]?.statements.find(
        (s) => s['Sid'] === 'Tier2SelfInspection',
      )?.['Resource'];
    assert.equal(statement('/cloudzero/'), 'arn:aws:iam::*:role/cloudzero/*');
    assert.equal(statement('/', 'aws-us-gov'), 'arn:aws-us-gov:iam::*:role/*');
  });
});

describe('role-last-used', () => {
  const created = new Date('2025-03-01T00:00:00Z');
  const hours = (h: number) => created.getTime() + h * 3_600_000;
  test('used → pass; never used within the grace period → pass; after it → warn', () => {
    assert.equal(
      evaluateRoleLastUsed(
        { CreateDate: created, RoleLastUsed: { LastUsedDate: new Date(hours(1)), Region: 'us-east-1' } },
        { now: hours(50) },
      ).status,
      'pass',
    );
    assert.equal(
      evaluateRoleLastUsed({ CreateDate: created, RoleLastUsed: {} }, { now: hours(5) }).status,
      'pass',
    );
    const late = evaluateRoleLastUsed({ CreateDate: created, RoleLastUsed: {} }, { now: hours(30) });
    assert.equal(late.status, 'warn');
    assert.match(late.summary, /the platform has not used the role yet \(30 hours/i);
    assert.equal(
      evaluateRoleLastUsed({ CreateDate: created, RoleLastUsed: {} }, { now: hours(30), graceHours: 48 })
        .status,
      'pass',
    );
  });
  test('no RoleLastUsed at all (an endpoint that does not track it) → unknown', () => {
    assert.equal(evaluateRoleLastUsed({ CreateDate: created }, { now: hours(100) }).status, 'unknown');
  });
});

describe('cur (recorded responses)', () => {
  const now = Date.parse('2025-03-01T12:00:00Z');
  const billing = { curBucket: 'acme-billing-reports' };
  test('the recorded account has a usable CUR report and CUR 2.0 export; the FOCUS export is ignored', async () => {
    const evidence = await gatherCurEvidence(recordedCurPort());
    assert.equal(evidence.exports.ok && evidence.exports.value.length, 2);
    const r = evaluateCur(billing, evidence, { now });
    assert.equal(r.status, 'pass', r.summary);
    assert.match(r.summary, /hourly-resources|cur2-hourly/);
    assert.ok(r.detail?.some((line) => /bucket policies not checked/.test(line)));
  });
  test('only the daily report: fail listing every requirement it misses', async () => {
    const daily = recorded<{ ReportDefinitions: never[] }>(
      'cur-describe-report-definitions.json',
    ).ReportDefinitions.slice(0, 1);
    const r = evaluateCur(
      billing,
      await gatherCurEvidence(recordedCurPort({ reports: daily, exports: [] })),
      { now },
    );
    assert.equal(r.status, 'fail');
    for (const part of [
      /DAILY, not HOURLY/,
      /RESOURCES/,
      /textORcsv\/ZIP/,
      /OVERWRITE_REPORT/,
      /RefreshClosedReports/,
    ])
      assert.match(r.summary, part);
  });
  test('stale delivery warns; ERROR_PERMISSIONS, a bucket the role cannot read and a bucket policy without billingreports fail', async () => {
    const stale = evaluateCur(
      billing,
      await gatherCurEvidence(recordedCurPort({ deliveredHoursAgo: { hours: 72, now } })),
      { now },
    );
    assert.equal(stale.status, 'warn');
    assert.match(stale.summary, /last delivered 72 hours ago/);
    const [, hourly] = recorded<{ ReportDefinitions: Record<string, unknown>[] }>(
      'cur-describe-report-definitions.json',
    ).ReportDefinitions;
    const denied = evaluateCur(
      billing,
      {
        reports: { ok: true, value: [{ ...hourly, ReportStatus: { lastStatus: 'ERROR_PERMISSIONS' } }] },
        exports: { ok: true, value: [] },
      },
      { now },
    );
    assert.match(denied.summary, /AWS cannot write to bucket acme-billing-reports/);
    const elsewhere = evaluateCur(
      { curBucket: 'other-bucket' },
      { reports: { ok: true, value: [hourly as never] }, exports: { ok: true, value: [] } },
      { now },
    );
    assert.match(elsewhere.summary, /the role may read only other-bucket/);
    const goodPolicy = JSON.stringify(recorded('s3-bucket-policy-billingreports.json'));
    assert.equal(bucketPolicyAllowsBillingReports(goodPolicy, 'acme-billing-reports'), true);
    const noWrite = evaluateCur(
      billing,
      await gatherCurEvidence(
        recordedCurPort({ bucketPolicies: { 'acme-billing-reports': '{"Statement":[]}' } }),
      ),
      { now },
    );
    assert.equal(noWrite.status, 'fail');
    assert.match(noWrite.summary, /does not let billingreports\.amazonaws\.com write/);
  });
  test('an API that cannot be called is unknown, never pass; none of either → fail', () => {
    const denied = Object.assign(
      new Error('User is not authorized to perform cur:DescribeReportDefinitions'),
      { name: 'AccessDeniedException', $metadata: { httpStatusCode: 400 } },
    );
    const evidence: CurEvidence = {
      reports: { ok: false, reason: cannotCheck(denied, 'cur:DescribeReportDefinitions').reason },
      exports: { ok: true, value: [] },
    };
    const r = evaluateCur(billing, evidence, { now });
    assert.equal(r.status, 'unknown');
    assert.match(r.summary, /access denied/);
    assert.equal(
      evaluateCur(billing, { reports: { ok: true, value: [] }, exports: { ok: true, value: [] } }, { now })
        .status,
      'fail',
    );
  });
});

describe('regions-sts (recorded ListRegions and RegionDisabledException)', () => {
  const listed = recorded<{ Regions: RegionOptStatus[] }>('account-list-regions.json').Regions;
  test('probes the used Regions and the enabled opt-in ones, not disabled ones', () => {
    assert.deepEqual(regionsToProbe(['us-east-1', 'eu-south-1'], listed), ['us-east-1', 'ap-east-1']);
  });
  test('a used Region that is disabled, and STS off in an opt-in Region, fail', () => {
    const disabled = recordedError('sts-region-disabled.json');
    assert.equal(disabled.name, 'RegionDisabledException');
    const r = evaluateRegions(['us-east-1', 'eu-south-1'], { ok: true, regions: listed }, [
      { region: 'us-east-1', ok: true },
      { region: 'ap-east-1', ok: false, disabled: true, reason: disabled.message },
    ]);
    assert.equal(r.status, 'fail');
    assert.match(
      r.summary,
      /Region eu-south-1 is not enabled in this account; STS is not active in ap-east-1/,
    );
  });
  test('ListRegions unavailable → unknown even when STS answered; all good → pass; enabling → warn', () => {
    const notImplemented = Object.assign(
      new SyntaxError(
        'Unexpected token \'<\', "<!doctype "... is not valid JSON\n  Deserialization error: ...',
      ),
      { $metadata: { httpStatusCode: 404 } },
    );
    const unknown = evaluateRegions(
      ['us-east-1'],
      { ok: false, reason: cannotCheck(notImplemented, 'account:ListRegions').reason },
      [{ region: 'us-east-1', ok: true }],
    );
    assert.equal(unknown.status, 'unknown');
    assert.match(unknown.summary, /account:ListRegions: the API is not available/);
    assert.equal(
      evaluateRegions(['us-east-1'], { ok: true, regions: listed }, [
        { region: 'us-east-1', ok: true },
        { region: 'ap-east-1', ok: true },
      ]).status,
      'pass',
    );
    assert.equal(evaluateRegions(['me-central-1'], { ok: true, regions: listed }, []).status, 'warn');
  });
});

describe('stack-status and account-active', () => {
  const stackCheck = async (stack: Partial<Stack> | Error) => {
    const context = createCheckContext({
      connection: { ...connection, templateSha256: 'a'.repeat(64) },
      clients: {
        cloudFormation: {
          send: (async () => {
            if (stack instanceof Error) throw stack;
            return { Stacks: [stack] };
          }) as never,
        },
        iam: { send: (async () => ({})) as never },
        account: { send: (async () => ({})) as never },
        stsIn: () => ({ send: (async () => ({})) as never }),
      },
    });
    return stackStatusCheck.run(context);
  };
  test('statuses map to pass / warn / fail; a missing stack fails; a denied call is unknown', async () => {
    assert.equal(
      (
        await stackCheck({
          StackStatus: 'CREATE_COMPLETE',
          Tags: [{ Key: 'orgconnect:template-sha256', Value: 'a'.repeat(64) }],
        })
      ).status,
      'pass',
    );
    assert.equal(
      (
        await stackCheck({
          StackStatus: 'UPDATE_COMPLETE',
          Tags: [{ Key: 'orgconnect:template-sha256', Value: 'b'.repeat(64) }],
        })
      ).status,
      'warn',
    );
    assert.equal((await stackCheck({ StackStatus: 'UPDATE_ROLLBACK_COMPLETE' })).status, 'warn');
    for (const status of [
      'ROLLBACK_COMPLETE',
      'CREATE_FAILED',
      'DELETE_FAILED',
      'UPDATE_ROLLBACK_FAILED',
      'DELETE_IN_PROGRESS',
    ]) {
      assert.equal(
        (await stackCheck({ StackStatus: status as Stack['StackStatus'] })).status,
        'fail',
        status,
      );
    }
    const missing = await stackCheck(
      Object.assign(new Error('Stack with id orgconnect-resource does not exist'), {
        name: 'ValidationError',
      }),
    );
    assert.equal(missing.status, 'fail');
    const denied = await stackCheck(
      Object.assign(new Error('not authorized'), {
        name: 'AccessDenied',
        $metadata: { httpStatusCode: 403 },
      }),
    );
    assert.equal(denied.status, 'unknown');
    assert.match(denied.summary, /access denied/);
  });
  test('account-active without a discovery is unknown', async () => {
    const r = await accountActiveCheck.run(createCheckContext({ connection }));
    assert.equal(r.status, 'unknown');
    const snapshot = {
      organization: { managementAccountId: '111122223333' },
      accounts: [{ id: connection.accountId, status: 'ACTIVE', state: 'CLOSED' }],
      discoveredAt: 'x',
    } as unknown as OrganizationSnapshot;
    assert.equal((await accountActiveCheck.run(createCheckContext({ connection, snapshot }))).status, 'fail');
  });
});

test('overall: any fail → unhealthy; unknown never healthy; skipped ignored; nothing checked → unknown', () => {
  assert.equal(overallHealth([{ status: 'pass' }, { status: 'skipped' }]), 'healthy');
  assert.equal(overallHealth([{ status: 'pass' }, { status: 'unknown' }]), 'degraded');
  assert.equal(overallHealth([{ status: 'pass' }, { status: 'warn' }]), 'degraded');
  assert.equal(overallHealth([{ status: 'unknown' }, { status: 'fail' }]), 'unhealthy');
  assert.equal(overallHealth([{ status: 'unknown' }, { status: 'skipped' }]), 'unknown');
  assert.equal(overallHealth([]), 'unknown');
});

describe('a check the endpoint cannot answer: unknown with the reason, not counted against health', () => {
  const now = Date.parse('2025-03-01T12:00:00Z');
  const billing = { curBucket: 'acme-billing-reports' };
  const notImplemented = Object.assign(new Error('Deserialization error: <html>'), {
    $metadata: { httpStatusCode: 500 },
  });
  const denied = Object.assign(new Error('not authorized'), {
    name: 'AccessDenied',
    $metadata: { httpStatusCode: 403 },
  });

  test('a missing API is marked not available here; a denied one is a plain unknown', () => {
    const missing = cannotCheckResult('stack-drift', cannotCheck(notImplemented, 'DetectStackDrift'));
    assert.equal(missing.status, 'unknown');
    assert.equal(missing.notAvailableHere, true);
    assert.match(missing.summary, /DetectStackDrift: the API is not available at this endpoint/);
    const refused = cannotCheckResult('stack-drift', cannotCheck(denied, 'DetectStackDrift'));
    assert.equal(refused.status, 'unknown');
    assert.equal(refused.notAvailableHere, undefined);
  });

  test('overall: not-available-here is left out like skipped; a plain unknown still degrades', () => {
    assert.equal(
      overallHealth([{ status: 'pass' }, { status: 'unknown', notAvailableHere: true }]),
      'healthy',
    );
    assert.equal(overallHealth([{ status: 'unknown', notAvailableHere: true }]), 'unknown');
    assert.equal(
      overallHealth([
        { status: 'pass' },
        { status: 'unknown', notAvailableHere: true },
        { status: 'unknown' },
      ]),
      'degraded',
    );
  });

  test('regions-sts: only ListRegions missing while STS answered → not available here; an STS gap is not', () => {
    const listedMissing = {
      ok: false as const,
      reason: cannotCheck(notImplemented, 'account:ListRegions').reason,
      notAvailable: true,
    };
    const onlyList = evaluateRegions(['us-east-1'], listedMissing, [{ region: 'us-east-1', ok: true }]);
    assert.equal(onlyList.status, 'unknown');
    assert.equal(onlyList.notAvailableHere, true);
    const stsGap = evaluateRegions(['us-east-1'], listedMissing, [
      { region: 'us-east-1', ok: false, disabled: false, reason: 'sts: access denied' },
    ]);
    assert.equal(stsGap.status, 'unknown');
    assert.equal(stsGap.notAvailableHere, undefined);
  });

  test('cur: both APIs missing → not available here; one denied → a plain unknown', () => {
    const missing = (what: string) => ({
      ok: false as const,
      reason: cannotCheck(notImplemented, what).reason,
      notAvailable: true,
    });
    const bothMissing = evaluateCur(
      billing,
      { reports: missing('cur:DescribeReportDefinitions'), exports: missing('bcm-data-exports:ListExports') },
      { now },
    );
    assert.equal(bothMissing.status, 'unknown');
    assert.equal(bothMissing.notAvailableHere, true);
    const oneDenied = evaluateCur(
      billing,
      {
        reports: { ok: false, reason: cannotCheck(denied, 'cur:DescribeReportDefinitions').reason },
        exports: missing('bcm-data-exports:ListExports'),
      },
      { now },
    );
    assert.equal(oneDenied.status, 'unknown');
    assert.equal(oneDenied.notAvailableHere, undefined);
  });
});
