import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CloudFormationClient,
  ListStackInstancesCommand,
  paginateListStacks,
  type StackSummary,
} from '@aws-sdk/client-cloudformation';
import { createVirtualClock } from '../../main/core/clock.js';
import {
  collectPages,
  DeployError,
  listStackInstances,
  pagingClient,
  pollUntil,
  stackFailureReason,
} from '../../main/core/cloudformation/index.js';
import { removeStack } from '../../main/core/onboarding/stack-remover.js';
import { buildDisconnectPlan } from '../../main/core/onboarding/disconnect-plan.js';
import { parseSelection } from '../../main/core/onboarding/selection.js';
import type { PreflightResult } from '../../main/core/onboarding/preflight.js';
import { awsError, FakeCloudFormation, throttling } from '../support/fake-cloudformation.js';

const OURS = { 'orgconnect:kind': 'resource', 'orgconnect:template-sha256': 'ab'.repeat(32) };
const POLL = { baseMs: 1000, capMs: 5000, timeoutMs: 60_000 };

/** A sender that answers pages of a list call from `pages` (NextToken = the next index) and throttles first. */
function pagedSender(pages: number, throttleFirst: number) {
  const seen: (string | undefined)[] = [];
  let throttles = throttleFirst;
  const send = async (command: { input: { NextToken?: string } }) => {
    if (throttles-- > 0) throw throttling();
    const token = command.input.NextToken;
    seen.push(token);
    const index = token === undefined ? 0 : Number(token);
    const next = index + 1 < pages ? String(index + 1) : undefined;
    return {
      StackSummaries: [{ StackName: `stack-${index}` }] as StackSummary[],
      Summaries: [{ Account: String(100000000000 + index) }],
      ...(next === undefined ? {} : { NextToken: next }),
    };
  };
  return { sender: { send } as unknown as Pick<CloudFormationClient, 'send'>, seen };
}

describe('pollUntil', () => {
  test('reads until done, waiting with backoff in between', async () => {
    const clock = createVirtualClock();
    let reads = 0;
    const waits: number[] = [];
    const value = await pollUntil({
      read: async () => ++reads,
      done: (n) => n === 4,
      clock,
      policy: POLL,
      onWait: (n) => waits.push(n),
      onTimeout: () => assert.fail('no timeout'),
    });
    assert.equal(value, 4);
    assert.deepEqual(waits, [1, 2, 3]);
    // backoff with equal jitter: 0.5–1 s, 1–2 s, 2–4 s
    assert.ok(clock.slept >= 3500 && clock.slept <= 7000, `slept ${clock.slept}`);
  });

  test('at the deadline, onTimeout decides: throw, or end with a value', async () => {
    const clock = createVirtualClock();
    await assert.rejects(
      pollUntil({
        read: async () => 'running',
        done: () => false,
        clock,
        policy: { ...POLL, timeoutMs: 10_000 },
        onTimeout: (last) => {
          throw new Error(`still ${last}`);
        },
      }),
      /still running/,
    );
    const ended = await pollUntil<string>({
      read: async () => 'running',
      done: () => false,
      clock,
      policy: { ...POLL, timeoutMs: 10_000 },
      delayMs: () => 2000,
      onTimeout: () => 'timeout',
    });
    assert.equal(ended, 'timeout');
  });
});

describe('paging through the SDK paginators', () => {
  test('pagingClient satisfies the paginator, retries a throttled page and gathers every page', async () => {
    const clock = createVirtualClock();
    const { sender, seen } = pagedSender(3, 2);
    const client = pagingClient(CloudFormationClient, sender, { clock });
    assert.ok(client instanceof CloudFormationClient);
    const stacks = await collectPages(paginateListStacks({ client }, {}), (page) => page.StackSummaries);
    assert.deepEqual(
      stacks.map((s) => s.StackName),
      ['stack-0', 'stack-1', 'stack-2'],
    );
    assert.deepEqual(seen, [undefined, '1', '2']);
    assert.ok(clock.slept > 0, 'the throttled page waited before its retry');
  });

  test('listStackInstances reads every page of ListStackInstances', async () => {
    const clock = createVirtualClock();
    const calls: unknown[] = [];
    const { sender } = pagedSender(4, 0);
    const recording = {
      send: (command: ListStackInstancesCommand) => {
        // The paginator reuses one input object across pages; copy what each call carried.
        calls.push({ ...command.input });
        return sender.send(command as never);
      },
    } as unknown as Pick<CloudFormationClient, 'send'>;
    const instances = await listStackInstances(
      { cloudformation: recording, clock },
      { stackSetName: 'orgconnect-resource', callAs: 'SELF' },
    );
    assert.equal(instances.length, 4);
    assert.deepEqual(
      calls.map((input) => input as { StackSetName: string; CallAs: string; NextToken?: string }),
      [undefined, '1', '2', '3'].map((NextToken) => ({
        StackSetName: 'orgconnect-resource',
        CallAs: 'SELF',
        NextToken,
        MaxResults: undefined,
      })),
    );
  });

  test('stackFailureReason survives a broken events call and falls back to the stack', async () => {
    const clock = createVirtualClock();
    const fake = new FakeCloudFormation('111122223333', clock);
    const stack = fake.seed({ stackName: 's', status: 'ROLLBACK_COMPLETE' });
    fake.failNext('DescribeStackEvents', awsError('AccessDenied', 'no'));
    const reason = await stackFailureReason({ cloudformation: fake.client(), clock }, stack.stackId, {
      StackStatus: 'ROLLBACK_COMPLETE',
      StackStatusReason: 'because',
      StackName: 's',
      CreationTime: new Date(),
    });
    assert.equal(reason, 'because');
  });
});

describe('removeStack', () => {
  const context = (fake: FakeCloudFormation, clock: ReturnType<typeof createVirtualClock>) => ({
    cloudformation: fake.client(),
    clock,
    accountId: '111122223333',
  });
  const input = {
    stackName: 'orgconnect-resource',
    kind: 'resource' as const,
    accountId: '111122223333',
    poll: POLL,
  };

  test('deletes an orgconnect stack, waits for DELETE_COMPLETE, and is a no-op once it is gone', async () => {
    const clock = createVirtualClock();
    const fake = new FakeCloudFormation('111122223333', clock);
    fake.seed({ stackName: 'orgconnect-resource', status: 'CREATE_COMPLETE', tags: OURS });
    await removeStack(context(fake, clock), input);
    assert.equal(fake.live('orgconnect-resource'), undefined);
    await removeStack(context(fake, clock), input);
    assert.equal(fake.count('DeleteStack'), 1);
  });

  test('waits out an operation in flight before deleting', async () => {
    const clock = createVirtualClock();
    const fake = new FakeCloudFormation('111122223333', clock);
    fake.seed({
      stackName: 'orgconnect-resource',
      status: 'UPDATE_IN_PROGRESS',
      then: [{ status: 'UPDATE_IN_PROGRESS', forMs: 30_000 }, 'UPDATE_COMPLETE'],
      tags: OURS,
    });
    await removeStack(context(fake, clock), input);
    assert.equal(fake.live('orgconnect-resource'), undefined);
    assert.ok(clock.slept >= 30_000);
  });

  test('refuses a stack without orgconnect’s tags and names what is missing', async () => {
    const clock = createVirtualClock();
    const fake = new FakeCloudFormation('111122223333', clock);
    fake.seed({ stackName: 'orgconnect-resource', status: 'CREATE_COMPLETE', tags: { owner: 'team-x' } });
    await assert.rejects(removeStack(context(fake, clock), input), (error: Error & { code?: string }) => {
      assert.equal(error.code, 'STACK_NOT_ORGCONNECT');
      assert.match(
        error.message,
        /lacks orgconnect's tags orgconnect:kind=resource and orgconnect:template-sha256/,
      );
      return true;
    });
    assert.equal(fake.count('DeleteStack'), 0);
  });

  test('a delete that fails is a DeployError naming the resource that would not go', async () => {
    const clock = createVirtualClock();
    const fake = new FakeCloudFormation('111122223333', clock);
    fake.seed({ stackName: 'orgconnect-resource', status: 'CREATE_COMPLETE', tags: OURS });
    fake.script('orgconnect-resource', 'delete', ['DELETE_IN_PROGRESS', 'DELETE_FAILED'], {
      logicalId: 'PlatformRole',
      resourceType: 'AWS::IAM::Role',
      reason: 'Cannot delete entity, must detach all policies first.',
    });
    await assert.rejects(removeStack(context(fake, clock), input), (error: unknown) => {
      assert.ok(error instanceof DeployError);
      assert.equal(error.code, 'STACK_DELETE_FAILED');
      assert.match(error.message, /PlatformRole \(AWS::IAM::Role\): Cannot delete entity/);
      assert.ok(error.stackId?.startsWith('arn:aws:cloudformation:'));
      return true;
    });
  });
});

describe('buildDisconnectPlan', () => {
  const MGMT = '100000000000';
  const members = ['200000000001', '200000000002', '200000000003'];
  const accounts = [MGMT, ...members].map((id) => ({
    id,
    name: id === MGMT ? 'management' : `member-${id.slice(-1)}`,
    status: 'ACTIVE',
    ouId: 'r-root',
    ouPath: 'Root',
    isManagement: id === MGMT,
  }));
  const stackFor = (id: string, tags: Record<string, string>): PreflightResult => ({
    accountId: id,
    ok: true,
    identityArn: `arn:aws:sts::${id}:assumed-role/OrganizationAccountAccessRole/x`,
    platformRole: 'unknown',
    stack: {
      stackId: `arn:aws:cloudformation:us-east-1:${id}:stack/s/1`,
      stackName: id === MGMT ? 'orgconnect-billing' : 'orgconnect-resource',
      status: 'CREATE_COMPLETE',
      tags: { ...tags, 'orgconnect:connection-name': `conn-${id.slice(-1)}` },
      parameters: {},
      outputs: { RoleArn: `arn:aws:iam::${id}:role/r` },
    },
  });
  const preflight = [
    stackFor(MGMT, { ...OURS, 'orgconnect:kind': 'billing' }),
    stackFor('200000000001', OURS),
    stackFor('200000000002', { team: 'x' }),
    {
      accountId: '200000000003',
      ok: true,
      identityArn: 'a',
      platformRole: 'unknown',
      stack: null,
    } as PreflightResult,
  ];
  const plan = (select: string, keepStacks = false) =>
    buildDisconnectPlan({ accounts, units: [], selection: parseSelection(select), preflight, keepStacks });

  test('each account says what happens and why; Billing is last and goes only with every member', () => {
    const all = plan('all');
    assert.deepEqual(
      all.items.map((i) => [i.accountId, i.action, i.code ?? '']),
      [
        ['200000000001', 'delete', ''],
        ['200000000002', 'blocked', 'STACK_NOT_ORGCONNECT'],
        ['200000000003', 'skip', ''],
        [MGMT, 'delete', ''],
      ],
    );
    assert.equal(all.items[0]?.connectionName, 'conn-1');
    assert.equal(all.items[0]?.roleArn, 'arn:aws:iam::200000000001:role/r');
    const some = plan(`${MGMT},200000000001`);
    const billing = some.items.find((i) => i.kind === 'billing');
    assert.equal(billing?.action, 'skip');
    assert.equal(billing?.code, 'BILLING_KEPT');
    assert.match(billing?.reason ?? '', /2 member account\(s\) of the Organization stay connected/);
  });

  test('--keep-stacks plans deregistration only', () => {
    assert.deepEqual(
      plan('200000000001', true).items.map((i) => i.action),
      ['deregister'],
    );
  });
});
