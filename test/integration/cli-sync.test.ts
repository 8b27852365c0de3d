// Issue 17's sync "done when", through the real CLI against moto and the sandbox platform: after a deploy, 3
// accounts join the Organization and 1 connected member is closed (moto: SUSPENDED). `sync --json --yes` plans
// exactly 3 creates and 1 disconnect and applies them: the 3 new accounts have their Resource stacks (read with
// each account's own credentials), the closed account's stack is deleted (moto still lets the management account
// in), the platform received 3 provisioned and 1 deprovisioned message; `health --json` shows 3 new accounts not
// connected before and none after. A second sync finds nothing to do.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  CloudFormationClient,
  DescribeStacksCommand,
  GetTemplateCommand,
  UpdateStackCommand,
} from '@aws-sdk/client-cloudformation';
import { CloseAccountCommand, CreateAccountCommand } from '@aws-sdk/client-organizations';
import { GetRoleCommand, IAMClient, UpdateAssumeRolePolicyCommand } from '@aws-sdk/client-iam';
import { startMoto, type MotoServer } from '../support/moto.js';
import {
  assumeRoleCredentials,
  motoOrganizationsClient,
  MOTO_DEFAULT_CREDENTIALS,
  seedOrganization,
  type SeededOrganization,
} from '../support/seed-org.js';
import { writeTestAwsConfig } from '../support/aws-test-config.js';
import { runOrgconnect } from '../support/run-cli.js';
import { startSandboxPlatform, type SandboxPlatform } from '../support/sandbox-platform-server.js';
import { coverageSchema } from '../../main/core/health/coverage-schema.js';

const EXTERNAL_ID = 'cz-sync-test-external-id-91d2';
// role-policies: moto's CloudFormation leaves a role's managed policies off (test/support/moto-role-fixups.ts), which
// a real stack has; that failure would make every connection a repair here.
const SKIP = ['--skip', 'stack-drift,regions-sts,cur,role-policies'];

interface Item {
  accountId: string;
  kind: string;
  action: string;
  reason?: string;
}

interface Line {
  event: string;
  operation?: string;
  runId?: string;
  accountId?: string;
  state?: string;
  counts?: Record<string, number>;
  deploy?: { counts: Record<string, number>; items: Item[] };
  disconnect?: { counts: Record<string, number>; items: Item[] };
  deregistration?: { status: string };
}

const lines = (stdout: string): Line[] =>
  stdout
    .split('\n')
    .filter((line) => line.length > 0)
    .map((line) => JSON.parse(line) as Line);

/** CloudFormation in a member account, with that account's own credentials. */
async function cloudFormationIn(moto: MotoServer, accountId: string): Promise<CloudFormationClient> {
  const credentials = await assumeRoleCredentials(
    moto.url,
    `arn:aws:iam::${accountId}:role/OrganizationAccountAccessRole`,
  );
  return new CloudFormationClient({ region: 'us-east-1', endpoint: moto.url, credentials });
}

async function resourceStackStatus(moto: MotoServer, accountId: string): Promise<string> {
  const cfn = await cloudFormationIn(moto, accountId);
  try {
    const out = await cfn.send(new DescribeStacksCommand({ StackName: 'orgconnect-resource' }));
    return out.Stacks?.[0]?.StackStatus ?? 'GONE';
  } catch (error) {
    if (/does not exist/.test((error as Error).message)) return 'GONE';
    throw error;
  }
}

/** From `health --json`: the accounts new and not connected (the banner's "N new accounts"), and the closed-but-connected. */
async function coverageOf(env: NodeJS.ProcessEnv): Promise<{ newNotConnected: string[]; closed: string[] }> {
  const result = await runOrgconnect(['health', '--profile', 'emulator', '--json', ...SKIP], env);
  assert.ok(result.code === 0 || result.code === 3, result.stderr);
  const coverage = coverageSchema.parse((JSON.parse(result.stdout) as { coverage: unknown }).coverage);
  assert.equal(
    coverage.summary.newNotConnected,
    coverage.accounts.filter((a) => a.status === 'not-connected' && a.isNew).length,
  );
  const ids = (keep: (a: (typeof coverage.accounts)[number]) => boolean) =>
    coverage.accounts
      .filter(keep)
      .map((a) => a.accountId)
      .sort();
  return {
    newNotConnected: ids((a) => a.status === 'not-connected' && a.isNew),
    closed: ids((a) => a.status === 'connected-account-closed'),
  };
}

describe('orgconnect sync after the Organization changed under a deploy', () => {
  let moto: MotoServer;
  let platform: SandboxPlatform;
  let seeded: SeededOrganization;
  let env: NodeJS.ProcessEnv;
  const joined: string[] = [];
  let closed = '';
  let coverageBefore = { newNotConnected: [] as string[], closed: [] as string[] };
  let out: Line[] = [];
  let code = -1;
  let stderr = '';
  let receivedBeforeSync = 0;

  before(async () => {
    moto = await startMoto();
    platform = await startSandboxPlatform();
    seeded = await seedOrganization({ endpoint: moto.url, accounts: 4, depth: 1, seed: 5 });
    const { ORGCONNECT_NO_REGISTER: _off, ...base } = writeTestAwsConfig(moto.url).env;
    env = {
      ...base,
      ORGCONNECT_HOME: mkdtempSync(path.join(tmpdir(), 'orgconnect-data-')),
      ORGCONNECT_EXTERNAL_ID: EXTERNAL_ID,
    };
    const deploy = await runOrgconnect(
      ['deploy', '--profile', 'emulator', '--platform-url', platform.linkUrl, '--yes', '--json'],
      env,
      { timeoutMs: 180_000 },
    );
    assert.equal(deploy.code, 0, deploy.stderr.slice(-2000));
    // JoinedTimestamp has second resolution in moto: let a second pass so "after the deploy" is unambiguous.
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const organizations = motoOrganizationsClient(moto.url, MOTO_DEFAULT_CREDENTIALS);
    for (let i = 0; i < 3; i += 1) {
      const created = await organizations.send(
        new CreateAccountCommand({ AccountName: `joined-${i}`, Email: `joined-${i}@example.com` }),
      );
      const id = created.CreateAccountStatus?.AccountId;
      assert.ok(id);
      joined.push(id);
    }
    closed = seeded.memberAccountIds[0] ?? '';
    await organizations.send(new CloseAccountCommand({ AccountId: closed }));
    coverageBefore = await coverageOf(env);
    receivedBeforeSync = platform.accepted().length;

    const result = await runOrgconnect(
      [
        'sync',
        '--profile',
        'emulator',
        '--external-id',
        EXTERNAL_ID,
        '--platform-url',
        platform.linkUrl,
        '--yes',
        '--json',
      ],
      env,
      { timeoutMs: 180_000 },
    );
    code = result.code;
    stderr = result.stderr;
    out = lines(result.stdout);
  });
  after(async () => {
    await platform?.stop();
    await moto?.stop();
  });

  test('before the sync, health --json counts exactly the 3 joined accounts as new and not connected', () => {
    assert.deepEqual(coverageBefore.newNotConnected, [...joined].sort());
    assert.deepEqual(coverageBefore.closed, [closed]);
  });

  test('sync --json plans exactly 3 creates (the joined accounts) and 1 disconnect (the closed one), plan first', () => {
    assert.equal(code, 0, stderr.slice(-2000));
    const plan = out[0];
    assert.equal(plan?.event, 'plan');
    assert.equal(plan?.operation, 'sync');
    assert.deepEqual(
      plan?.deploy?.items.map((i) => `${i.accountId}/${i.kind}/${i.action}`).sort(),
      joined.map((id) => `${id}/resource/create`).sort(),
    );
    assert.equal(plan?.deploy?.counts['skip'], 0, 'what is connected as asked is not in a sync plan');
    assert.deepEqual(
      plan?.disconnect?.items.map((i) => `${i.accountId}/${i.kind}/${i.action}`),
      [`${closed}/resource/delete`],
    );
  });

  test('the deploy run, then the disconnect run, with the usual events', () => {
    const starts = out.filter((l) => l.event === 'run-started');
    const finishes = out.filter((l) => l.event === 'run-finished');
    assert.equal(starts.length, 2);
    assert.equal(finishes.length, 2);
    assert.equal(finishes[0]?.counts?.['connected'], 3);
    assert.equal(finishes[1]?.counts?.['disconnected'], 1);
    const connected = out.filter((l) => l.event === 'account' && l.state === 'connected');
    assert.deepEqual(connected.map((l) => l.accountId).sort(), [...joined].sort());
    const disconnected = out.filter((l) => l.event === 'account' && l.state === 'disconnected');
    assert.deepEqual(
      disconnected.map((l) => [l.accountId, l.deregistration?.status]),
      [[closed, 'deregistered']],
    );
  });

  test('moto: the 3 joined accounts have their Resource stacks; the closed account has none left', async () => {
    for (const id of joined) assert.equal(await resourceStackStatus(moto, id), 'CREATE_COMPLETE', id);
    assert.equal(await resourceStackStatus(moto, closed), 'GONE');
    for (const id of seeded.memberAccountIds.slice(1)) {
      assert.equal(await resourceStackStatus(moto, id), 'CREATE_COMPLETE', `untouched: ${id}`);
    }
  });

  test('the platform received 3 provisioned (the joined accounts) and 1 deprovisioned (the closed one)', () => {
    const during = platform.accepted().slice(receivedBeforeSync);
    const of = (type: string) =>
      during
        .filter((r) => r.messageType === type)
        .map((r) => r.accountId)
        .sort();
    assert.deepEqual(of('account-link-provisioned'), [...joined].sort());
    assert.deepEqual(of('account-link-deprovisioned'), [closed]);
    assert.equal(during.length, 4);
    assert.ok(!platform.connections().some((c) => c.accountId === closed));
  });

  test('after the sync no new account is left unconnected, and a second sync has nothing to do', async () => {
    assert.deepEqual(await coverageOf(env), { newNotConnected: [], closed: [] });
    const again = await runOrgconnect(
      ['sync', '--profile', 'emulator', '--platform-url', platform.linkUrl, '--yes', '--json'],
      env,
      { timeoutMs: 120_000 },
    );
    assert.equal(again.code, 0, again.stderr.slice(-2000));
    const second = lines(again.stdout);
    assert.equal(second.length, 1, 'only the plan line');
    assert.equal(second[0]?.deploy?.items.length, 0);
    assert.equal(second[0]?.disconnect?.items.length, 0);
  });

  test('a stack left on an older platform version (as an older orgconnect deployed it) is planned and applied as 1 update', async () => {
    const member = seeded.memberAccountIds[1] ?? '';
    const cfn = await cloudFormationIn(moto, member);
    const stack = (await cfn.send(new DescribeStacksCommand({ StackName: 'orgconnect-resource' })))
      .Stacks?.[0];
    assert.ok(stack);
    const body =
      (await cfn.send(new GetTemplateCommand({ StackName: 'orgconnect-resource' }))).TemplateBody ?? '';
    // What an older orgconnect wrote: the platform stamp of an earlier version, hence another inputs hash.
    const tags = (stack.Tags ?? []).map((tag) =>
      tag.Key === 'orgconnect:platform'
        ? { Key: tag.Key, Value: 'cloudzero@2020-01-01' }
        : tag.Key === 'orgconnect:inputs-sha256'
          ? { Key: tag.Key, Value: '0'.repeat(64) }
          : tag,
    );
    await cfn.send(
      new UpdateStackCommand({
        StackName: 'orgconnect-resource',
        // Another template text too, as an older release had (CloudFormation refuses an update of tags alone).
        TemplateBody: `${body}\n# deployed by an older orgconnect\n`,
        Parameters: (stack.Parameters ?? []).map((p) => ({
          ParameterKey: p.ParameterKey,
          UsePreviousValue: true,
        })),
        Capabilities: ['CAPABILITY_NAMED_IAM'],
        Tags: tags,
      }),
    );
    const result = await runOrgconnect(
      ['sync', '--profile', 'emulator', '--platform-url', platform.linkUrl, '--yes', '--json'],
      env,
      { timeoutMs: 120_000 },
    );
    assert.equal(result.code, 0, result.stderr.slice(-2000));
    const synced = lines(result.stdout);
    assert.deepEqual(
      synced[0]?.deploy?.items.map((i) => `${i.accountId}/${i.action}`),
      [`${member}/update`],
    );
    assert.match(synced[0]?.deploy?.items[0]?.reason ?? '', /the stack has those of 2020-01-01/);
    assert.equal(synced[0]?.disconnect?.items.length, 0);
    assert.equal(synced.filter((l) => l.event === 'run-started').length, 1, 'no disconnect run');
    const after = (await cfn.send(new DescribeStacksCommand({ StackName: 'orgconnect-resource' })))
      .Stacks?.[0];
    const platformTag = after?.Tags?.find((t) => t.Key === 'orgconnect:platform')?.Value ?? '';
    assert.notEqual(platformTag, 'cloudzero@2020-01-01');
    assert.match(platformTag, /^cloudzero@\d{4}-\d{2}-\d{2}$/);
  });

  test('a role whose trust was edited outside CloudFormation is repaired: 1 update that replaces the stack', async () => {
    const member = seeded.memberAccountIds[2] ?? '';
    const credentials = await assumeRoleCredentials(
      moto.url,
      `arn:aws:iam::${member}:role/OrganizationAccountAccessRole`,
    );
    const iam = new IAMClient({ region: 'us-east-1', endpoint: moto.url, credentials });
    const trustOf = async () =>
      decodeURIComponent(
        (await iam.send(new GetRoleCommand({ RoleName: 'orgconnect-platform-resource' }))).Role
          ?.AssumeRolePolicyDocument ?? '',
      );
    const deployed = await trustOf();
    await iam.send(
      new UpdateAssumeRolePolicyCommand({
        RoleName: 'orgconnect-platform-resource',
        PolicyDocument: JSON.stringify({
          Version: '2012-10-17',
          Statement: [
            {
              Effect: 'Allow',
              Principal: { AWS: 'arn:aws:iam::999999999999:root' },
              Action: 'sts:AssumeRole',
            },
          ],
        }),
      }),
    );
    const health = await runOrgconnect(['health', '--profile', 'emulator', '--json', ...SKIP], env);
    const trustCheck = (stdout: string) =>
      (
        JSON.parse(stdout) as {
          connections: { accountId: string; checks: { id: string; status: string }[] }[];
        }
      ).connections
        .find((c) => c.accountId === member)
        ?.checks.find((c) => c.id === 'role-trust')?.status;
    assert.equal(trustCheck(health.stdout), 'fail', 'health sees the edited trust');

    const result = await runOrgconnect(
      ['sync', '--profile', 'emulator', '--platform-url', platform.linkUrl, '--yes', '--json'],
      env,
      { timeoutMs: 120_000 },
    );
    assert.equal(result.code, 0, result.stderr.slice(-2000));
    const synced = lines(result.stdout);
    const items = (synced[0]?.deploy?.items ?? []) as (Item & { replace?: boolean })[];
    assert.deepEqual(
      items.map((i) => `${i.accountId}/${i.action}/${String(i.replace)}`),
      [`${member}/update/true`],
    );
    assert.match(items[0]?.reason ?? '', /^Repair: /);
    assert.equal(await trustOf(), deployed, 'the trust policy is the one the template declares again');
    assert.equal(await resourceStackStatus(moto, member), 'CREATE_COMPLETE', 'a fresh stack');
    const after = await runOrgconnect(['health', '--profile', 'emulator', '--json', ...SKIP], env);
    assert.equal(trustCheck(after.stdout), 'pass');
  });
});
