// Issue 12's disconnect, end to end through the real CLI against moto: deploy a small Organization, then
// `disconnect` three members — exactly their stacks and roles go (checked in each member with that member's own
// credentials), exactly they are deregistered, the rest stays; a stack named like orgconnect's but without its
// tags is refused, named, with why; `kill -9` mid-disconnect then `orgconnect resume` finishes it, Billing last.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { GetRoleCommand, IAMClient } from '@aws-sdk/client-iam';
import {
  CloudFormationClient,
  CreateStackCommand,
  DeleteStackCommand,
  DescribeStacksCommand,
} from '@aws-sdk/client-cloudformation';
import type { AwsCredentialIdentity } from '@smithy/types';
import { startMoto, type MotoServer } from '../support/moto.js';
import {
  assumeRoleCredentials,
  MOTO_DEFAULT_CREDENTIALS,
  seedOrganization,
  type SeededOrganization,
} from '../support/seed-org.js';
import { writeTestAwsConfig } from '../support/aws-test-config.js';
import { runOrgconnect } from '../support/run-cli.js';
import { streamOrgconnect } from '../support/cli-stream.js';
import { startSandboxPlatform, type SandboxPlatform } from '../support/sandbox-platform-server.js';

const EXTERNAL_ID = 'cz-disconnect-test-7c1e';

interface Line {
  event: string;
  runId?: string;
  accountId?: string;
  kind?: 'billing' | 'resource';
  state?: string;
  code?: string;
  reason?: string;
  status?: string;
  counts?: Record<string, number>;
  items?: { accountId: string; kind: string; action: string; code?: string; reason?: string; fix?: string }[];
  deregistration?: { status: string; message?: string };
}

const lines = (stdout: string): Line[] =>
  stdout
    .split('\n')
    .filter((line) => line.length > 0)
    .map((line) => JSON.parse(line) as Line); // --json prints nothing but JSON lines

async function credentialsOf(moto: MotoServer, seeded: SeededOrganization, accountId: string) {
  if (accountId === seeded.managementAccountId) return MOTO_DEFAULT_CREDENTIALS;
  return assumeRoleCredentials(moto.url, `arn:aws:iam::${accountId}:role/OrganizationAccountAccessRole`);
}

function clients(moto: MotoServer, credentials: AwsCredentialIdentity) {
  const config = { region: 'us-east-1', endpoint: moto.url, credentials };
  return { cfn: new CloudFormationClient(config), iam: new IAMClient(config) };
}

/** The stack's status in that account, or 'GONE' when DescribeStacks no longer knows it by name. */
async function stackStatus(
  moto: MotoServer,
  seeded: SeededOrganization,
  accountId: string,
  stackName: string,
) {
  const { cfn } = clients(moto, await credentialsOf(moto, seeded, accountId));
  try {
    const out = await cfn.send(new DescribeStacksCommand({ StackName: stackName }));
    return out.Stacks?.[0]?.StackStatus ?? 'GONE';
  } catch (error) {
    if (/does not exist/.test((error as Error).message)) return 'GONE';
    throw error;
  }
}

/** The role's name when it exists in that account (asked with that account's own credentials), else 'NoSuchEntityException'. */
async function roleIn(moto: MotoServer, seeded: SeededOrganization, accountId: string, roleName: string) {
  const { iam } = clients(moto, await credentialsOf(moto, seeded, accountId));
  try {
    return (await iam.send(new GetRoleCommand({ RoleName: roleName }))).Role?.RoleName;
  } catch (error) {
    return (error as { name?: string }).name;
  }
}

async function deployAll(env: NodeJS.ProcessEnv): Promise<void> {
  const result = await runOrgconnect(
    ['deploy', '--profile', 'emulator', '--external-id', EXTERNAL_ID, '--yes', '--json'],
    env,
    { timeoutMs: 180_000 },
  );
  assert.equal(result.code, 0, result.stderr.slice(-2000));
}

describe('orgconnect disconnect against a 5-member emulated Organization', () => {
  let moto: MotoServer;
  let seeded: SeededOrganization;
  let env: NodeJS.ProcessEnv;
  let members: string[];
  let platform: SandboxPlatform;

  before(async () => {
    moto = await startMoto();
    platform = await startSandboxPlatform();
    seeded = await seedOrganization({ endpoint: moto.url, accounts: 5, depth: 1 });
    // Registration on, with the sandbox platform: the deploy registers every connection, disconnect deregisters.
    const { ORGCONNECT_NO_REGISTER: _off, ...base } = writeTestAwsConfig(moto.url).env;
    env = {
      ...base,
      ORGCONNECT_PLATFORM_URL: platform.linkUrl,
      ORGCONNECT_HOME: mkdtempSync(path.join(tmpdir(), 'orgconnect-data-')),
    };
    members = seeded.memberAccountIds;
    await deployAll(env);
  });
  after(async () => {
    await platform?.stop();
    await moto?.stop();
  });

  test('disconnecting 3 members deletes exactly their stacks and roles and deregisters exactly them', async () => {
    const chosen = members.slice(0, 3);
    const result = await runOrgconnect(
      [
        'disconnect',
        '--profile',
        'emulator',
        '--external-id',
        EXTERNAL_ID,
        '--select',
        chosen.join(','),
        '--yes',
        '--json',
      ],
      env,
      { timeoutMs: 120_000 },
    );
    assert.equal(result.code, 0, result.stderr.slice(-2000));
    const out = lines(result.stdout);
    const plan = out[0];
    assert.equal(plan?.event, 'plan', 'the plan comes first');
    assert.deepEqual(
      plan?.items?.map((item) => [item.accountId, item.action]).sort(),
      chosen.map((id) => [id, 'delete']).sort(),
    );
    assert.equal(out[1]?.event, 'run-started');
    assert.equal(out.at(-1)?.event, 'run-finished');
    assert.equal(out.at(-1)?.counts?.['disconnected'], 3);

    const finals = out.filter((line) => line.event === 'account' && line.state === 'disconnected');
    assert.deepEqual(finals.map((line) => line.accountId).sort(), [...chosen].sort());
    // Every disconnected account went deleting → deregistering → disconnected, and only those were deregistered.
    for (const id of chosen) {
      const states = out
        .filter((line) => line.accountId === id && line.event === 'account')
        .map((l) => l.state);
      assert.deepEqual(states, ['deleting', 'deregistering', 'disconnected'], id);
    }
    const deregistered = out.filter((line) => line.deregistration !== undefined);
    assert.deepEqual(deregistered.map((line) => line.accountId).sort(), [...chosen].sort());
    for (const line of deregistered)
      assert.equal(line.deregistration?.status, 'deregistered', line.accountId);
    // What the platform received and holds: one deprovisioned message for each chosen member, and only those left.
    const deprovisioned = platform
      .accepted()
      .filter((r) => r.messageType === 'account-link-deprovisioned')
      .map((r) => r.accountId);
    assert.deepEqual([...deprovisioned].sort(), [...chosen].sort());
    assert.deepEqual(
      platform
        .connections()
        .map((c) => `${c.accountId}/${c.type}`)
        .sort(),
      [`${seeded.managementAccountId}/billing`, ...members.slice(3).map((id) => `${id}/resource`)].sort(),
    );

    for (const id of chosen) {
      assert.equal(await stackStatus(moto, seeded, id, 'orgconnect-resource'), 'GONE', `stack gone in ${id}`);
      assert.equal(
        await roleIn(moto, seeded, id, 'orgconnect-platform-resource'),
        'NoSuchEntityException',
        `role gone in ${id}`,
      );
    }
    for (const id of members.slice(3)) {
      assert.equal(
        await stackStatus(moto, seeded, id, 'orgconnect-resource'),
        'CREATE_COMPLETE',
        `kept in ${id}`,
      );
      assert.equal(
        await roleIn(moto, seeded, id, 'orgconnect-platform-resource'),
        'orgconnect-platform-resource',
      );
    }
    assert.equal(
      await stackStatus(moto, seeded, seeded.managementAccountId, 'orgconnect-billing'),
      'CREATE_COMPLETE',
      'Billing stays: members are still connected',
    );
    assert.doesNotMatch(result.stdout + result.stderr, new RegExp(EXTERNAL_ID));
  });

  test('a stack named orgconnect-resource without orgconnect’s tags is refused, named, with why, and left alone', async () => {
    const victim = members[3] as string;
    const { cfn } = clients(moto, await credentialsOf(moto, seeded, victim));
    await cfn.send(new DeleteStackCommand({ StackName: 'orgconnect-resource' }));
    await cfn.send(
      new CreateStackCommand({
        StackName: 'orgconnect-resource',
        TemplateBody: JSON.stringify({
          Resources: { Topic: { Type: 'AWS::SNS::Topic', Properties: { TopicName: 'someone-elses' } } },
        }),
      }),
    );
    const result = await runOrgconnect(
      [
        'disconnect',
        '--profile',
        'emulator',
        '--external-id',
        EXTERNAL_ID,
        '--select',
        victim,
        '--yes',
        '--json',
      ],
      env,
      { timeoutMs: 120_000 },
    );
    assert.equal(result.code, 3, 'a refused account is a failed account');
    const out = lines(result.stdout);
    const planned = out[0]?.items?.[0];
    assert.equal(planned?.action, 'blocked');
    assert.equal(planned?.code, 'STACK_NOT_ORGCONNECT');
    assert.match(
      planned?.reason ?? '',
      new RegExp(`Stack orgconnect-resource in ${victim} lacks orgconnect's tags`),
    );
    assert.match(planned?.reason ?? '', /orgconnect did not create it, so it will not delete it/);
    const failed = out.find((line) => line.accountId === victim && line.state === 'failed');
    assert.equal(failed?.code, 'STACK_NOT_ORGCONNECT');
    assert.ok(!out.some((line) => line.deregistration !== undefined), 'nothing deregistered');
    assert.equal(
      await stackStatus(moto, seeded, victim, 'orgconnect-resource'),
      'CREATE_COMPLETE',
      'not deleted',
    );
  });
});

describe('kill -9 in the middle of a disconnect, then resume', () => {
  let moto: MotoServer;
  let seeded: SeededOrganization;
  let env: NodeJS.ProcessEnv;

  before(async () => {
    moto = await startMoto();
    seeded = await seedOrganization({ endpoint: moto.url, accounts: 6, depth: 1, seed: 3 });
    env = {
      ...writeTestAwsConfig(moto.url).env,
      ORGCONNECT_HOME: mkdtempSync(path.join(tmpdir(), 'orgconnect-data-')),
    };
    await deployAll(env);
  });
  after(async () => moto?.stop());

  test('resume finishes the disconnect of the whole Organization, Billing last', async () => {
    let runId = '';
    let disconnected = 0;
    const run = streamOrgconnect(
      [
        'disconnect',
        '--profile',
        'emulator',
        '--external-id',
        EXTERNAL_ID,
        '--yes',
        '--json',
        '--concurrency',
        '1',
      ],
      env,
      (line, child) => {
        const parsed = JSON.parse(line) as Line;
        if (parsed.event === 'run-started') runId = parsed.runId ?? '';
        if (parsed.state === 'disconnected' && ++disconnected === 2) child.kill('SIGKILL');
      },
    );
    const killed = await run.done;
    assert.equal(killed.signal, 'SIGKILL', `killed mid-run\n${killed.stderr.slice(-1000)}`);
    assert.ok(runId, 'run id printed');
    const before = lines(
      killed.stdout
        .split('\n')
        .filter((l) => l.endsWith('}'))
        .join('\n'),
    );
    assert.equal(before[0]?.items?.length, seeded.accounts.length, 'the plan covers every account');
    assert.ok(!before.some((line) => line.event === 'run-finished'));

    const resumed = await runOrgconnect(['resume', runId, '--json'], env, { timeoutMs: 120_000 });
    assert.equal(resumed.code, 0, resumed.stderr.slice(-2000));
    const out = lines(resumed.stdout);
    const finished = out.at(-1);
    assert.equal(finished?.event, 'run-finished');
    assert.equal(finished?.counts?.['disconnected'], seeded.accounts.length);
    // The Billing connection was the last to go, after every member.
    const accountLines = out.filter((line) => line.event === 'account');
    assert.equal(accountLines.at(-1)?.kind, 'billing');
    assert.equal(accountLines.at(-1)?.state, 'disconnected');

    for (const id of seeded.memberAccountIds) {
      assert.equal(await stackStatus(moto, seeded, id, 'orgconnect-resource'), 'GONE', id);
      assert.equal(
        await roleIn(moto, seeded, id, 'orgconnect-platform-resource'),
        'NoSuchEntityException',
        id,
      );
    }
    assert.equal(await stackStatus(moto, seeded, seeded.managementAccountId, 'orgconnect-billing'), 'GONE');
    assert.equal(
      await roleIn(moto, seeded, seeded.managementAccountId, 'orgconnect-platform-billing'),
      'NoSuchEntityException',
    );
  });
});
