// `deploy --mode stacksets` end to end against moto: the Billing stack goes directly into the management account,
// the Resource role into every member through one service-managed StackSet, with per-account states from its
// instances; each member's role is then verified with that member's own credentials, and each member is registered
// with the sandbox platform once its instance is CURRENT, with the role that exists there.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { EnableAWSServiceAccessCommand } from '@aws-sdk/client-organizations';
import { GetRoleCommand, IAMClient } from '@aws-sdk/client-iam';
import { startMoto, type MotoServer } from '../support/moto.js';
import {
  assumeRoleCredentials,
  MOTO_DEFAULT_CREDENTIALS,
  motoOrganizationsClient,
  seedOrganization,
  type SeededOrganization,
} from '../support/seed-org.js';
import { writeTestAwsConfig } from '../support/aws-test-config.js';
import { runOrgconnect } from '../support/run-cli.js';
import { startSandboxPlatform, type SandboxPlatform } from '../support/sandbox-platform-server.js';

const EXTERNAL_ID = 'stackset-external-id-77aa';

describe('deploy --mode stacksets', () => {
  let moto: MotoServer;
  let seeded: SeededOrganization;
  let env: NodeJS.ProcessEnv;
  let platform: SandboxPlatform;

  before(async () => {
    moto = await startMoto();
    platform = await startSandboxPlatform();
    // One level of OUs: moto's StackSets reach an OU's own accounts and its direct children only.
    seeded = await seedOrganization({ endpoint: moto.url, accounts: 9, depth: 1, seed: 5 });
    const { ORGCONNECT_NO_REGISTER: _off, ...awsEnv } = writeTestAwsConfig(moto.url).env;
    env = {
      ...awsEnv,
      ORGCONNECT_HOME: mkdtempSync(path.join(tmpdir(), 'orgconnect-data-')),
      ORGCONNECT_PLATFORM_URL: platform.linkUrl,
    };
  });
  after(async () => {
    await platform?.stop();
    await moto?.stop();
  });

  const deploy = () =>
    runOrgconnect(
      [
        'deploy',
        '--profile',
        'emulator',
        '--external-id',
        EXTERNAL_ID,
        '--mode',
        'stacksets',
        '--yes',
        '--json',
      ],
      env,
    );

  test('without StackSets trusted access, the members fail with the fix and the Billing stack is still deployed', async () => {
    const result = await deploy();
    assert.equal(result.code, 3, result.stderr);
    const lines = result.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { accountId?: string; kind?: string; state?: string; code?: string });
    assert.ok(lines.some((l) => l.kind === 'billing' && l.state === 'connected'));
    const failed = lines.filter((l) => l.kind === 'resource' && l.state === 'failed');
    assert.equal(new Set(failed.map((l) => l.accountId)).size, seeded.memberAccountIds.length);
    assert.ok(
      failed.every((l) => l.code === 'STACKSETS_TRUSTED_ACCESS_DISABLED'),
      JSON.stringify(failed[0]),
    );
    // Only the Billing connection exists, so only it is registered.
    assert.deepEqual(
      platform.accepted().map((r) => r.accountId),
      [seeded.managementAccountId],
    );
  });

  test('with trusted access, a fresh deploy connects every member through the StackSet', async () => {
    await motoOrganizationsClient(moto.url, MOTO_DEFAULT_CREDENTIALS).send(
      new EnableAWSServiceAccessCommand({
        ServicePrincipal: 'member.org.stacksets.cloudformation.amazonaws.com',
      }),
    );
    const result = await deploy();
    assert.equal(result.code, 0, result.stderr + result.stdout.slice(-1500));
    const lines = result.stdout
      .trim()
      .split('\n')
      .map(
        (l) =>
          JSON.parse(l) as {
            event: string;
            accountId?: string;
            kind?: string;
            state?: string;
            roleArn?: string;
            counts?: Record<string, number>;
          },
      );
    const connected = lines.filter((l) => l.kind === 'resource' && l.state === 'connected');
    assert.deepEqual(connected.map((l) => l.accountId).sort(), [...seeded.memberAccountIds].sort());
    for (const line of connected)
      assert.equal(
        line.roleArn,
        `arn:aws:iam::${line.accountId}:role/cloudzero/orgconnect-platform-resource`,
      );
    for (const accountId of seeded.memberAccountIds) {
      const credentials = await assumeRoleCredentials(
        moto.url,
        `arn:aws:iam::${accountId}:role/OrganizationAccountAccessRole`,
      );
      const iam = new IAMClient({ region: 'us-east-1', endpoint: moto.url, credentials });
      const role = (await iam.send(new GetRoleCommand({ RoleName: 'orgconnect-platform-resource' }))).Role;
      assert.match(decodeURIComponent(role?.AssumeRolePolicyDocument ?? ''), new RegExp(EXTERNAL_ID));
      // Registered once, with the role that exists in the member.
      const accepted = platform.accepted().filter((r) => r.accountId === accountId);
      assert.equal(accepted.length, 1, accountId);
      assert.equal(accepted[0]?.message?.data.links.resource_owner.role_arn, role?.Arn);
    }
    // The Billing connection, registered by the first run, is not sent again.
    assert.equal(platform.accepted().filter((r) => r.accountId === seeded.managementAccountId).length, 1);
  });
});
