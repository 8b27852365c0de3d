import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { computeCoverage } from '../../main/core/health/coverage.js';
import type { Connection } from '../../main/core/health/connection.js';
import { buildGoneDisconnectPlan, type GoneConnection } from '../../main/core/onboarding/disconnect-gone.js';
import type { Plan, PlanItem } from '../../main/core/onboarding/plan.js';
import type { PreflightResult } from '../../main/core/onboarding/preflight.js';
import type { OrgAccount } from '../../main/core/org/types.js';
import { usesOlderTemplate } from '../../main/core/health/health-summary.js';
import { CLOUDZERO_PROFILE } from '../../main/core/platform/cloudzero-profile.js';
import {
  goneConnections,
  repairsFrom,
  syncDeployPlan,
  syncDisconnectRequest,
} from '../../main/core/sync/sync-plan.js';
import type { ConnectionHealth } from '../../main/core/health/check-result.js';

const MGMT = '100000000000';
const OURS = { 'orgconnect:kind': 'resource', 'orgconnect:template-sha256': 'ab'.repeat(32) };

function account(id: string, status: OrgAccount['status'] = 'ACTIVE'): OrgAccount {
  return {
    id,
    arn: `arn:aws:organizations::${MGMT}:account/o-test/${id}`,
    name: `acct-${id.slice(-2)}`,
    email: `${id}@example.com`,
    status,
    state: status === 'ACTIVE' ? 'ACTIVE' : 'SUSPENDED',
    joinedMethod: 'CREATED',
    joinedTimestamp: '2026-01-01T00:00:00.000Z',
    ouId: 'r-root',
    ouPath: 'Root',
    isManagement: id === MGMT,
  };
}

function item(accountId: string, action: PlanItem['action']): PlanItem {
  const kind = accountId === MGMT ? 'billing' : 'resource';
  return {
    accountId,
    accountName: `acct-${accountId.slice(-2)}`,
    ouPath: 'Root',
    kind,
    connectionName: `acct-${accountId.slice(-2)}`,
    stackName: `orgconnect-${kind}`,
    action,
  };
}

function connection(accountId: string, roleArn?: string): Connection {
  return {
    managementAccountId: MGMT,
    accountId,
    accountName: `acct-${accountId.slice(-2)}`,
    ouPath: 'Root',
    kind: 'resource',
    connectionName: `acct-${accountId.slice(-2)}`,
    stackName: 'orgconnect-resource',
    region: 'us-east-1',
    roleName: 'cloudzero-resource',
    rolePath: '/cloudzero/',
    ...(roleArn ? { roleArn } : {}),
    platformAccountId: '061190967865',
    externalIdSha256: 'cd'.repeat(32),
    externalIdLast4: 'ab12',
  };
}

describe('syncDeployPlan', () => {
  test('keeps what would change in active accounts: creates, updates, and blocked active accounts', () => {
    const accounts = [MGMT, '200000000001', '200000000002', '200000000003', '200000000004'].map((id) =>
      account(id, id === '200000000004' ? 'SUSPENDED' : 'ACTIVE'),
    );
    const plan: Plan = {
      managementAccountId: MGMT,
      items: [
        item(MGMT, 'skip'),
        item('200000000001', 'create'),
        item('200000000002', 'update'),
        item('200000000003', 'blocked'),
        item('200000000004', 'blocked'),
      ],
      counts: { total: 5, create: 1, update: 1, skip: 1, blocked: 2, billing: 1, resource: 4 },
    };
    const synced = syncDeployPlan(plan, accounts);
    assert.deepEqual(
      synced.items.map((i) => `${i.accountId}/${i.action}`),
      ['200000000001/create', '200000000002/update', '200000000003/blocked'],
    );
    assert.deepEqual(synced.counts, {
      total: 3,
      create: 1,
      update: 1,
      skip: 0,
      blocked: 1,
      billing: 0,
      resource: 3,
    });
  });
});

describe('goneConnections', () => {
  test('the connections of accounts that closed or left, each with why and its role ARN', () => {
    const accounts = [account(MGMT), account('200000000001'), account('200000000002', 'SUSPENDED')];
    const connections = [
      connection('200000000001'),
      connection('200000000002'),
      connection('200000000009', 'arn:aws:iam::200000000009:role/cloudzero/recorded'),
    ];
    const coverage = computeCoverage({
      snapshot: {
        organization: {
          id: 'o-test',
          arn: 'arn:aws:organizations::100000000000:organization/o-test',
          featureSet: 'ALL',
          managementAccountId: MGMT,
          managementAccountEmail: 'm@example.com',
        },
        accounts,
        discoveredAt: '2026-06-01T00:00:00.000Z',
      },
      connections,
      attempts: [],
      lastLookAt: null,
    });
    const gone = goneConnections(coverage, connections);
    assert.deepEqual(
      gone.map((g) => [g.accountId, g.gone, g.roleArn]),
      [
        ['200000000002', 'closed', 'arn:aws:iam::200000000002:role/cloudzero/cloudzero-resource'],
        ['200000000009', 'left', 'arn:aws:iam::200000000009:role/cloudzero/recorded'],
      ],
    );
  });
});

describe('buildGoneDisconnectPlan', () => {
  const gone = (accountId: string, why: GoneConnection['gone']): GoneConnection => ({
    accountId,
    accountName: `acct-${accountId.slice(-2)}`,
    ouPath: 'Root',
    kind: 'resource',
    connectionName: `acct-${accountId.slice(-2)}`,
    stackName: 'orgconnect-resource',
    roleArn: `arn:aws:iam::${accountId}:role/cloudzero/cloudzero-resource`,
    gone: why,
  });
  const stack = (tags: Record<string, string>) => ({
    stackId: 'arn:stack',
    stackName: 'orgconnect-resource',
    status: 'CREATE_COMPLETE',
    tags,
    parameters: {},
    outputs: {},
  });

  test('a reachable closed account with its orgconnect stack: delete; everything else: deregister only, saying why', () => {
    const preflight: PreflightResult[] = [
      { accountId: '200000000001', ok: true, identityArn: 'x', stack: stack(OURS), platformRole: 'exists' },
      {
        accountId: '200000000002',
        ok: false,
        code: 'ACCESS_ROLE_DENIED',
        reason: 'AssumeRole was denied',
      },
      { accountId: '200000000003', ok: true, identityArn: 'x', stack: null, platformRole: 'absent' },
      {
        accountId: '200000000004',
        ok: true,
        identityArn: 'x',
        stack: stack({ owner: 'someone-else' }),
        platformRole: 'exists',
      },
    ];
    const plan = buildGoneDisconnectPlan(
      MGMT,
      [
        gone('200000000001', 'closed'),
        gone('200000000002', 'closed'),
        gone('200000000003', 'closed'),
        gone('200000000004', 'closed'),
        gone('200000000005', 'left'),
      ],
      preflight,
    );
    assert.deepEqual(
      plan.items.map((i) => [i.accountId, i.action, i.code]),
      [
        ['200000000001', 'delete', undefined],
        ['200000000002', 'deregister', 'ACCOUNT_CLOSED'],
        ['200000000003', 'deregister', 'ACCOUNT_CLOSED'],
        ['200000000004', 'deregister', 'ACCOUNT_CLOSED'],
        ['200000000005', 'deregister', 'ACCOUNT_LEFT'],
      ],
    );
    assert.match(plan.items[1]?.reason ?? '', /could not be reached \(AssumeRole was denied\)/);
    assert.match(plan.items[3]?.reason ?? '', /lacks orgconnect's tag/);
    assert.match(plan.items[4]?.reason ?? '', /left the Organization/);
    assert.ok(plan.items.every((i) => i.roleArn?.startsWith(`arn:aws:iam::${i.accountId}:`)));
    assert.deepEqual(plan.counts, { total: 5, delete: 1, deregister: 4, skip: 0, blocked: 0 });
  });
});

describe('syncDisconnectRequest', () => {
  test('speaks to the same platform account and endpoint, with the same access, as the deploy side', () => {
    assert.deepEqual(
      syncDisconnectRequest({
        externalId: 'ext-1234567890',
        platformAccountIds: ['111111111111', '222222222222'],
        accessRoleName: 'Admin',
        platformUrl: 'https://platform.example/link',
        select: 'all',
      }),
      {
        externalId: 'ext-1234567890',
        platformAccountId: '111111111111',
        accessRoleName: 'Admin',
        platformUrl: 'https://platform.example/link',
      },
    );
  });
});

describe('usesOlderTemplate (the Health "Update" banner)', () => {
  test('older than the profile, or never recorded: older; the current version: not', () => {
    const current = CLOUDZERO_PROFILE.version;
    assert.equal(usesOlderTemplate({ platform: { id: 'cloudzero', version: current } }), false);
    assert.equal(usesOlderTemplate({ platform: { id: 'cloudzero', version: '2020-01-01' } }), true);
    assert.equal(usesOlderTemplate({}), true);
    assert.ok(current > '2020-01-01');
  });
});

describe('repairs', () => {
  const health = (key: string, checks: { id: string; status: string; summary: string }[]) =>
    ({ connectionKey: key, checks }) as unknown as ConnectionHealth;

  test('a failed role-exists, role-trust or role-policies check is a repair; other failures and warnings are not', () => {
    const repairs = repairsFrom([
      health('200000000001/resource', [
        { id: 'role-trust', status: 'fail', summary: 'The role trusts 999999999999.' },
      ]),
      health('200000000002/resource', [
        { id: 'role-last-used', status: 'fail', summary: 'Never used.' },
        { id: 'role-policies', status: 'warn', summary: 'An extra policy.' },
      ]),
      health('200000000003/resource', [{ id: 'role-exists', status: 'fail', summary: 'The role is gone.' }]),
    ]);
    assert.deepEqual([...repairs.keys()], ['200000000001/resource', '200000000003/resource']);
    assert.match(repairs.get('200000000001/resource') ?? '', /^Repair: The role trusts 999999999999\. /);
  });

  test('a failure checked before the connection was last deployed repairs nothing', () => {
    const failed = {
      connectionKey: '200000000001/resource',
      checkedAt: '2026-06-01T10:00:00.000Z',
      checks: [{ id: 'role-trust', status: 'fail', summary: 'The role trusts 999999999999.' }],
    } as unknown as ConnectionHealth;
    const deployed = (createdAt: string) => [
      { accountId: '200000000001', kind: 'resource' as const, createdAt },
    ];
    assert.equal(repairsFrom([failed], deployed('2026-06-01T11:00:00.000Z')).size, 0);
    assert.equal(repairsFrom([failed], deployed('2026-06-01T09:00:00.000Z')).size, 1);
  });

  test('syncDeployPlan turns a repaired skip into a replacing update and leaves other skips out', () => {
    const plan: Plan = {
      managementAccountId: MGMT,
      items: [item(MGMT, 'skip'), item('200000000001', 'skip'), item('200000000002', 'skip')],
      counts: { total: 3, create: 0, update: 0, skip: 3, blocked: 0, billing: 1, resource: 2 },
    };
    const synced = syncDeployPlan(
      plan,
      [MGMT, '200000000001', '200000000002'].map((id) => account(id)),
      new Map([['200000000001/resource', 'Repair: the trust changed.']]),
    );
    assert.deepEqual(synced.items, [
      { ...item('200000000001', 'update'), replace: true, reason: 'Repair: the trust changed.' },
    ]);
    assert.equal(synced.counts.update, 1);
  });
});
