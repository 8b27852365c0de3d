/**
 * Discovery against a real moto Organization: a 200+-account tree three OU levels deep, and two Organizations
 * discovered side by side.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  discoverOrganization,
  type DiscoveryProgress,
  type OrganizationSnapshot,
} from '../../main/core/org/index.js';
import { startMoto, type MotoServer } from '../support/moto.js';
import {
  assumeRoleCredentials,
  MOTO_DEFAULT_ACCOUNT_ID,
  motoDiscoveryClients,
  seedOrganization,
  type SeededOrganization,
} from '../support/seed-org.js';

/** Every seeded OU and account is discovered exactly as seeded, and nothing else is. */
function assertMatchesSeed(snapshot: OrganizationSnapshot, seeded: SeededOrganization): void {
  assert.equal(snapshot.organization.id, seeded.organizationId);
  assert.equal(snapshot.organization.featureSet, 'ALL');
  assert.equal(snapshot.organization.managementAccountId, seeded.managementAccountId);
  assert.equal(snapshot.organization.managementAccountEmail, seeded.managementAccountEmail);
  assert.deepEqual(snapshot.roots, [{ id: seeded.rootId, name: 'Root' }]);

  const byId = <T extends { id: string }>(items: readonly T[]): T[] =>
    [...items].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  assert.deepEqual(byId(snapshot.ous), byId(seeded.ous));

  assert.equal(snapshot.accounts.length, seeded.accounts.length);
  const found = new Map(snapshot.accounts.map((a) => [a.id, a]));
  for (const expected of seeded.accounts) {
    const actual = found.get(expected.id);
    assert.ok(actual, `account ${expected.id} (${expected.ouPath}) was not discovered`);
    assert.deepEqual(
      {
        name: actual.name,
        email: actual.email,
        ouId: actual.ouId,
        ouPath: actual.ouPath,
        status: actual.status,
        isManagement: actual.isManagement,
      },
      {
        name: expected.name,
        email: expected.email,
        ouId: expected.ouId,
        ouPath: expected.ouPath,
        status: expected.status,
        isManagement: expected.isManagement,
      },
      `account ${expected.id}`,
    );
    assert.equal(
      actual.arn,
      `arn:aws:organizations::${seeded.managementAccountId}:account/${seeded.organizationId}/${expected.id}`,
    );
    assert.ok(actual.joinedTimestamp !== null && !Number.isNaN(Date.parse(actual.joinedTimestamp)));
  }
}

describe('discoverOrganization against moto', () => {
  let moto: MotoServer;
  before(async () => {
    moto = await startMoto();
  });
  after(async () => {
    await moto.stop();
  });

  test('a 200-account Organization with three nested OU levels and a suspended account', async () => {
    await moto.reset();
    const seedStart = performance.now();
    const seeded = await seedOrganization({
      endpoint: moto.url,
      accounts: 200,
      depth: 3,
      wideOus: 22,
      suspended: 1,
      seed: 42,
    });
    const seedMs = performance.now() - seedStart;
    // 3 + 9 + 27 nested OUs, and 22 more under Workloads so that parent has two pages of child OUs.
    assert.equal(seeded.ous.length, 3 + 9 + 27 + 22);
    assert.equal(seeded.accounts.length, 201);
    assert.equal(seeded.managementAccountId, MOTO_DEFAULT_ACCOUNT_ID);
    assert.ok(seeded.crowdedOu);
    const crowded = seeded.crowdedOu;

    const progress: DiscoveryProgress[] = [];
    const started = performance.now();
    const snapshot = await discoverOrganization(motoDiscoveryClients(moto.url), {
      onProgress: (p) => progress.push(p),
    });
    const wallMs = performance.now() - started;
    console.log(
      `seeded 200 accounts in ${Math.round(seedMs)} ms; discovered 201 accounts in ${Math.round(wallMs)} ms`,
    );
    assert.ok(wallMs < 10_000, `discovery took ${Math.round(wallMs)} ms`);

    assertMatchesSeed(snapshot, seeded);
    assert.deepEqual(snapshot.caller, {
      accountId: MOTO_DEFAULT_ACCOUNT_ID,
      arn: `arn:aws:sts::${MOTO_DEFAULT_ACCOUNT_ID}:user/moto`,
      isManagementAccount: true,
    });
    assert.deepEqual(
      snapshot.accounts.filter((a) => a.isManagement).map((a) => [a.id, a.ouPath]),
      [[MOTO_DEFAULT_ACCOUNT_ID, 'Root']],
    );
    assert.equal(seeded.suspendedIds.length, 1);
    assert.deepEqual(
      snapshot.accounts.filter((a) => a.status === 'SUSPENDED').map((a) => [a.id, a.state]),
      [[seeded.suspendedIds[0], 'SUSPENDED']],
    );
    // The paging moto really did: more than one page (20) of accounts in one OU and of child OUs under one parent.
    assert.ok(snapshot.accounts.filter((a) => a.ouId === crowded.id).length > 20);
    assert.ok(
      snapshot.ous.filter((ou) => ou.path.startsWith('Root/Workloads/') && ou.path.split('/').length === 3)
        .length > 20,
    );
    assert.ok(
      snapshot.accounts.some((a) => a.ouPath.split('/').length === 4),
      'accounts sit three OU levels deep',
    );

    const ouPaths = snapshot.ous.map((ou) => ou.path);
    assert.deepEqual(ouPaths, [...ouPaths].sort());
    for (let i = 1; i < snapshot.accounts.length; i++) {
      const [a, b] = [snapshot.accounts[i - 1]!, snapshot.accounts[i]!];
      assert.ok(
        a.ouPath < b.ouPath || (a.ouPath === b.ouPath && a.name <= b.name),
        `${a.ouPath}:${a.name} before ${b.ouPath}:${b.name}`,
      );
    }

    const tree = progress.filter((p) => p.phase === 'tree');
    assert.ok(tree.length > 10, 'progress is reported while the tree is walked');
    assert.deepEqual(progress.at(-1), { phase: 'done', done: 201, total: 201, ous: 61 });
  });

  test('two Organizations discovered at the same time stay apart', async () => {
    await moto.reset();
    // A second management account: moto lets AssumeRole switch into any account id.
    const otherCredentials = await assumeRoleCredentials(moto.url, 'arn:aws:iam::210987654321:role/Admin');
    const [first, second] = await Promise.all([
      seedOrganization({ endpoint: moto.url, accounts: 30, depth: 2, seed: 1, suspended: 2 }),
      seedOrganization({
        endpoint: moto.url,
        accounts: 12,
        depth: 3,
        branching: 2,
        seed: 2,
        credentials: otherCredentials,
      }),
    ]);
    assert.equal(second.managementAccountId, '210987654321');
    assert.notEqual(first.organizationId, second.organizationId);

    const [a, b] = await Promise.all([
      discoverOrganization(motoDiscoveryClients(moto.url)),
      discoverOrganization(motoDiscoveryClients(moto.url, otherCredentials), { concurrency: 2 }),
    ]);
    assertMatchesSeed(a, first);
    assertMatchesSeed(b, second);
    assert.equal(b.caller.accountId, '210987654321');
    assert.equal(b.caller.isManagementAccount, true);
    const shared = a.accounts.filter((x) => b.accounts.some((y) => y.id === x.id));
    assert.deepEqual(shared, []);
  });
});
