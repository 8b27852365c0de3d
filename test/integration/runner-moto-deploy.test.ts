// The deploy engine against moto's real STS, Organizations, CloudFormation and IAM: a 13-account organization,
// billing first, then every member through its own assumed OrganizationAccountAccessRole; the result checked
// with IAM calls made in each member account with that member's own credentials.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {
  CloudFormationClient,
  DescribeStacksCommand,
  ListStacksCommand,
} from '@aws-sdk/client-cloudformation';
import { GetRoleCommand, IAMClient } from '@aws-sdk/client-iam';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import {
  createAccountCredentials,
  type AccountCredentialsSource,
} from '../../main/core/onboarding/account-credentials.js';
import { createVirtualClock } from '../../main/core/clock.js';
import type { DeployItem } from '../../main/core/onboarding/run-events.js';
import { startRun, type StartRunOptions } from '../../main/core/onboarding/runner.js';
import {
  INPUTS_SHA_TAG,
  stackInputTags,
  type CloudFormationSender,
} from '../../main/core/onboarding/stack-deployer.js';
import { startMoto, type MotoServer } from '../support/moto.js';
import {
  MANAGEMENT_KEYS,
  REGION,
  TEMPLATE,
  planItems,
  roleNameFor,
  seedOrganization,
} from './runner-moto-org.js';

const EXTERNAL_ID = 'orgconnect-ext-5d1e9a3c7b20';

describe('deploy run against moto', () => {
  let moto: MotoServer;
  let dataDir: string;
  let managementAccountId: string;
  let members: string[];
  let credentials: AccountCredentialsSource;
  let items: DeployItem[];
  const writes = new Map<string, string[]>();

  const clientFor = (
    accountId: string,
    provider: () => Promise<{ accessKeyId: string; secretAccessKey: string }>,
  ): CloudFormationSender => {
    const real = new CloudFormationClient({ region: REGION, endpoint: moto.url, credentials: provider });
    // Counts the writes each account receives, to prove idempotency from the client's side too.
    return {
      send: (command: { constructor: { name: string } }, ...rest: unknown[]) => {
        const name = command.constructor.name;
        if (/^(Create|Update|Delete)Stack/.test(name))
          writes.set(accountId, [...(writes.get(accountId) ?? []), name]);
        return (real.send as (...args: unknown[]) => Promise<unknown>)(command, ...rest);
      },
    } as unknown as CloudFormationSender;
  };

  const options = (runId: string, externalId = EXTERNAL_ID): StartRunOptions => ({
    runId,
    dataDir,
    items,
    settings: {
      platformAccountId: '061190967865',
      externalId,
      accessRoleName: 'OrganizationAccountAccessRole',
      region: REGION,
    },
    managementAccountId,
    profile: 'moto',
    credentialsFor: credentials.credentialsFor,
    cloudFormationFor: clientFor,
    templateFor: (item, secrets) => ({
      templateBody: TEMPLATE,
      parameters: { ExternalId: secrets.externalId, RoleName: roleNameFor(item.kind) },
    }),
    concurrency: 4,
    deploy: { poll: { baseMs: 50, capMs: 200 } },
  });

  before(async () => {
    moto = await startMoto();
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'orgconnect-moto-run-'));
    ({ managementAccountId, members } = await seedOrganization(moto.url, 12));
    credentials = createAccountCredentials({
      managementCredentials: async () => MANAGEMENT_KEYS,
      region: REGION,
      stsEndpoint: moto.url,
    });
    items = planItems(managementAccountId, members);
  });

  after(async () => {
    await moto?.stop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  test('connects all 13 accounts, billing first; each member has the role, seen with its own credentials', async () => {
    assert.equal(members.length, 12);
    const order: string[] = [];
    const run = await startRun({
      ...options('moto-run-1'),
      onEvent: (event) => {
        if (event.type === 'account-state' && event.state === 'deploying') order.push(event.kind);
      },
    });
    const final = await run.start();
    await run.close();
    assert.equal(
      final.counts.connected,
      13,
      JSON.stringify(final.accounts.filter((a) => a.state !== 'connected')),
    );
    assert.equal(order[0], 'billing');
    assert.ok(order.slice(1).every((kind) => kind === 'resource'));

    // The management account uses the management credentials directly: its account id is the caller's.
    assert.equal(await credentials.managementAccountId(), managementAccountId);
    for (const account of final.accounts) {
      const memberCredentials = await credentials.credentialsFor(account.accountId);
      if (account.kind === 'resource')
        assert.notEqual(memberCredentials.accessKeyId, MANAGEMENT_KEYS.accessKeyId);
      const iam = new IAMClient({ region: REGION, endpoint: moto.url, credentials: memberCredentials });
      const role = (await iam.send(new GetRoleCommand({ RoleName: roleNameFor(account.kind) }))).Role;
      assert.equal(role?.Arn, `arn:aws:iam::${account.accountId}:role/${roleNameFor(account.kind)}`);
      assert.equal(account.roleArn, role?.Arn);
      const trust = JSON.parse(decodeURIComponent(role?.AssumeRolePolicyDocument ?? '{}'));
      assert.equal(trust.Statement[0].Principal.AWS, 'arn:aws:iam::061190967865:root');
      assert.equal(trust.Statement[0].Condition.StringEquals['sts:ExternalId'], EXTERNAL_ID);
      // The other kind's role is not there: each stack went to its own account.
      const other = account.kind === 'billing' ? 'resource' : 'billing';
      await assert.rejects(iam.send(new GetRoleCommand({ RoleName: roleNameFor(other) })), {
        name: 'NoSuchEntityException',
      });
    }
    for (const accountId of [managementAccountId, ...members])
      assert.deepEqual(writes.get(accountId), ['CreateStackCommand']);
  });

  test('a second run with the same inputs writes nothing; a new External ID updates every stack', async () => {
    writes.clear();
    const again = await startRun(options('moto-run-2'));
    const unchanged = await again.start();
    await again.close();
    assert.ok(unchanged.accounts.every((a) => a.state === 'connected' && a.outcome === 'unchanged'));
    assert.equal(writes.size, 0);

    const rotated = await startRun(options('moto-run-3', 'orgconnect-ext-rotated-0001'));
    const updated = await rotated.start();
    await rotated.close();
    assert.ok(
      updated.accounts.every((a) => a.state === 'connected' && a.outcome === 'updated'),
      JSON.stringify(updated.counts),
    );
    const member = members[3] as string;
    // moto's CloudFormation update of AWS::IAM::Role ignores AssumeRolePolicyDocument (moto 5.2.5
    // iam/models.py Role.update_from_cloudformation_json), so the new External ID is checked on the stack: its
    // inputs tag now matches the rotated inputs.
    const cfnMember = new CloudFormationClient({
      region: REGION,
      endpoint: moto.url,
      credentials: await credentials.credentialsFor(member),
    });
    const stack = (await cfnMember.send(new DescribeStacksCommand({ StackName: 'orgconnect-resource' })))
      .Stacks?.[0];
    const expected = stackInputTags({
      templateBody: TEMPLATE,
      parameters: { ExternalId: 'orgconnect-ext-rotated-0001', RoleName: roleNameFor('resource') },
    });
    assert.equal(stack?.Tags?.find((t) => t.Key === INPUTS_SHA_TAG)?.Value, expected[INPUTS_SHA_TAG]);
    // Still exactly one stack per account.
    const cfn = new CloudFormationClient({
      region: REGION,
      endpoint: moto.url,
      credentials: await credentials.credentialsFor(member),
    });
    const stacks = (await cfn.send(new ListStacksCommand({}))).StackSummaries ?? [];
    assert.deepEqual(
      stacks.map((s) => [s.StackName, s.StackStatus]),
      [['orgconnect-resource', 'UPDATE_COMPLETE']],
    );
  });

  test('real AssumeRole credentials are cached, shared by concurrent callers, and refreshed near expiry', async () => {
    // Virtual time starts at the real time, because moto stamps expiry on the wall clock.
    const clock = createVirtualClock({ start: Date.now() });
    const sts = new STSClient({ region: REGION, endpoint: moto.url, credentials: MANAGEMENT_KEYS });
    let assumeCalls = 0;
    const counting = {
      send: (command: { constructor: { name: string } }) => {
        if (command.constructor.name === 'AssumeRoleCommand') assumeCalls++;
        return (sts.send as (c: unknown) => Promise<unknown>)(command);
      },
    } as unknown as STSClient;
    const source = createAccountCredentials({
      managementCredentials: async () => MANAGEMENT_KEYS,
      managementAccountId,
      region: REGION,
      sts: counting,
      clock,
    });
    const member = members[0] as string;
    const burst = await Promise.all(Array.from({ length: 6 }, () => source.credentialsFor(member)));
    assert.equal(new Set(burst.map((c) => c.accessKeyId)).size, 1);
    assert.equal(assumeCalls, 1);
    const expiresIn = (burst[0]?.expiration?.getTime() ?? 0) - clock.now();
    assert.ok(expiresIn > 55 * 60_000 && expiresIn <= 3600_000 + 5_000, `moto granted ${expiresIn} ms`);
    clock.advance(expiresIn - 4 * 60_000);
    const refreshed = await source.credentialsFor(member);
    assert.equal(assumeCalls, 2);
    assert.notEqual(refreshed.accessKeyId, burst[0]?.accessKeyId);
    const identity = await new STSClient({ region: REGION, endpoint: moto.url, credentials: refreshed }).send(
      new GetCallerIdentityCommand({}),
    );
    assert.equal(identity.Account, member);
  });
});
