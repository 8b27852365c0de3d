// From the user's flags to a platform choice, and from a journaled choice back to the same profile.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { platformChoiceFor, resolvePlatformProfile } from '../../main/core/platform/platforms.js';
import { CLOUDZERO_PROFILE } from '../../main/core/platform/cloudzero-profile.js';
import {
  formatPlatformStamp,
  parsePlatformStamp,
  platformRecordSchema,
} from '../../main/core/platform/platform-profile.js';
import { runSettingsRecordSchema } from '../../main/core/onboarding/run-events.js';

const usage = (code: string) => (error: unknown) => {
  assert.equal((error as { code?: string }).code, code);
  assert.ok((error as { fix?: string }).fix, 'a usage error says how to fix it');
  return true;
};

describe('platformChoiceFor', () => {
  test('CloudZero is the default; its own accounts and path may be restated, nothing else', () => {
    assert.deepEqual(platformChoiceFor({}), { id: 'cloudzero' });
    assert.deepEqual(platformChoiceFor({ platformAccountIds: ['061190967865'], rolePath: '/cloudzero/' }), {
      id: 'cloudzero',
    });
    assert.throws(
      () => platformChoiceFor({ platformAccountIds: ['111122223333'] }),
      usage('USAGE_PLATFORM_ACCOUNT_NOT_CLOUDZERO'),
    );
    assert.throws(() => platformChoiceFor({ rolePath: '/' }), usage('USAGE_ROLE_PATH_FIXED'));
    assert.throws(
      () => platformChoiceFor({ managedPolicyArns: ['arn:aws:iam::aws:policy/ReadOnlyAccess'] }),
      usage('USAGE_MANAGED_POLICY_FIXED'),
    );
    assert.throws(() => platformChoiceFor({ platform: 'acme' }), usage('USAGE_PLATFORM_UNKNOWN'));
  });

  test('custom needs at least one account, takes several, and checks ids and ARNs', () => {
    assert.deepEqual(
      platformChoiceFor({
        platform: 'custom',
        platformAccountIds: ['111122223333', '444455556666', '111122223333'],
      }),
      { id: 'custom', accountIds: ['111122223333', '444455556666'] },
    );
    assert.throws(() => platformChoiceFor({ platform: 'custom' }), usage('USAGE_PLATFORM_ACCOUNT_MISSING'));
    assert.throws(
      () => platformChoiceFor({ platform: 'custom', platformAccountIds: ['12345'] }),
      (error: unknown) => (error as { code?: string }).code === 'USAGE_PLATFORM_ACCOUNT_INVALID',
    );
    assert.throws(
      () =>
        platformChoiceFor({
          platform: 'custom',
          platformAccountIds: ['111122223333'],
          managedPolicyArns: ['ReadOnly'],
        }),
      usage('USAGE_MANAGED_POLICY_INVALID'),
    );
  });

  test('a journaled choice resolves to the same profile', () => {
    const custom = platformChoiceFor({
      platform: 'custom',
      platformAccountIds: ['111122223333'],
      managedPolicyArns: ['arn:aws:iam::aws:policy/job-function/ViewOnlyAccess'],
      rolePath: '/cost/',
    });
    const record = platformRecordSchema.parse({ ...custom, version: '2026-06-16' });
    const profile = resolvePlatformProfile(record);
    assert.deepEqual(profile.trustedAccountIds, ['111122223333']);
    assert.deepEqual(profile.managedPolicyArns, ['arn:aws:iam::aws:policy/job-function/ViewOnlyAccess']);
    assert.equal(resolvePlatformProfile({ id: 'cloudzero' }), CLOUDZERO_PROFILE);
  });
});

describe('platform stamps and run records', () => {
  test('a stamp reads back from its stack tag; anything else is no stamp', () => {
    const stamp = { id: 'cloudzero' as const, version: '2026-06-16' };
    assert.deepEqual(parsePlatformStamp(formatPlatformStamp(stamp)), stamp);
    for (const text of [undefined, '', 'cloudzero', 'acme@2026-06-16', 'cloudzero@16.06.2026'])
      assert.equal(parsePlatformStamp(text), undefined, String(text));
  });

  test('the run settings record keeps the profile id and version, and old records without it still parse', () => {
    const base = {
      platformAccountId: '061190967865',
      externalIdSha256: 'a'.repeat(64),
      externalIdLast4: 'abcd',
      accessRoleName: 'OrganizationAccountAccessRole',
      region: 'us-east-1',
      concurrency: 8,
    };
    assert.equal(runSettingsRecordSchema.parse(base).platform, undefined);
    const parsed = runSettingsRecordSchema.parse({
      ...base,
      platform: { id: 'cloudzero', version: '2026-06-16' },
      externalId: 'must-not-be-kept',
    });
    assert.deepEqual(parsed.platform, { id: 'cloudzero', version: '2026-06-16' });
    assert.doesNotMatch(JSON.stringify(parsed), /must-not-be-kept/);
  });
});
