// The fix for each Region problem (API where one exists, else the exact console path), as plan and Health show it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { evaluateRegions, type RegionOptStatus } from '../../main/core/health/checks/regions-sts.js';
import { assessRegions } from '../../main/core/regions/region-readiness.js';
import { recorded, recordedAccountClient } from '../fixtures/recorded/recorded.js';

const listed = recorded<{ Regions: RegionOptStatus[] }>('account-list-regions.json').Regions;

test('Health: an off Region points at --enable-regions, an inactive STS endpoint at the IAM console path', () => {
  const r = evaluateRegions(['us-east-1', 'eu-south-1'], { ok: true, regions: listed }, [
    { region: 'us-east-1', ok: true },
    { region: 'ap-east-1', ok: false, disabled: true, reason: 'STS is not active in ap-east-1' },
  ]);
  assert.equal(r.status, 'fail');
  assert.match(
    r.fix ?? '',
    /eu-south-1: orgconnect deploy --regions eu-south-1 --enable-regions enables it \(account:EnableRegion/,
  );
  assert.match(
    r.fix ?? '',
    /ap-east-1: IAM console > Account settings > Security Token Service \(STS\) > Endpoints > ap-east-1 > Activate/,
  );
});

test('plan: recorded ListRegions → a DISABLED Region in use is an API fix, ENABLING a wait, enabled ones no gap', async () => {
  const readiness = await assessRegions(recordedAccountClient(), {
    managementAccountId: '111111111111',
    targets: [{ accountId: '111111111111', accountName: 'mgmt' }],
    regionsInUse: ['us-east-1', 'eu-south-1', 'me-central-1', 'ap-east-1'],
  });
  assert.deepEqual(
    readiness.gaps.map((g) => [g.region, g.problem, g.fix.kind]),
    [
      ['eu-south-1', 'not-enabled', 'api'],
      ['me-central-1', 'enabling', 'wait'],
    ],
  );
});

test('plan: an account whose Regions cannot be read is unchecked, with why — not a gap', async () => {
  const denied = {
    send: (async () => {
      throw Object.assign(new Error('not authorized'), {
        name: 'AccessDeniedException',
        $metadata: { httpStatusCode: 403 },
      });
    }) as never,
  };
  const readiness = await assessRegions(denied, {
    managementAccountId: '111111111111',
    targets: [{ accountId: '222222222222', accountName: 'member' }],
    regionsInUse: ['eu-south-1'],
  });
  assert.deepEqual(readiness.gaps, []);
  assert.equal(readiness.unchecked[0]?.accountId, '222222222222');
  assert.match(readiness.unchecked[0]?.reason ?? '', /account:ListRegions/);
});

test('plan: only default Regions in use → no Account API call at all', async () => {
  let calls = 0;
  const counting = { send: (async () => (calls++, { Regions: [] })) as never };
  const readiness = await assessRegions(counting, {
    managementAccountId: '111111111111',
    targets: [{ accountId: '222222222222', accountName: 'member' }],
    regionsInUse: ['us-east-1', 'eu-west-1'],
  });
  assert.equal(calls, 0);
  assert.deepEqual(readiness.gaps, []);
  assert.deepEqual(readiness.unchecked, []);
});
