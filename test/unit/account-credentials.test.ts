import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  createAccountCredentials,
  type AccountCredentialsOptions,
} from '../../main/core/onboarding/account-credentials.js';
import { createVirtualClock } from '../../main/core/clock.js';
import { awsError, FakeSts } from '../support/fake-cloudformation.js';
import type { StsSender } from '../../main/core/onboarding/account-credentials.js';

const MGMT = '111111111111';
const MEMBER = '222222222222';

function setup(extra: Partial<AccountCredentialsOptions> = {}) {
  const clock = createVirtualClock();
  const sts = new FakeSts(MGMT, clock);
  let managementCalls = 0;
  const source = createAccountCredentials({
    managementCredentials: async () => {
      managementCalls++;
      return { accessKeyId: 'AKIAMANAGEMENT', secretAccessKey: 'm' };
    },
    region: 'us-east-1',
    sts: sts.client() as StsSender,
    clock,
    ...extra,
  });
  return { clock, sts, source, managementCalls: () => managementCalls };
}

describe('account credentials', () => {
  test('assumes the access role for 3600 s, caches it, refreshes it within 5 minutes of expiry', async () => {
    const { clock, sts, source } = setup();
    const first = await source.credentialsFor(MEMBER);
    assert.match(first.accessKeyId, /^ASIA222222222222/);
    assert.equal(first.expiration?.getTime(), clock.now() + 3600_000);
    clock.advance(50 * 60_000);
    assert.equal((await source.credentialsFor(MEMBER)).accessKeyId, first.accessKeyId, 'cached at 50 min');
    clock.advance(6 * 60_000); // 56 min: 4 minutes left, inside the refresh window
    const second = await source.credentialsFor(MEMBER);
    assert.notEqual(second.accessKeyId, first.accessKeyId);
    assert.deepEqual(sts.assumed, [MEMBER, MEMBER]);
  });

  test('concurrent callers for one account share one AssumeRole', async () => {
    const { sts, source } = setup();
    let release = (): void => undefined;
    sts.hold = new Promise((resolve) => (release = resolve));
    const pending = Array.from({ length: 8 }, () => source.credentialsFor(MEMBER));
    const other = source.credentialsFor('333333333333');
    await new Promise((resolve) => setImmediate(resolve));
    release();
    const results = await Promise.all(pending);
    await other;
    assert.equal(new Set(results.map((c) => c.accessKeyId)).size, 1);
    assert.deepEqual(sts.assumed.sort(), [MEMBER, '333333333333']);
  });

  test('the management account uses the management credentials directly (looked up once if not given)', async () => {
    const { sts, source, managementCalls } = setup();
    assert.equal((await source.credentialsFor(MGMT)).accessKeyId, 'AKIAMANAGEMENT');
    assert.equal((await source.credentialsFor(MGMT)).accessKeyId, 'AKIAMANAGEMENT');
    assert.equal(await source.managementAccountId(), MGMT);
    assert.deepEqual(sts.assumed, []);
    assert.equal(managementCalls(), 1, 'static management credentials are cached too');
  });

  test('a missing access role → ACCESS_ROLE_MISSING with the fix, after a short eventual-consistency budget', async () => {
    const { clock, sts, source } = setup({
      accessRoleName: 'CustomAccess',
      retry: { eventualConsistencyAttempts: 3 },
    });
    sts.missingRole.add(MEMBER);
    await assert.rejects(
      source.credentialsFor(MEMBER),
      (error: { code?: string; message?: string; fix?: string }) => {
        assert.equal(error.code, 'ACCESS_ROLE_MISSING');
        assert.equal(error.message, `Could not assume CustomAccess in ${MEMBER}.`);
        assert.match(error.fix ?? '', /Create CustomAccess in 222222222222/);
        assert.match(error.fix ?? '', /Identity Center/);
        return true;
      },
    );
    assert.equal(sts.assumed.length, 3);
    assert.ok(clock.slept > 0 && clock.slept < 10_000, `waited ${clock.slept} ms`);
    // A role created meanwhile is picked up: failures are not cached.
    sts.missingRole.delete(MEMBER);
    assert.match((await source.credentialsFor(MEMBER)).accessKeyId, /^ASIA/);
  });

  test('a just-created role that is briefly not assumable succeeds on retry', async () => {
    const { sts, source } = setup();
    sts.failNext(
      awsError(
        'AccessDenied',
        `User: x is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::${MEMBER}:role/OrganizationAccountAccessRole`,
        403,
      ),
    );
    assert.match((await source.credentialsFor(MEMBER)).accessKeyId, /^ASIA/);
    assert.equal(sts.assumed.length, 2);
  });

  test('expired management credentials → MANAGEMENT_CREDENTIALS_INVALID; throttling is retried', async () => {
    const { sts, source } = setup({ managementAccountId: MGMT });
    sts.failNext(awsError('ExpiredToken', 'The security token included in the request is expired', 403));
    await assert.rejects(source.credentialsFor(MEMBER), { code: 'MANAGEMENT_CREDENTIALS_INVALID' });
    sts.failNext(awsError('Throttling', 'Rate exceeded'), awsError('Throttling', 'Rate exceeded'));
    assert.match((await source.credentialsFor(MEMBER)).accessKeyId, /^ASIA/);
  });

  test('invalidate forgets cached credentials', async () => {
    const { sts, source } = setup();
    const first = await source.credentialsFor(MEMBER);
    source.invalidate(MEMBER);
    assert.notEqual((await source.credentialsFor(MEMBER)).accessKeyId, first.accessKeyId);
    assert.equal(sts.assumed.length, 2);
  });
});
