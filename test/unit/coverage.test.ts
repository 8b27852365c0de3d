// The coverage model: every account in exactly one status, with the why; "new" against the last look; the
// share over active accounts only; accounts that left; and the daily series merge (one point per day, bounded).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  computeCoverage,
  coverageWork,
  type CoverageConnection,
  type DeployAttempt,
} from '../../main/core/health/coverage.js';
import { coverageSchema } from '../../main/core/health/coverage-schema.js';
import {
  coveragePoint,
  createCoverageHistory,
  mergePoint,
  type CoveragePoint,
} from '../../main/core/health/coverage-history.js';
import type { OrgAccount, OrganizationSnapshot } from '../../main/core/org/types.js';

const MANAGEMENT = '111111111111';
const LAST_LOOK = '2025-03-01T12:00:00.000Z';

function account(id: string, overrides: Partial<OrgAccount> = {}): OrgAccount {
  return {
    id,
    arn: `arn:aws:organizations::${MANAGEMENT}:account/o-abcdefghij/${id}`,
    name: `acct-${id.slice(0, 3)}`,
    email: `${id}@example.com`,
    status: 'ACTIVE',
    state: 'ACTIVE',
    joinedMethod: 'CREATED',
    joinedTimestamp: '2024-01-01T00:00:00.000Z',
    ouId: 'r-abcd',
    ouPath: 'Root',
    isManagement: id === MANAGEMENT,
    ...overrides,
  };
}

function snapshot(
  accounts: OrgAccount[],
): Pick<OrganizationSnapshot, 'organization' | 'accounts' | 'discoveredAt'> {
  return {
    organization: {
      id: 'o-abcdefghij',
      arn: 'arn',
      featureSet: 'ALL',
      managementAccountId: MANAGEMENT,
      managementAccountEmail: 'm@example.com',
    },
    accounts,
    discoveredAt: '2025-03-02T00:00:00.000Z',
  };
}

const connection = (accountId: string, kind: 'billing' | 'resource' = 'resource'): CoverageConnection => ({
  accountId,
  accountName: `acct-${accountId.slice(0, 3)}`,
  ouPath: 'Root',
  kind,
});

const attempt = (accountId: string, overrides: Partial<DeployAttempt>): DeployAttempt => ({
  accountId,
  kind: 'resource',
  state: 'failed',
  action: 'create',
  at: '2025-03-01T11:00:00.000Z',
  ...overrides,
});

describe('computeCoverage', () => {
  const accounts = [
    account(MANAGEMENT),
    account('222222222222'), // connected
    account('333333333333'), // failed
    account('444444444444'), // blocked
    account('555555555555'), // never deployed, old
    account('666666666666', { joinedTimestamp: '2025-03-01T13:00:00.000Z' }), // new, never deployed
    account('777777777777', { status: 'SUSPENDED', state: 'SUSPENDED' }), // closed, never connected
    account('888888888888', { status: 'SUSPENDED', state: 'SUSPENDED' }), // connected, then closed
    account('999999999999', { status: 'ACTIVE', state: 'PENDING_ACTIVATION' }),
  ];
  const coverage = computeCoverage({
    snapshot: snapshot(accounts),
    connections: [
      connection(MANAGEMENT, 'billing'),
      connection('222222222222'),
      connection('888888888888'),
      connection('101010101010'), // left the Organization
    ],
    attempts: [
      attempt('333333333333', { code: 'STACK_FAILED', reason: 'ROLLBACK_COMPLETE', fix: 'Delete the stack' }),
      attempt('444444444444', {
        action: 'blocked',
        code: 'NO_ACCESS',
        reason: 'cannot assume',
        fix: 'Add role',
      }),
      attempt('555555555555', { state: 'skipped', action: 'skip' }),
    ],
    lastLookAt: LAST_LOOK,
  });
  const byId = new Map(coverage.accounts.map((a) => [a.accountId, a]));

  test('each account gets the status and the reason the records give', () => {
    assert.equal(byId.get(MANAGEMENT)?.status, 'connected');
    assert.deepEqual(byId.get(MANAGEMENT)?.connectionKinds, ['billing']);
    assert.equal(byId.get('222222222222')?.status, 'connected');
    assert.equal(byId.get('333333333333')?.reason, 'failed');
    assert.equal(byId.get('333333333333')?.code, 'STACK_FAILED');
    assert.equal(byId.get('333333333333')?.fix, 'Delete the stack');
    assert.equal(byId.get('444444444444')?.reason, 'blocked');
    assert.equal(byId.get('444444444444')?.detail, 'cannot assume');
    assert.equal(byId.get('555555555555')?.reason, 'never-deployed');
    assert.match(byId.get('555555555555')?.fix ?? '', /--select 555555555555/);
    assert.equal(byId.get('777777777777')?.status, 'not-connectable');
    assert.equal(byId.get('888888888888')?.status, 'connected-account-closed');
    assert.equal(byId.get('999999999999')?.status, 'not-connectable');
    assert.equal(byId.get('101010101010')?.status, 'connected-account-left');
    assert.equal(byId.get('101010101010')?.accountState, 'LEFT');
    assert.equal(coverage.accounts.at(-1)?.accountId, '101010101010', 'accounts that left come last');
  });

  test('only accounts that joined after the last look are new', () => {
    assert.deepEqual(
      coverage.accounts.filter((a) => a.isNew).map((a) => a.accountId),
      ['666666666666'],
    );
    assert.equal(coverage.summary.newNotConnected, 1);
    const never = computeCoverage({
      snapshot: snapshot(accounts),
      connections: [],
      attempts: [],
      lastLookAt: null,
    });
    assert.equal(never.summary.newNotConnected, 0, 'without a last look nothing is new');
  });

  test('the share counts active accounts only, connected ones over all active ones', () => {
    // Active: MANAGEMENT, 222…666 = 6 (PENDING_ACTIVATION and SUSPENDED are not); connected among them: 2.
    assert.equal(coverage.summary.activeAccounts, 6);
    assert.equal(coverage.summary.connectedActive, 2);
    assert.equal(coverage.summary.share, 2 / 6);
    assert.deepEqual(coverage.summary.counts, {
      connected: 2,
      'not-connected': 4,
      'not-connectable': 2,
      'connected-account-closed': 1,
      'connected-account-left': 1,
    });
    assert.equal(
      Object.values(coverage.summary.counts).reduce((a, b) => a + b, 0),
      coverage.accounts.length,
      'every account is in exactly one status',
    );
  });

  test('the published schema accepts what the model produces', () => {
    assert.deepEqual(coverageSchema.parse(coverage), coverage);
  });

  test('a sync can plan from it: new accounts first, closed and gone connections to disconnect', () => {
    const work = coverageWork(coverage);
    assert.equal(work.toConnect[0]?.accountId, '666666666666');
    assert.equal(work.toConnect.length, 4);
    assert.deepEqual(work.toDisconnect.map((a) => a.accountId).sort(), ['101010101010', '888888888888']);
  });

  test('an Organization without active accounts has no share rather than a division by zero', () => {
    const empty = computeCoverage({
      snapshot: snapshot([account('777777777777', { status: 'SUSPENDED', state: 'SUSPENDED' })]),
      connections: [],
      attempts: [],
      lastLookAt: null,
    });
    assert.equal(empty.summary.share, null);
  });
});

describe('coverage series', () => {
  const point = (day: string, healthy: number): CoveragePoint => ({
    day,
    at: `${day}T10:00:00.000Z`,
    healthy,
    degraded: 0,
    unhealthy: 0,
    unknown: 0,
    activeAccounts: 3,
    connectedActive: 3,
    share: 1,
  });

  test('the last write of a day replaces that day; the newest days are kept', () => {
    let series: CoveragePoint[] = [];
    for (let d = 1; d <= 9; d += 1) series = mergePoint(series, point(`2025-01-0${d}`, d), 5);
    series = mergePoint(series, point('2025-01-09', 42), 5);
    assert.deepEqual(
      series.map((p) => [p.day, p.healthy]),
      [
        ['2025-01-05', 5],
        ['2025-01-06', 6],
        ['2025-01-07', 7],
        ['2025-01-08', 8],
        ['2025-01-09', 42],
      ],
    );
  });

  test('recorded points land in <dataDir>/coverage/<orgId>.jsonl, one line a day, and read back', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'orgconnect-coverage-'));
    const history = createCoverageHistory(dataDir);
    const coverage = computeCoverage({
      snapshot: snapshot([account(MANAGEMENT), account('222222222222')]),
      connections: [connection(MANAGEMENT, 'billing')],
      attempts: [],
      lastLookAt: null,
    });
    const counts = { healthy: 1, degraded: 0, unhealthy: 0, unknown: 0 };
    await history.record(coverage, coveragePoint(coverage, counts, new Date('2025-02-01T08:00:00Z')));
    await history.record(
      coverage,
      coveragePoint(coverage, { ...counts, healthy: 0, unhealthy: 1 }, new Date('2025-02-01T20:00:00Z')),
    );
    await history.record(coverage, coveragePoint(coverage, counts, new Date('2025-02-02T08:00:00Z')));
    const lines = readFileSync(path.join(dataDir, 'coverage', 'o-abcdefghij.jsonl'), 'utf8')
      .trim()
      .split('\n');
    assert.equal(lines.length, 2);
    const series = await history.series('o-abcdefghij');
    assert.deepEqual(
      series.map((p) => [p.day, p.unhealthy, p.share]),
      [
        ['2025-02-01', 1, 0.5],
        ['2025-02-02', 0, 0.5],
      ],
    );
    assert.equal((await history.latestCoverages())[0]?.organizationId, 'o-abcdefghij');
  });

  test('an Organization id that is not one is refused as a file name', async () => {
    const history = createCoverageHistory(mkdtempSync(path.join(tmpdir(), 'orgconnect-coverage-')));
    await assert.rejects(history.series('../../etc/passwd'));
  });
});
