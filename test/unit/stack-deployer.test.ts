import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createVirtualClock, type Clock } from '../../main/core/clock.js';
import {
  deployStack,
  INPUTS_SHA_TAG,
  stackInputTags,
  StackDeployError,
  TEMPLATE_SHA_TAG,
  type DeployStackInput,
} from '../../main/core/onboarding/stack-deployer.js';
import { awsError, FakeCloudFormation, throttling } from '../support/fake-cloudformation.js';

const ACCOUNT = '111122223333';
const TEMPLATE = 'Resources:\n  Role:\n    Type: AWS::IAM::Role\n';
const PARAMETERS = { ExternalId: 'ext-id-secret-value', RoleName: 'platform-role' };

function setup(): {
  clock: ReturnType<typeof createVirtualClock>;
  fake: FakeCloudFormation;
  input: DeployStackInput;
} {
  const clock = createVirtualClock();
  const fake = new FakeCloudFormation(ACCOUNT, clock);
  const input: DeployStackInput = {
    cloudformation: fake.client(),
    stackName: 'orgconnect-resource',
    templateBody: TEMPLATE,
    parameters: PARAMETERS,
    tags: { 'orgconnect:connection': 'prod' },
    clock,
    accountId: ACCOUNT,
  };
  return { clock, fake, input };
}

/** Records every sleep so tests can check the waits between polls. */
function recordingSleeps(clock: Clock): { clock: Clock; sleeps: number[] } {
  const sleeps: number[] = [];
  return {
    sleeps,
    clock: {
      ...clock,
      now: () => clock.now(),
      random: () => clock.random(),
      sleep: (ms, signal) => (sleeps.push(ms), clock.sleep(ms, signal)),
    },
  };
}

const writes = (fake: FakeCloudFormation): string[] =>
  fake.calls
    .map((call) => call.command)
    .filter((name) => ['CreateStack', 'UpdateStack', 'DeleteStack'].includes(name));

async function rejection(promise: Promise<unknown>): Promise<StackDeployError> {
  try {
    await promise;
  } catch (error) {
    return error as StackDeployError;
  }
  assert.fail('expected the deploy to fail');
}

describe('deployStack', () => {
  test('creates an absent stack and waits through IN_PROGRESS with growing, capped, jittered polls', async () => {
    const { clock, fake, input } = setup();
    const steps = Array.from({ length: 12 }, () => 'CREATE_IN_PROGRESS');
    fake.script('orgconnect-resource', 'create', [...steps, 'CREATE_COMPLETE']);
    const recorded = recordingSleeps(clock);
    const result = await deployStack({ ...input, clock: recorded.clock });

    assert.equal(result.outcome, 'created');
    assert.match(
      result.stackId,
      /^arn:aws:cloudformation:us-east-1:111122223333:stack\/orgconnect-resource\//,
    );
    assert.equal(result.outputs['RoleArn'], 'arn:aws:iam::111122223333:role/platform-role');
    assert.deepEqual(writes(fake), ['CreateStack']);
    const create = fake.calls.find((call) => call.command === 'CreateStack');
    assert.deepEqual(create?.input['Capabilities'], ['CAPABILITY_NAMED_IAM']);
    const tags = Object.fromEntries(
      (create?.input['Tags'] as { Key: string; Value: string }[]).map((t) => [t.Key, t.Value]),
    );
    assert.equal(tags['orgconnect:connection'], 'prod');
    assert.match(tags[TEMPLATE_SHA_TAG] ?? '', /^[0-9a-f]{64}$/);
    assert.match(tags[INPUTS_SHA_TAG] ?? '', /^[0-9a-f]{64}$/);

    // Backoff: 12 waits, never above the 2 s cap, the first ones short, later ones long, not all equal (jitter).
    assert.equal(recorded.sleeps.length, 12);
    assert.ok(
      recorded.sleeps.every((ms) => ms >= 500 && ms <= 2000),
      String(recorded.sleeps),
    );
    assert.ok((recorded.sleeps[0] ?? 0) <= 1000);
    assert.ok(recorded.sleeps.slice(6).every((ms) => ms >= 1000));
    assert.ok(new Set(recorded.sleeps.slice(6)).size > 1, 'jittered');
  });

  test('a stack complete with the same input tags is left alone (no write at all)', async () => {
    const { fake, input } = setup();
    fake.seed({
      stackName: 'orgconnect-resource',
      status: 'UPDATE_COMPLETE',
      tags: { 'orgconnect:connection': 'prod', ...stackInputTags(input) },
    });
    const result = await deployStack(input);
    assert.equal(result.outcome, 'unchanged');
    assert.deepEqual(writes(fake), []);
  });

  test('replace: a stack that matches is still deleted and created again (sync repairs a role changed outside it)', async () => {
    const { fake, input } = setup();
    fake.seed({
      stackName: 'orgconnect-resource',
      status: 'UPDATE_COMPLETE',
      tags: { 'orgconnect:connection': 'prod', ...stackInputTags(input) },
    });
    const result = await deployStack({ ...input, replace: true });
    assert.equal(result.outcome, 'created');
    assert.deepEqual(writes(fake), ['DeleteStack', 'CreateStack']);
    assert.equal(fake.live('orgconnect-resource')?.status, 'CREATE_COMPLETE');
  });

  test('a different External ID (masked as **** by AWS) is still seen as a change through the inputs tag', async () => {
    const { fake, input } = setup();
    const old = stackInputTags({
      ...input,
      parameters: { ...PARAMETERS, ExternalId: 'the-old-external-id' },
    });
    fake.seed({
      stackName: 'orgconnect-resource',
      status: 'CREATE_COMPLETE',
      tags: { 'orgconnect:connection': 'prod', ...old },
      parameters: PARAMETERS,
      templateBody: TEMPLATE,
    });
    const result = await deployStack(input);
    assert.equal(result.outcome, 'updated');
    assert.deepEqual(writes(fake), ['UpdateStack']);
    assert.equal(fake.live('orgconnect-resource')?.status, 'UPDATE_COMPLETE');
  });

  test('"No updates are to be performed" counts as success', async () => {
    const { fake, input } = setup();
    fake.seed({ stackName: 'orgconnect-resource', status: 'CREATE_COMPLETE' });
    fake.failNext('UpdateStack', awsError('ValidationError', 'No updates are to be performed.'));
    const result = await deployStack(input);
    assert.equal(result.outcome, 'unchanged');
    assert.equal(fake.count('UpdateStack'), 1);
  });

  test('ROLLBACK_COMPLETE is deleted, waited for, then created again', async () => {
    const { fake, input } = setup();
    const old = fake.seed({ stackName: 'orgconnect-resource', status: 'ROLLBACK_COMPLETE' });
    fake.script('orgconnect-resource', 'delete', [
      'DELETE_IN_PROGRESS',
      'DELETE_IN_PROGRESS',
      'DELETE_COMPLETE',
    ]);
    const result = await deployStack(input);
    assert.equal(result.outcome, 'created');
    assert.deepEqual(writes(fake), ['DeleteStack', 'CreateStack']);
    assert.equal(fake.calls.find((call) => call.command === 'DeleteStack')?.input['StackName'], old.stackId);
    assert.notEqual(result.stackId, old.stackId);
    // The delete was waited for by stack id (a deleted stack is only visible that way).
    const pollsOfOld = fake.calls.filter(
      (call) => call.command === 'DescribeStacks' && call.input['StackName'] === old.stackId,
    );
    assert.equal(pollsOfOld.length, 3);
  });

  test('a stack already IN_PROGRESS is waited for before deciding', async () => {
    const { fake, input } = setup();
    fake.seed({
      stackName: 'orgconnect-resource',
      status: 'UPDATE_IN_PROGRESS',
      then: [{ status: 'UPDATE_IN_PROGRESS', forMs: 5 * 60_000 }, 'UPDATE_COMPLETE'],
      tags: { 'orgconnect:connection': 'prod', ...stackInputTags(input) },
    });
    const result = await deployStack(input);
    assert.equal(result.outcome, 'unchanged');
    assert.deepEqual(writes(fake), []);
    assert.ok(fake.count('DescribeStacks') > 3);
  });

  test('a failed create reports the first failing resource, not the cancelled ones', async () => {
    const { fake, input } = setup();
    fake.script(
      'orgconnect-resource',
      'create',
      ['CREATE_IN_PROGRESS', 'ROLLBACK_IN_PROGRESS', 'ROLLBACK_COMPLETE'],
      {
        logicalId: 'PlatformRole',
        reason:
          'platform-role already exists in stack arn:aws:cloudformation:us-east-1:111122223333:stack/other/1',
        later: [
          {
            logicalId: 'ReadPolicy',
            status: 'DELETE_FAILED',
            reason: 'Policy is attached to a role that is being deleted',
          },
        ],
      },
    );
    const error = await rejection(deployStack(input));
    assert.ok(error instanceof StackDeployError);
    assert.equal(error.code, 'STACK_CREATE_FAILED');
    assert.match(error.message, /PlatformRole \(AWS::IAM::Role\): platform-role already exists/);
    assert.doesNotMatch(error.message, /cancelled/);
    assert.match(error.fix ?? '', /already exists/);
    assert.equal(error.stackId, fake.live('orgconnect-resource')?.stackId);
  });

  test('throttling is retried with backoff and succeeds within the cap', async () => {
    const { fake, input } = setup();
    fake.failNext('DescribeStacks', throttling(), throttling(), throttling());
    fake.failNext('CreateStack', throttling());
    const result = await deployStack(input);
    assert.equal(result.outcome, 'created');
    assert.equal(fake.count('CreateStack'), 2);
  });

  test('throttling that never stops fails after the attempt cap with AWS_THROTTLED', async () => {
    const { fake, input } = setup();
    fake.failNext('DescribeStacks', ...Array.from({ length: 20 }, throttling));
    const error = await rejection(deployStack({ ...input, retry: { maxAttempts: 5 } }));
    assert.equal(error.code, 'AWS_THROTTLED');
    assert.equal(fake.count('DescribeStacks'), 5);
    assert.deepEqual(writes(fake), []);
  });

  test('5xx and HTTP 429 are retried; a 400 ValidationError is not', async () => {
    const { fake, input } = setup();
    fake.failNext(
      'CreateStack',
      awsError('InternalFailure', 'oops', 500),
      awsError('SomethingElse', 'slow down', 429),
    );
    assert.equal((await deployStack(input)).outcome, 'created');

    const second = setup();
    second.fake.failNext(
      'CreateStack',
      awsError('ValidationError', 'Template format error: YAML not well-formed.'),
    );
    const error = await rejection(deployStack(second.input));
    assert.equal(error.code, 'CFN_VALIDATION');
    assert.equal(second.fake.count('CreateStack'), 1);
  });

  test('AccessDenied on cloudformation:* becomes CFN_ACCESS_DENIED with a fix', async () => {
    const { fake, input } = setup();
    fake.failNext(
      'CreateStack',
      awsError(
        'AccessDenied',
        'User: arn:aws:sts::111122223333:assumed-role/Limited/x is not authorized to perform: cloudformation:CreateStack',
        403,
      ),
    );
    const error = await rejection(deployStack(input));
    assert.equal(error.code, 'CFN_ACCESS_DENIED');
    assert.match(error.fix ?? '', /cloudformation/);
    assert.equal(fake.count('CreateStack'), 1);
  });

  test('missing CAPABILITY_NAMED_IAM becomes CFN_INSUFFICIENT_CAPABILITIES', async () => {
    const { input } = setup();
    const error = await rejection(deployStack({ ...input, capabilities: [] }));
    assert.equal(error.code, 'CFN_INSUFFICIENT_CAPABILITIES');
  });

  test('AlreadyExists (someone created it meanwhile) re-describes instead of failing', async () => {
    const { fake, input } = setup();
    let raced = false;
    fake.beforeSend = (command) => {
      if (command === 'CreateStack' && !raced) {
        raced = true;
        fake.seed({
          stackName: 'orgconnect-resource',
          status: 'CREATE_COMPLETE',
          tags: { 'orgconnect:connection': 'prod', ...stackInputTags(input) },
        });
      }
    };
    const result = await deployStack(input);
    assert.equal(result.outcome, 'unchanged');
    assert.equal(fake.count('CreateStack'), 1);
  });

  test('UPDATE_ROLLBACK_FAILED needs a person: no write, STACK_NEEDS_ATTENTION', async () => {
    const { fake, input } = setup();
    fake.seed({ stackName: 'orgconnect-resource', status: 'UPDATE_ROLLBACK_FAILED' });
    const error = await rejection(deployStack(input));
    assert.equal(error.code, 'STACK_NEEDS_ATTENTION');
    assert.deepEqual(writes(fake), []);
  });

  test('a failed update reports UPDATE failure with the resource reason', async () => {
    const { fake, input } = setup();
    fake.seed({ stackName: 'orgconnect-resource', status: 'CREATE_COMPLETE' });
    fake.script(
      'orgconnect-resource',
      'update',
      ['UPDATE_IN_PROGRESS', 'UPDATE_ROLLBACK_IN_PROGRESS', 'UPDATE_ROLLBACK_COMPLETE'],
      {
        logicalId: 'PlatformRole',
        reason:
          'User is not authorized to perform: iam:UpdateAssumeRolePolicy with an explicit deny in a service control policy',
      },
    );
    const error = await rejection(deployStack(input));
    assert.equal(error.code, 'STACK_UPDATE_FAILED');
    assert.match(error.message, /UPDATE_ROLLBACK_COMPLETE.*iam:UpdateAssumeRolePolicy/);
    assert.ok(error.fix);
  });

  test('waiting gives up after the poll timeout with STACK_WAIT_TIMEOUT', async () => {
    const { fake, input } = setup();
    fake.script('orgconnect-resource', 'create', [
      'CREATE_IN_PROGRESS',
      { status: 'CREATE_IN_PROGRESS', forMs: 3 * 3600_000 },
      'CREATE_COMPLETE',
    ]);
    const error = await rejection(deployStack({ ...input, poll: { timeoutMs: 10 * 60_000 } }));
    assert.equal(error.code, 'STACK_WAIT_TIMEOUT');
    // Capped at 2 s with equal jitter: one poll per 1–2 s, so 300–600 in 10 minutes, never a tight loop.
    const polls = fake.count('DescribeStacks');
    assert.ok(polls >= 300 && polls <= 610, `polled ${polls} times in 10 minutes`);
  });

  test('an abort signal stops the wait with CANCELLED_ABORTED', async () => {
    const { fake, input } = setup();
    fake.script('orgconnect-resource', 'create', [
      'CREATE_IN_PROGRESS',
      { status: 'CREATE_IN_PROGRESS', forMs: 3600_000 },
      'CREATE_COMPLETE',
    ]);
    const controller = new AbortController();
    let polls = 0;
    fake.beforeSend = (command) => {
      if (command === 'DescribeStacks' && ++polls === 4) controller.abort();
    };
    const error = await rejection(deployStack({ ...input, signal: controller.signal }));
    assert.equal(error.code, 'CANCELLED_ABORTED');
  });

  test('input tags are stable for the same inputs and differ when any parameter or tag does', () => {
    const base = { templateBody: TEMPLATE, parameters: PARAMETERS, tags: { a: '1' } };
    assert.deepEqual(
      stackInputTags(base),
      stackInputTags({
        ...base,
        parameters: { RoleName: 'platform-role', ExternalId: 'ext-id-secret-value' },
      }),
    );
    assert.notEqual(
      stackInputTags(base)[INPUTS_SHA_TAG],
      stackInputTags({ ...base, tags: { a: '2' } })[INPUTS_SHA_TAG],
    );
    assert.notEqual(
      stackInputTags(base)[TEMPLATE_SHA_TAG],
      stackInputTags({ ...base, templateBody: `${TEMPLATE}# x` })[TEMPLATE_SHA_TAG],
    );
    assert.doesNotMatch(JSON.stringify(stackInputTags(base)), /ext-id-secret-value/);
  });
});
