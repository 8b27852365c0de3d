// The platform-registration check reads what the run journaled about the platform's answer.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createCheckContext } from '../../main/core/health/check-context.js';
import { platformRegistrationCheck } from '../../main/core/health/checks/platform-registration.js';
import type { Connection } from '../../main/core/health/connection.js';

const ROLE = 'arn:aws:iam::222222222222:role/orgconnect-platform-resource';
const base: Connection = {
  managementAccountId: '111111111111',
  accountId: '222222222222',
  accountName: 'prod',
  ouPath: 'Root',
  kind: 'resource',
  connectionName: 'prod',
  stackName: 'orgconnect-resource',
  region: 'us-east-1',
  roleName: 'orgconnect-platform-resource',
  rolePath: '/',
  roleArn: ROLE,
  platformAccountId: '061190967865',
  externalIdSha256: 'a'.repeat(64),
  externalIdLast4: 'f2a9',
};
const at = '2026-12-01T10:00:00.000Z';
const endpoint = 'https://api.cloudzero.com/accounts/v1/link';

async function check(connection: Connection) {
  return platformRegistrationCheck.run(createCheckContext({ connection }));
}

test('pass when the platform accepted this role; fail when refused or when the role changed since; warn when never sent', async () => {
  const accepted = await check({
    ...base,
    registration: { status: 'registered', at, endpoint, httpStatus: 200, roleArn: ROLE, attempts: 2 },
  });
  assert.equal(accepted.status, 'pass');
  assert.match(accepted.summary, /2026-12-01T10:00:00.000Z \(HTTP 200\)/);

  const refused = await check({
    ...base,
    registration: {
      status: 'failed',
      at,
      endpoint,
      code: 'PLATFORM_REFUSED',
      reason: 'api.cloudzero.com refused the connection (HTTP 403): unknown external id',
      fix: 'Check the External ID',
      httpStatus: 403,
      attempts: 1,
    },
  });
  assert.equal(refused.status, 'fail');
  assert.match(refused.summary, /HTTP 403/);
  assert.equal(refused.fix, 'Check the External ID');

  const stale = await check({
    ...base,
    roleArn: 'arn:aws:iam::222222222222:role/cloudzero/orgconnect-platform-resource',
    registration: { status: 'registered', at, endpoint, httpStatus: 200, roleArn: ROLE, attempts: 1 },
  });
  assert.equal(stale.status, 'fail');
  assert.match(stale.summary, /is now/);

  const off = await check({
    ...base,
    registration: { status: 'not-sent', at, reason: 'registration turned off (--no-register)' },
  });
  assert.equal(off.status, 'warn');
  assert.match(off.fix ?? '', /orgconnect register/);
  assert.equal((await check(base)).status, 'warn');
});
