import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { OrgConnectError } from '../../main/core/errors.js';
import {
  discoverOrganization,
  ORG_ACCESS_FIX,
  type DiscoveryProgress,
  type OrganizationSnapshot,
} from '../../main/core/org/index.js';
import {
  fakeOrganizationsApi,
  managementOrganization,
  type FakeAccount,
  type FakeOrganizationsModel,
  type FakeOu,
} from '../support/fake-organizations-api.js';

const MANAGEMENT = '111111111111';
const ROOT = 'r-ab12';

/** Root/{Workloads/{Prod/{Payments,Search},Dev},Security} with accounts at every level. */
function model(overrides: Partial<FakeOrganizationsModel> = {}): FakeOrganizationsModel {
  const ous: FakeOu[] = [
    { Id: 'ou-ab12-work0001', Name: 'Workloads', ParentId: ROOT },
    { Id: 'ou-ab12-secu0001', Name: 'Security', ParentId: ROOT },
    { Id: 'ou-ab12-prod0001', Name: 'Prod', ParentId: 'ou-ab12-work0001' },
    { Id: 'ou-ab12-dev00001', Name: 'Dev', ParentId: 'ou-ab12-work0001' },
    { Id: 'ou-ab12-paym0001', Name: 'Payments', ParentId: 'ou-ab12-prod0001' },
    { Id: 'ou-ab12-srch0001', Name: 'Search', ParentId: 'ou-ab12-prod0001' },
  ];
  const account = (
    id: string,
    name: string,
    parent: string,
    extra: Partial<FakeAccount> = {},
  ): FakeAccount => ({
    Id: id,
    Name: name,
    Email: `${name}@example.com`,
    ParentId: parent,
    Status: 'ACTIVE',
    State: 'ACTIVE',
    JoinedMethod: 'CREATED',
    JoinedTimestamp: 1_700_000_000,
    ...extra,
  });
  const accounts: FakeAccount[] = [
    account(MANAGEMENT, 'management', ROOT, { JoinedMethod: 'INVITED' }),
    account('200000000001', 'audit', 'ou-ab12-secu0001'),
    account('200000000002', 'dev-a', 'ou-ab12-dev00001'),
    account('200000000003', 'closing', 'ou-ab12-dev00001', {
      Status: 'PENDING_CLOSURE',
      State: 'PENDING_CLOSURE',
    }),
    // Five in one OU, so with two per page its listing spans three real pages.
    ...['e', 'a', 'd', 'b', 'c'].map((n, i) => account(`30000000000${i}`, `pay-${n}`, 'ou-ab12-paym0001')),
    account('400000000001', 'gone', 'ou-ab12-srch0001', { Status: 'SUSPENDED', State: 'SUSPENDED' }),
  ];
  return {
    ...managementOrganization(MANAGEMENT, ROOT),
    ous,
    accounts,
    ...overrides,
  };
}

async function rejection(promise: Promise<unknown>): Promise<OrgConnectError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof OrgConnectError, `expected an OrgConnectError, got ${String(error)}`);
    return error;
  }
  assert.fail('expected discovery to fail');
}

function accountsByName(
  snapshot: OrganizationSnapshot,
): Map<string, OrganizationSnapshot['accounts'][number]> {
  return new Map(snapshot.accounts.map((a) => [a.name, a]));
}

describe('discoverOrganization (fake Organizations API behind the real SDK)', () => {
  test('follows empty pages that carry a NextToken and multi-page listings to the end', async () => {
    const api = fakeOrganizationsApi(model({ pageSize: 2, emptyPagesFirst: 2 }));
    const snapshot = await discoverOrganization(api.clients);

    assert.equal(snapshot.accounts.length, 10);
    const byName = accountsByName(snapshot);
    for (const name of ['pay-a', 'pay-b', 'pay-c', 'pay-d', 'pay-e']) {
      assert.equal(byName.get(name)?.ouPath, 'Root/Workloads/Prod/Payments', name);
    }
    // Every list began with two empty pages whose tokens were followed; Payments then needed three real pages.
    const paymentsCalls = api.calls.filter(
      (c) => c.action === 'ListAccountsForParent' && c.params['ParentId'] === 'ou-ab12-paym0001',
    );
    assert.deepEqual(
      paymentsCalls.map((c) => c.params['NextToken'] ?? null),
      [null, 'e1', 'e2', 'p2', 'p4'],
    );
    assert.ok(
      api.calls
        .filter((c) => c.action !== 'DescribeOrganization')
        .every((c) => c.action.startsWith('sts:') || c.params['MaxResults'] === 20),
    );
  });

  test('builds OU paths from the root name and places, flags and sorts every account', async () => {
    const api = fakeOrganizationsApi(model());
    const snapshot = await discoverOrganization(api.clients);

    assert.deepEqual(snapshot.roots, [{ id: ROOT, name: 'Root' }]);
    assert.deepEqual(
      snapshot.ous.map((ou) => [ou.path, ou.parentId]),
      [
        ['Root/Security', ROOT],
        ['Root/Workloads', ROOT],
        ['Root/Workloads/Dev', 'ou-ab12-work0001'],
        ['Root/Workloads/Prod', 'ou-ab12-work0001'],
        ['Root/Workloads/Prod/Payments', 'ou-ab12-prod0001'],
        ['Root/Workloads/Prod/Search', 'ou-ab12-prod0001'],
      ],
    );
    assert.deepEqual(
      snapshot.accounts.map((a) => `${a.ouPath}:${a.name}`),
      [
        'Root:management',
        'Root/Security:audit',
        'Root/Workloads/Dev:closing',
        'Root/Workloads/Dev:dev-a',
        'Root/Workloads/Prod/Payments:pay-a',
        'Root/Workloads/Prod/Payments:pay-b',
        'Root/Workloads/Prod/Payments:pay-c',
        'Root/Workloads/Prod/Payments:pay-d',
        'Root/Workloads/Prod/Payments:pay-e',
        'Root/Workloads/Prod/Search:gone',
      ],
    );
    const byName = accountsByName(snapshot);
    assert.deepEqual(
      snapshot.accounts.filter((a) => a.isManagement).map((a) => a.id),
      [MANAGEMENT],
    );
    assert.equal(byName.get('management')?.joinedMethod, 'INVITED');
    assert.equal(byName.get('closing')?.status, 'PENDING_CLOSURE');
    assert.equal(byName.get('gone')?.status, 'SUSPENDED');
    assert.equal(byName.get('audit')?.ouId, 'ou-ab12-secu0001');
    assert.equal(byName.get('audit')?.joinedTimestamp, '2023-11-14T22:13:20.000Z');
    assert.deepEqual(snapshot.caller, {
      accountId: MANAGEMENT,
      arn: `arn:aws:iam::${MANAGEMENT}:user/admin`,
      isManagementAccount: true,
    });
    assert.equal(snapshot.organization.managementAccountEmail, 'management@example.com');
    // The snapshot is plain JSON: what the CLI prints is what a host receives.
    assert.deepEqual(JSON.parse(JSON.stringify(snapshot)), snapshot);
  });

  test('TooManyRequestsException is retried by the SDK standard strategy, one request per attempt', async () => {
    const api = fakeOrganizationsApi(
      model({ faults: [{ action: 'ListAccountsForParent', code: 'TooManyRequestsException', times: 2 }] }),
    );
    const snapshot = await discoverOrganization(api.clients);
    assert.equal(snapshot.accounts.length, 10);
    // Seven parents (root + six OUs) of one page each, plus the two throttled answers: the SDK made one request
    // per attempt and discovery added no retry loop of its own.
    assert.equal(api.calls.filter((c) => c.action === 'ListAccountsForParent').length, 7 + 2);
  });

  test('persistent throttling ends after the client maxAttempts with AWS_THROTTLED', async () => {
    const api = fakeOrganizationsApi(
      model({
        faults: [{ action: 'DescribeOrganization', code: 'TooManyRequestsException', times: Infinity }],
      }),
      { maxAttempts: 2 },
    );
    const error = await rejection(discoverOrganization(api.clients));
    assert.equal(error.code, 'AWS_THROTTLED');
    assert.equal(error.message, 'AWS kept throttling organizations:DescribeOrganization after 2 attempts.');
    assert.equal(api.calls.filter((c) => c.action === 'DescribeOrganization').length, 2);
  });

  test('AccessDeniedException names the caller and the exact action, is not retried, and stops the walk', async () => {
    const api = fakeOrganizationsApi(
      model({
        faults: [
          {
            action: 'ListOrganizationalUnitsForParent',
            code: 'AccessDeniedException',
            message: "You don't have permissions to access this resource.",
            times: Infinity,
          },
        ],
      }),
    );
    const error = await rejection(discoverOrganization(api.clients));
    assert.equal(error.code, 'ORG_ACCESS_DENIED');
    assert.equal(
      error.message,
      `arn:aws:iam::${MANAGEMENT}:user/admin may not call organizations:ListOrganizationalUnitsForParent.`,
    );
    assert.equal(error.fix, ORG_ACCESS_FIX);
    assert.equal(api.calls.filter((c) => c.action === 'ListOrganizationalUnitsForParent').length, 1);
  });

  test('a member account that may not list the tree gets ORG_ACCESS_DENIED saying it is a member', async () => {
    const member = '200000000001';
    const api = fakeOrganizationsApi(
      model({
        caller: { account: member, arn: `arn:aws:sts::${member}:assumed-role/Reader/me` },
        faults: [
          { action: 'ListAccountsForParent', code: 'AccessDeniedException', times: Infinity },
          { action: 'ListOrganizationalUnitsForParent', code: 'AccessDeniedException', times: Infinity },
        ],
      }),
    );
    const error = await rejection(discoverOrganization(api.clients));
    assert.equal(error.code, 'ORG_ACCESS_DENIED');
    assert.match(
      error.message,
      new RegExp(
        `^arn:aws:sts::${member}:assumed-role/Reader/me may not call organizations:List(Accounts|OrganizationalUnits)ForParent\\. ` +
          `Account ${member} is a member of o-abcdefghij, not its management account\\.$`,
      ),
    );
  });

  test('a delegated administrator (a member that may list) gets the snapshot, not flagged as management', async () => {
    const delegated = '200000000001';
    const api = fakeOrganizationsApi(
      model({ caller: { account: delegated, arn: `arn:aws:iam::${delegated}:user/delegate` } }),
    );
    const snapshot = await discoverOrganization(api.clients);
    assert.equal(snapshot.caller.isManagementAccount, false);
    assert.equal(snapshot.caller.accountId, delegated);
    assert.equal(snapshot.accounts.find((a) => a.id === delegated)?.isManagement, false);
    assert.equal(snapshot.accounts.find((a) => a.id === MANAGEMENT)?.isManagement, true);
  });

  test('consolidated billing only → ORG_NOT_ALL_FEATURES before any listing', async () => {
    const base = model();
    assert.ok(base.organization);
    const api = fakeOrganizationsApi({
      ...base,
      organization: { ...base.organization, FeatureSet: 'CONSOLIDATED_BILLING' },
    });
    const error = await rejection(discoverOrganization(api.clients));
    assert.equal(error.code, 'ORG_NOT_ALL_FEATURES');
    assert.equal(error.message, 'Organization o-abcdefghij has only consolidated billing features enabled.');
    assert.match(
      error.fix ?? '',
      /^Enable all features in AWS Organizations \(Settings → Enable all features\)/,
    );
    assert.deepEqual(
      api.calls.map((c) => c.action),
      ['sts:GetCallerIdentity', 'DescribeOrganization'],
    );
  });

  test('no Organization → NOT_IN_ORGANIZATION', async () => {
    const api = fakeOrganizationsApi(model({ organization: null }));
    const error = await rejection(discoverOrganization(api.clients));
    assert.equal(error.code, 'NOT_IN_ORGANIZATION');
    assert.match(error.message, /111111111111/);
  });

  test('concurrency bounds the Organizations calls in flight', async () => {
    const wide = model({
      latencyMs: 15,
      ous: Array.from({ length: 8 }, (_, i) => ({
        Id: `ou-ab12-wide000${i}`,
        Name: `W${i}`,
        ParentId: ROOT,
      })),
      accounts: [],
    });
    const narrow = fakeOrganizationsApi(wide);
    await discoverOrganization(narrow.clients, { concurrency: 2 });
    assert.equal(narrow.maxInFlight(), 2);

    const broad = fakeOrganizationsApi(wide);
    const snapshot = await discoverOrganization(broad.clients, { concurrency: 6 });
    assert.equal(broad.maxInFlight(), 6);
    assert.equal(snapshot.ous.length, 8);
  });

  test('rejects a concurrency below 1', async () => {
    const api = fakeOrganizationsApi(model());
    const error = await rejection(discoverOrganization(api.clients, { concurrency: 0 }));
    assert.equal(error.code, 'INVALID_ARGUMENT');
    assert.equal(api.calls.length, 0);
  });

  test('cancelling stops discovery with CANCELLED_ABORTED and starts no further calls', async () => {
    const api = fakeOrganizationsApi(model({ latencyMs: 10, pageSize: 1 }));
    const controller = new AbortController();
    const error = await rejection(
      discoverOrganization(api.clients, {
        signal: controller.signal,
        concurrency: 2,
        onProgress: (p) => {
          if (p.phase === 'tree' && p.done > 0) controller.abort();
        },
      }),
    );
    assert.equal(error.code, 'CANCELLED_ABORTED');
    const callsAtCancel = api.calls.length;
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.equal(api.calls.length, callsAtCancel);
    assert.ok(callsAtCancel < 20, `the walk should have stopped early, made ${callsAtCancel} calls`);
  });

  test('an account listed under two parents (moved during the walk) appears once', async () => {
    const base = model();
    const moved = base.accounts.find((a) => a.Name === 'audit');
    assert.ok(moved);
    const api = fakeOrganizationsApi({
      ...base,
      accounts: [...base.accounts, { ...moved, ParentId: 'ou-ab12-dev00001' }],
    });
    const snapshot = await discoverOrganization(api.clients);
    assert.equal(snapshot.accounts.filter((a) => a.id === moved.Id).length, 1);
    assert.equal(snapshot.accounts.length, 10);
  });

  test('reports progress through the phases with accounts found so far', async () => {
    const api = fakeOrganizationsApi(model({ pageSize: 2 }));
    const seen: DiscoveryProgress[] = [];
    await discoverOrganization(api.clients, { onProgress: (p) => seen.push(p) });
    const phases = [...new Set(seen.map((p) => p.phase))];
    assert.deepEqual(phases, ['caller', 'organization', 'roots', 'tree', 'done']);
    const tree = seen.filter((p) => p.phase === 'tree').map((p) => p.done);
    assert.ok(
      tree.every((n, i) => i === 0 || n >= (tree[i - 1] ?? 0)),
      'account counts never go down',
    );
    assert.ok(
      tree.some((n) => n > 0 && n < 10),
      'intermediate counts are reported',
    );
    assert.deepEqual(seen.at(-1), { phase: 'done', done: 10, total: 10, ous: 6 });
  });
});
