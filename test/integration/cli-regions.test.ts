// Opt-in Regions in use: the plan lists the accounts where a Region in use is not enabled, with the fix; with
// --enable-regions it shows the account:EnableRegion calls first, and deploy makes them (from the management
// account: a member's AccountId, none for the management account itself). moto has no Regions in its Account API,
// so a profile's [services] section sends Account calls to a local server (test/support/account-test-server.ts).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startMoto, type MotoServer } from '../support/moto.js';
import { seedOrganization, type SeededOrganization } from '../support/seed-org.js';
import { writeTestAwsConfig, type TestAwsFiles } from '../support/aws-test-config.js';
import {
  profileWithAccountServer,
  startAccountTestServer,
  type AccountTestServer,
} from '../support/account-test-server.js';
import { runOrgconnect } from '../support/run-cli.js';

const EXTERNAL_ID = 'cz-test-regions-3e9a';
const OPT_IN = 'eu-south-1';

interface PlanJson {
  regions: {
    regionsInUse: string[];
    gaps: Array<{ accountId: string; region: string; problem: string; fix: { kind: string; text: string } }>;
    unchecked: Array<{ accountId: string; reason: string }>;
  };
  regionsToEnable?: Array<{ accountId: string; region: string }>;
}

describe('opt-in Regions in use: listed with the fix, enabled with consent (CLI, moto + local Account API)', () => {
  let moto: MotoServer;
  let accountApi: AccountTestServer;
  let seeded: SeededOrganization;
  let files: TestAwsFiles;
  let env: NodeJS.ProcessEnv;
  let member: string;

  before(async () => {
    moto = await startMoto();
    seeded = await seedOrganization({ endpoint: moto.url, accounts: 3, depth: 1, branching: 1, seed: 11 });
    accountApi = await startAccountTestServer({ managementAccountId: seeded.managementAccountId });
    // The Region is on everywhere except in the management account and one member.
    const members = seeded.accounts.filter((a) => !a.isManagement);
    member = members[0]!.id;
    for (const other of members.slice(1)) accountApi.setStatus(other.id, OPT_IN, 'ENABLED');
    files = writeTestAwsConfig(moto.url, profileWithAccountServer('regions', moto.url, accountApi.url));
    env = { ...files.env, ORGCONNECT_HOME: mkdtempSync(path.join(tmpdir(), 'orgconnect-regions-')) };
  });
  after(async () => {
    await accountApi?.stop();
    await moto?.stop();
  });

  const plan = async (...extra: string[]) => {
    const result = await runOrgconnect(
      ['plan', '--profile', 'regions', '--external-id', EXTERNAL_ID, '--regions', OPT_IN, '--json', ...extra],
      env,
    );
    assert.equal(result.code, 0, result.stderr);
    return JSON.parse(result.stdout) as PlanJson;
  };

  test('the plan lists each account whose Region in use is off, with the API fix', async () => {
    const planned = await plan();
    assert.deepEqual(planned.regions.regionsInUse, ['us-east-1', OPT_IN]);
    assert.deepEqual(planned.regions.unchecked, []);
    assert.deepEqual(
      planned.regions.gaps.map((g) => [g.accountId, g.region, g.problem, g.fix.kind]).sort(),
      [
        [seeded.managementAccountId, OPT_IN, 'not-enabled', 'api'],
        [member, OPT_IN, 'not-enabled', 'api'],
      ].sort(),
    );
    assert.match(planned.regions.gaps[0]!.fix.text, /--enable-regions/);
    assert.equal(planned.regionsToEnable, undefined);
  });

  test('plan --enable-regions shows the EnableRegion calls and makes none', async () => {
    const planned = await plan('--enable-regions');
    assert.deepEqual(
      planned.regionsToEnable?.map((g) => g.accountId).sort(),
      [seeded.managementAccountId, member].sort(),
    );
    const human = await runOrgconnect(
      ['plan', '--profile', 'regions', '--external-id', EXTERNAL_ID, '--regions', OPT_IN, '--enable-regions'],
      env,
    );
    assert.equal(human.code, 0, human.stderr);
    assert.match(human.stdout, new RegExp(`${member} \\(.*\\): ${OPT_IN} not enabled\\. Fix: `));
    assert.match(human.stdout, new RegExp(`deploy --enable-regions enables first: .*${OPT_IN} in ${member}`));
    assert.equal(accountApi.enabled.length, 0, 'plan must not enable anything');
  });

  test('deploy --enable-regions calls EnableRegion for exactly those; the next plan says they are enabling', async () => {
    const result = await runOrgconnect(
      [
        'deploy',
        '--profile',
        'regions',
        '--external-id',
        EXTERNAL_ID,
        '--regions',
        OPT_IN,
        '--enable-regions',
        '--yes',
        '--json',
      ],
      env,
      { timeoutMs: 120_000 },
    );
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual(
      [...accountApi.enabled].sort((a, b) => a.accountId.localeCompare(b.accountId)),
      [
        { accountId: seeded.managementAccountId, region: OPT_IN, accountIdSent: false },
        { accountId: member, region: OPT_IN, accountIdSent: true },
      ].sort((a, b) => a.accountId.localeCompare(b.accountId)),
    );
    assert.equal(accountApi.status(member, OPT_IN), 'ENABLING');
    const next = await plan('--enable-regions');
    assert.deepEqual(
      next.regions.gaps.map((g) => [g.problem, g.fix.kind]),
      [
        ['enabling', 'wait'],
        ['enabling', 'wait'],
      ],
    );
    assert.deepEqual(next.regionsToEnable, [], 'nothing left to enable');
  });

  test('health --regions: the management connection whose Region is off fails regions-sts, with both fixes', async () => {
    // As if someone disabled it again. The local server answers a call without AccountId for the management
    // account, so only the Billing connection (checked with the management account's own Account API) is asserted.
    accountApi.setStatus(seeded.managementAccountId, OPT_IN, 'DISABLED');
    const result = await runOrgconnect(
      ['health', '--profile', 'regions', '--regions', OPT_IN, '--json', '--skip', 'stack-drift,cur'],
      env,
      { timeoutMs: 120_000 },
    );
    const body = JSON.parse(result.stdout) as {
      connections: Array<{
        accountId: string;
        kind: string;
        checks: Array<{ id: string; status: string; summary: string; fix?: string }>;
      }>;
    };
    const billing = body.connections.find((c) => c.kind === 'billing');
    const check = billing?.checks.find((c) => c.id === 'regions-sts');
    assert.equal(check?.status, 'fail', JSON.stringify(check));
    assert.match(check?.summary ?? '', new RegExp(`Region ${OPT_IN} is not enabled in this account`));
    assert.match(check?.fix ?? '', new RegExp(`deploy --regions ${OPT_IN} --enable-regions enables it`));
    assert.match(check?.fix ?? '', new RegExp(`Account > AWS Regions > ${OPT_IN} > Enable`));
  });

  test('an invalid --regions value is refused before AWS is read', async () => {
    const result = await runOrgconnect(
      ['plan', '--profile', 'regions', '--external-id', EXTERNAL_ID, '--regions', 'mars-1'],
      env,
    );
    assert.notEqual(result.code, 0);
    assert.match(result.stderr, /not an AWS Region name/);
  });
});
