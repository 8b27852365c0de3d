import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { createVirtualClock } from '../../main/core/clock.js';
import {
  backoffDelay,
  classifyAwsError,
  cloudFormationFailure,
  withRetry,
} from '../../main/core/cloudformation/index.js';
import { awsError } from '../support/fake-cloudformation.js';

function networkError(code: string): Error {
  return Object.assign(new Error(`connect ${code} 127.0.0.1:443`), { code });
}

describe('classifyAwsError', () => {
  const cases: [string, unknown, string][] = [
    ['CloudFormation Throttling', awsError('Throttling', 'Rate exceeded'), 'throttle'],
    ['TooManyRequestsException', awsError('TooManyRequestsException', 'slow down', 429), 'throttle'],
    ['a bare 429', awsError('Whatever', 'x', 429), 'throttle'],
    ['500', awsError('InternalFailure', 'x', 500), 'transient'],
    ['503', awsError('ServiceUnavailable', 'x', 503), 'transient'],
    ['ECONNRESET', networkError('ECONNRESET'), 'transient'],
    ['ETIMEDOUT', networkError('ETIMEDOUT'), 'transient'],
    [
      'fresh credentials',
      awsError('InvalidClientTokenId', 'The security token included in the request is invalid.', 403),
      'eventual-consistency',
    ],
    [
      'role not yet assumable',
      awsError(
        'AccessDenied',
        'User: arn:aws:sts::1:assumed-role/a/b is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::2:role/r',
        403,
      ),
      'eventual-consistency',
    ],
    ['ENOTFOUND is a wrong endpoint', networkError('ENOTFOUND'), 'fatal'],
    ['ValidationError', awsError('ValidationError', 'Template format error'), 'fatal'],
    [
      'AccessDenied on cloudformation',
      awsError('AccessDenied', 'not authorized to perform: cloudformation:CreateStack', 403),
      'fatal',
    ],
    ['a plain Error', new Error('boom'), 'fatal'],
  ];
  for (const [name, error, kind] of cases) {
    test(`${name} → ${kind}`, () => assert.equal(classifyAwsError(error), kind));
  }
});

describe('backoffDelay', () => {
  test('stays within [half, full] of the capped exponential step', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 40 }),
        fc.double({ min: 0, max: 0.999999, noNaN: true }),
        (attempt, r) => {
          const policy = { baseMs: 1000, capMs: 15_000 };
          const step = Math.min(15_000, 1000 * 2 ** attempt);
          const delay = backoffDelay(attempt, policy, () => r);
          return delay >= step / 2 && delay <= step && delay <= 15_000;
        },
      ),
    );
  });

  test('grows until the cap', () => {
    const mid = (): number => 0.5;
    const delays = [0, 1, 2, 3, 4, 5].map((attempt) =>
      backoffDelay(attempt, { baseMs: 1000, capMs: 15_000 }, mid),
    );
    assert.deepEqual(delays, [750, 1500, 3000, 6000, 11250, 11250]);
  });
});

describe('withRetry', () => {
  test('retries throttling until success, sleeping between attempts', async () => {
    const clock = createVirtualClock();
    let calls = 0;
    const result = await withRetry(
      async () => {
        calls++;
        if (calls < 4) throw awsError('Throttling', 'Rate exceeded');
        return 'ok';
      },
      { clock },
    );
    assert.equal(result, 'ok');
    assert.equal(calls, 4);
    assert.ok(clock.slept >= 500 + 1000 + 2000, `slept ${clock.slept}`);
  });

  test('gives up at maxAttempts and rethrows the last error', async () => {
    const clock = createVirtualClock();
    let calls = 0;
    const retries: number[] = [];
    await assert.rejects(
      withRetry(
        async () => {
          calls++;
          throw awsError('Throttling', `Rate exceeded ${calls}`);
        },
        { clock, policy: { maxAttempts: 3 }, onRetry: ({ attempt }) => retries.push(attempt) },
      ),
      /Rate exceeded 3/,
    );
    assert.equal(calls, 3);
    assert.deepEqual(retries, [1, 2]);
  });

  test('eventual consistency has its own, smaller budget; fatal errors are not retried', async () => {
    const clock = createVirtualClock();
    let calls = 0;
    await assert.rejects(
      withRetry(
        async () => {
          calls++;
          throw awsError('InvalidClientTokenId', 'invalid');
        },
        { clock, policy: { maxAttempts: 10, eventualConsistencyAttempts: 2 } },
      ),
    );
    assert.equal(calls, 2);

    calls = 0;
    await assert.rejects(
      withRetry(
        async () => {
          calls++;
          throw awsError('ValidationError', 'bad');
        },
        { clock },
      ),
    );
    assert.equal(calls, 1);
  });

  test('an aborted signal stops retrying', async () => {
    const clock = createVirtualClock();
    const controller = new AbortController();
    let calls = 0;
    await assert.rejects(
      withRetry(
        async () => {
          calls++;
          controller.abort();
          throw awsError('Throttling', 'Rate exceeded');
        },
        { clock, signal: controller.signal },
      ),
      { code: 'CANCELLED_ABORTED' },
    );
    assert.equal(calls, 1);
  });
});

describe('cloudFormationFailure', () => {
  test('maps known errors to codes with fixes, keeps the account in the message', () => {
    const denied = cloudFormationFailure(
      awsError('AccessDenied', 'not authorized to perform: cloudformation:CreateStack', 403),
      '111122223333',
    );
    assert.equal(denied.code, 'CFN_ACCESS_DENIED');
    assert.match(denied.message, /111122223333/);
    assert.ok(denied.fix);
    assert.equal(
      cloudFormationFailure(
        awsError('InsufficientCapabilitiesException', 'Requires capabilities : [CAPABILITY_NAMED_IAM]'),
      ).code,
      'CFN_INSUFFICIENT_CAPABILITIES',
    );
    assert.equal(
      cloudFormationFailure(awsError('LimitExceededException', 'Limit on the number of stacks')).code,
      'CFN_LIMIT_EXCEEDED',
    );
    assert.equal(cloudFormationFailure(awsError('Throttling', 'Rate exceeded')).code, 'AWS_THROTTLED');
    assert.equal(cloudFormationFailure(awsError('ExpiredToken', 'expired', 403)).code, 'CREDENTIALS_INVALID');
    assert.equal(cloudFormationFailure(new Error('weird')).code, 'AWS_ERROR');
  });
});
