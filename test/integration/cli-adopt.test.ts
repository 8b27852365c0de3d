// Issue 16's "bring your own roles", end to end through the real CLI against moto and the sandbox platform: ten
// member roles are made by hand in moto with each member's own credentials, from the exported IAM JSON — seven
// correct, one missing, one trusting another account, one lacking a managed policy. `adopt --roles` must register
// exactly the seven (asserted on what the sandbox holds), name each of the other three with its fix, and `health`
// must show exactly those seven healthy. A bad CSV adopts nothing and names its line.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  AttachRolePolicyCommand,
  CreateRoleCommand,
  IAMClient,
  PutRolePolicyCommand,
} from '@aws-sdk/client-iam';
import { startMoto, type MotoServer } from '../support/moto.js';
import { assumeRoleCredentials, seedOrganization, type SeededOrganization } from '../support/seed-org.js';
import { writeTestAwsConfig } from '../support/aws-test-config.js';
import { runOrgconnect } from '../support/run-cli.js';
import { startSandboxPlatform, type SandboxPlatform } from '../support/sandbox-platform-server.js';
import { CLOUDZERO_PROFILE } from '../../main/core/platform/cloudzero-profile.js';
import { roleDocuments } from '../../main/core/platform/role-permissions.js';
import { OrgConnectService } from '../../main/core/service.js';
import { createServiceHandlers } from '../../main/host/service-handlers.js';
import { createDispatcher } from '../../main/host/dispatch.js';
import type { HostEvent } from '../../preload/contract.js';

const EXTERNAL_ID = 'cz-adopt-external-id-5e2b';
const ROLE_NAME = 'cloudzero-hand-made';
const ROLE_PATH = '/cloudzero/';

interface Line {
  event: string;
  runId?: string;
  accountId?: string;
  state?: string;
  code?: string;
  reason?: string;
  fix?: string;
  roleArn?: string;
  registration?: { status: string };
}

describe('orgconnect adopt: hand-made roles verified, the good ones registered', () => {
  let moto: MotoServer;
  let platform: SandboxPlatform;
  let seeded: SeededOrganization;
  let env: NodeJS.ProcessEnv;
  let dataDir: string;
  let csv: string;
  const good: string[] = [];
  let missing = '';
  let wrongTrust = '';
  let lacksManaged = '';
  let runId = '';
  let documents: ReturnType<typeof roleDocuments>;
  const iamIn = async (accountId: string) =>
    new IAMClient({
      region: 'us-east-1',
      endpoint: moto.url,
      credentials: await assumeRoleCredentials(
        moto.url,
        `arn:aws:iam::${accountId}:role/OrganizationAccountAccessRole`,
      ),
    });

  before(async () => {
    // The hand-made roles attach AWS managed policies, which moto knows only when told to load them.
    process.env['MOTO_IAM_LOAD_MANAGED_POLICIES'] = 'true';
    moto = await startMoto();
    platform = await startSandboxPlatform();
    seeded = await seedOrganization({ endpoint: moto.url, accounts: 10, depth: 1, seed: 16 });
    dataDir = mkdtempSync(path.join(tmpdir(), 'orgconnect-adopt-'));
    const { ORGCONNECT_NO_REGISTER: _off, ...base } = writeTestAwsConfig(moto.url).env;
    env = { ...base, ORGCONNECT_HOME: dataDir, ORGCONNECT_PLATFORM_URL: platform.linkUrl };
    const members = seeded.memberAccountIds;
    assert.equal(members.length, 10);
    good.push(...members.slice(0, 7));
    [missing, wrongTrust, lacksManaged] = members.slice(7) as [string, string, string];

    documents = roleDocuments(CLOUDZERO_PROFILE, 'resource', { externalId: EXTERNAL_ID });
    for (const accountId of members) {
      if (accountId === missing) continue;
      const iam = new IAMClient({
        region: 'us-east-1',
        endpoint: moto.url,
        credentials: await assumeRoleCredentials(
          moto.url,
          `arn:aws:iam::${accountId}:role/OrganizationAccountAccessRole`,
        ),
      });
      const trust =
        accountId === wrongTrust
          ? JSON.parse(JSON.stringify(documents.trustPolicy).replaceAll('061190967865', '999988887777'))
          : documents.trustPolicy;
      await iam.send(
        new CreateRoleCommand({
          RoleName: ROLE_NAME,
          Path: ROLE_PATH,
          AssumeRolePolicyDocument: JSON.stringify(trust),
        }),
      );
      const managed =
        accountId === lacksManaged ? documents.managedPolicyArns.slice(1) : documents.managedPolicyArns;
      for (const arn of managed)
        await iam.send(new AttachRolePolicyCommand({ RoleName: ROLE_NAME, PolicyArn: arn }));
      for (const policy of documents.inlinePolicies)
        await iam.send(
          new PutRolePolicyCommand({
            RoleName: ROLE_NAME,
            PolicyName: policy.name,
            PolicyDocument: JSON.stringify(policy.document),
          }),
        );
    }
    csv = path.join(dataDir, 'roles.csv');
    writeFileSync(
      csv,
      `account_id,role_arn,connection_name\n${members
        .map((id, i) => `${id},arn:aws:iam::${id}:role${ROLE_PATH}${ROLE_NAME},hand-made-${i + 1}`)
        .join('\n')}\n`,
    );
  });
  after(async () => {
    await platform?.stop();
    await moto?.stop();
  });

  test('a bad CSV names its line and adopts nothing', async () => {
    const bad = path.join(dataDir, 'bad.csv');
    writeFileSync(bad, `account_id,role_arn\n${good[0]},arn:aws:iam::${good[0]}:role/x\n12345,not-an-arn\n`);
    const result = await runOrgconnect(
      ['adopt', '--profile', 'emulator', '--external-id', EXTERNAL_ID, '--roles', bad, '--yes', '--json'],
      env,
    );
    assert.notEqual(result.code, 0);
    assert.match(result.stderr, /The roles file has 1 problem/);
    assert.match(result.stderr + result.stdout, /line 3: account_id must be 12 digits/);
    assert.equal(platform.received.length, 0);
  });

  test('adopt registers exactly the seven correct roles and names the other three with their fix', async () => {
    const result = await runOrgconnect(
      ['adopt', '--profile', 'emulator', '--external-id', EXTERNAL_ID, '--roles', csv, '--yes', '--json'],
      env,
      { timeoutMs: 180_000 },
    );
    assert.equal(result.code, 3, result.stderr.slice(-2000));
    const lines = result.stdout
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as Line);
    runId = lines[0]?.runId ?? '';
    assert.ok(runId);
    const final = new Map<string, Line>();
    for (const line of lines) if (line.event === 'account' && line.accountId) final.set(line.accountId, line);
    for (const accountId of good) {
      assert.equal(final.get(accountId)?.state, 'connected', accountId);
      assert.equal(final.get(accountId)?.registration?.status, 'registered');
    }
    const failure = (accountId: string) => final.get(accountId) as Line;
    assert.equal(failure(missing).state, 'failed');
    assert.equal(failure(missing).code, 'ROLE_NOT_FOUND');
    assert.match(failure(missing).fix ?? '', /templates export/);
    assert.equal(failure(wrongTrust).code, 'ROLE_TRUST_MISMATCH');
    assert.match(failure(wrongTrust).reason ?? '', /999988887777/);
    assert.match(failure(wrongTrust).fix ?? '', /trust policy/);
    assert.equal(failure(lacksManaged).code, 'ROLE_POLICIES_MISMATCH');
    assert.match(failure(lacksManaged).reason ?? '', /missing managed policy CloudWatchReadOnlyAccess/);
    assert.ok(failure(lacksManaged).fix);
    for (const line of lines)
      assert.ok(!JSON.stringify(line).includes(EXTERNAL_ID), 'no External ID printed');

    // Ground truth: what the platform holds.
    const held = platform.connections();
    assert.deepEqual(held.map((c) => c.accountId).sort(), [...good].sort());
    for (const connection of held) {
      assert.equal(connection.type, 'resource');
      assert.equal(connection.roleArn, `arn:aws:iam::${connection.accountId}:role${ROLE_PATH}${ROLE_NAME}`);
      assert.match(connection.name, /^hand-made-\d+$/);
    }
  });

  test('health shows exactly the seven adopted roles healthy, with no stack to check', async () => {
    const result = await runOrgconnect(
      ['health', '--profile', 'emulator', '--json', '--skip', 'regions-sts,cur,stack-drift'],
      env,
    );
    const body = JSON.parse(result.stdout) as {
      connections: { accountId: string; overall: string; checks: { id: string; status: string }[] }[];
    };
    assert.equal(result.code, 0, JSON.stringify(body.connections.filter((c) => c.overall !== 'healthy')));
    assert.deepEqual(
      body.connections
        .filter((c) => c.overall === 'healthy')
        .map((c) => c.accountId)
        .sort(),
      [...good].sort(),
    );
    for (const connection of body.connections) {
      assert.equal(connection.checks.find((c) => c.id === 'stack-status')?.status, 'skipped');
      assert.equal(connection.checks.find((c) => c.id === 'role-trust')?.status, 'pass');
    }
  });

  test('retry after the fix: the account whose role was missing is verified and registered, the others untouched', async () => {
    const iam = await iamIn(missing);
    await iam.send(
      new CreateRoleCommand({
        RoleName: ROLE_NAME,
        Path: ROLE_PATH,
        AssumeRolePolicyDocument: JSON.stringify(documents.trustPolicy),
      }),
    );
    for (const arn of documents.managedPolicyArns)
      await iam.send(new AttachRolePolicyCommand({ RoleName: ROLE_NAME, PolicyArn: arn }));
    for (const policy of documents.inlinePolicies)
      await iam.send(
        new PutRolePolicyCommand({
          RoleName: ROLE_NAME,
          PolicyName: policy.name,
          PolicyDocument: JSON.stringify(policy.document),
        }),
      );
    const before = platform.accepted().length;
    const result = await runOrgconnect(['retry', runId, '--external-id', EXTERNAL_ID, '--json'], env, {
      timeoutMs: 120_000,
    });
    assert.equal(result.code, 3, result.stderr.slice(-2000) + result.stdout); // the two wrong roles still fail
    const accepted = platform.accepted().slice(before);
    assert.deepEqual(
      accepted.map((request) => request.accountId),
      [missing],
      'only the fixed account is registered on retry',
    );
    assert.deepEqual(
      platform
        .connections()
        .map((c) => c.accountId)
        .sort(),
      [...good, missing].sort(),
    );
  });

  test('the app path: Review verifies each role by name and path, "Verify and register" registers the verified', async () => {
    // In process, through the contract's dispatcher, as the Electron and browser hosts call it.
    const hostDataDir = mkdtempSync(path.join(tmpdir(), 'orgconnect-adopt-host-'));
    const events: HostEvent[] = [];
    const service = new OrgConnectService({ env, dataDir: hostDataDir });
    const handlers = createServiceHandlers(service, (event) => events.push(event));
    const dispatch = createDispatcher(handlers.handlers);
    try {
      const planned = await dispatch('plan.create', {
        profile: 'emulator',
        request: {
          externalId: EXTERNAL_ID,
          source: 'manual',
          roleName: ROLE_NAME,
          rolePath: ROLE_PATH,
          select: seeded.memberAccountIds.join(','),
        },
      });
      assert.ok(planned.ok, JSON.stringify(planned));
      const plan = planned.value as {
        planId: string;
        plan: { items: { accountId: string; action: string; code?: string }[] };
      };
      const verified = plan.plan.items
        .filter((item) => item.action === 'create')
        .map((item) => item.accountId);
      assert.deepEqual(verified.sort(), [...good, missing].sort());
      assert.deepEqual(
        Object.fromEntries(
          plan.plan.items.filter((i) => i.action === 'blocked').map((i) => [i.accountId, i.code]),
        ),
        { [wrongTrust]: 'ROLE_TRUST_MISMATCH', [lacksManaged]: 'ROLE_POLICIES_MISMATCH' },
      );
      // The roles file chosen with the file picker: the same verification, the file's connection names.
      const fromFile = await dispatch('plan.create', {
        profile: 'emulator',
        request: { externalId: EXTERNAL_ID, source: 'manual', rolesCsv: readFileSync(csv, 'utf8') },
      });
      assert.ok(fromFile.ok, JSON.stringify(fromFile));
      const fileItems = (
        fromFile.value as { plan: { items: { accountId: string; action: string; connectionName: string }[] } }
      ).plan.items;
      assert.deepEqual(
        fileItems
          .filter((item) => item.action === 'create')
          .map((item) => item.accountId)
          .sort(),
        verified.sort(),
      );
      assert.ok(fileItems.every((item) => /^hand-made-\d+$/.test(item.connectionName)));
      const before = platform.accepted().length;
      const started = await dispatch('deploy.start', { planId: plan.planId });
      assert.ok(started.ok, JSON.stringify(started));
      const deadline = Date.now() + 60_000;
      while (!events.some((e) => e.type === 'run-event' && e.event.type === 'run-finished')) {
        assert.ok(Date.now() < deadline, 'the adopt run finished');
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      const registered = platform
        .accepted()
        .slice(before)
        .map((request) => request.accountId);
      assert.deepEqual(registered.sort(), [...good, missing].sort());
      const failed = events.flatMap((e) =>
        e.type === 'run-event' && e.event.type === 'account-state' && e.event.state === 'failed'
          ? [e.event.accountId]
          : [],
      );
      assert.deepEqual(failed.sort(), [wrongTrust, lacksManaged].sort());
    } finally {
      await handlers.close();
    }
  });
});
