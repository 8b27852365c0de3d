// Preflight's three reads after GetCallerIdentity (the access role's GetRole, DescribeStacks, the platform role's
// GetRole) run at the same time. These tests drive them through fake clients because what they check is timing
// that moto cannot be made to show on demand: that all three are in flight together, and that whichever order
// they finish in, the account gets the same answer as the sequential chain gave (test/integration/preflight.test.ts
// and faults-preflight.test.ts cover the same rules against moto).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as delay } from 'node:timers/promises';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { GetRoleCommand } from '@aws-sdk/client-iam';
import {
  runPreflight,
  type PreflightClientFactory,
  type PreflightResult,
} from '../../main/core/onboarding/preflight.js';
import { awsError } from '../support/fake-cloudformation.js';

const ACCOUNT = '222233334444';
const ACCESS_ROLE = 'OrganizationAccountAccessRole';
const PLATFORM_ROLE = 'orgconnect-platform-resource';
const STACK = 'orgconnect-resource';
const IDENTITY_ARN = `arn:aws:sts::${ACCOUNT}:assumed-role/${ACCESS_ROLE}/orgconnect`;

type Read = 'accessRole' | 'stack' | 'platformRole';
const READS: readonly Read[] = ['accessRole', 'stack', 'platformRole'];

/** Clients whose GetCallerIdentity answers at once and whose three reads are answered by `read`. */
function clientsAnswering(
  read: (which: Read, signal?: AbortSignal) => Promise<unknown>,
): PreflightClientFactory {
  const send = (command: unknown, options?: { abortSignal?: AbortSignal }): Promise<unknown> => {
    if (command instanceof GetCallerIdentityCommand)
      return Promise.resolve({ Account: ACCOUNT, Arn: IDENTITY_ARN });
    if (command instanceof DescribeStacksCommand) {
      assert.equal(command.input.StackName, STACK);
      return read('stack', options?.abortSignal);
    }
    if (command instanceof GetRoleCommand) {
      const role = command.input.RoleName;
      assert.ok(role === ACCESS_ROLE || role === PLATFORM_ROLE, `unexpected GetRole ${role}`);
      return read(role === ACCESS_ROLE ? 'accessRole' : 'platformRole', options?.abortSignal);
    }
    throw new Error(`unexpected command ${String(command)}`);
  };
  const client = { send } as never;
  return () => ({ sts: client, cloudformation: client, iam: client });
}

function preflightOne(
  clientFactory: PreflightClientFactory,
  signal?: AbortSignal,
): Promise<PreflightResult[]> {
  return runPreflight({
    targets: [{ accountId: ACCOUNT, stackName: STACK, platformRoleName: PLATFORM_ROLE }],
    credentialsFor: () => Promise.resolve({ accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' }),
    clientFactory,
    retry: { baseMs: 1, capMs: 2 },
    ...(signal === undefined ? {} : { signal }),
  });
}

/** What each read answers in a scenario: a value to resolve with, or an error to reject with. */
type Outcomes = Record<Read, { value: unknown } | { error: unknown }>;

/**
 * Holds every read until all three have been called, then settles them in `order`, one per timer turn, so the
 * preflight sees them finish in exactly that order.
 */
function settleInOrder(outcomes: Outcomes, order: readonly Read[]): PreflightClientFactory {
  const pending = new Map<Read, { resolve: (v: unknown) => void; reject: (e: unknown) => void }>();
  return clientsAnswering(
    (which) =>
      new Promise((resolve, reject) => {
        pending.set(which, { resolve, reject });
        if (pending.size < READS.length) return;
        void (async () => {
          for (const next of order) {
            await delay(1);
            const outcome = outcomes[next];
            const settle = pending.get(next);
            if ('error' in outcome) settle?.reject(outcome.error);
            else settle?.resolve(outcome.value);
          }
        })();
      }),
  );
}

function permutations<T>(items: readonly T[]): T[][] {
  if (items.length <= 1) return [[...items]];
  return items.flatMap((item, i) =>
    permutations([...items.slice(0, i), ...items.slice(i + 1)]).map((rest) => [item, ...rest]),
  );
}

const ROLE = { value: { Role: { RoleName: 'any' } } };
const NO_STACK = { error: awsError('ValidationError', `Stack with id ${STACK} does not exist`) };
const denied = (action: string) => ({
  error: awsError('AccessDenied', `User is not authorized to perform: ${action}`, 403),
});
const noSuchRole = (name: string) => ({
  error: awsError('NoSuchEntity', `The role with name ${name} cannot be found.`, 404),
});

const ACCESS_ROLE_MISSING = {
  accountId: ACCOUNT,
  ok: false,
  code: 'ACCESS_ROLE_MISSING',
  reason: `Could not assume ${ACCESS_ROLE} in ${ACCOUNT}.`,
  fix: `Create ${ACCESS_ROLE} in ${ACCOUNT} (trusting the management account), or choose another access role or Identity Center.`,
};

// On a sequential chain the three reads are never pending together, so the ordered tests below never settle; the
// limit makes sure that shows as a failure.
describe('preflight reads after GetCallerIdentity', { timeout: 20_000 }, () => {
  test('the access role GetRole, DescribeStacks and the platform role GetRole are in flight at the same time', async () => {
    const called: Read[] = [];
    let inFlight = 0;
    let mostInFlight = 0;
    let allCalled!: () => void;
    const allThreeCalled = new Promise<void>((resolve) => (allCalled = resolve));
    const factory = clientsAnswering(async (which) => {
      called.push(which);
      inFlight += 1;
      mostInFlight = Math.max(mostInFlight, inFlight);
      if (called.length === READS.length) allCalled();
      // One after another, the first read would wait here for ever; the time limit lets that case fail cleanly.
      await Promise.race([allThreeCalled, delay(1500)]);
      inFlight -= 1;
      return which === 'stack' ? { Stacks: [] } : ROLE.value;
    });
    const [result] = await preflightOne(factory);
    assert.deepEqual([...called].sort(), [...READS].sort());
    assert.equal(
      mostInFlight,
      3,
      `reads in flight at once: ${mostInFlight} (called in order ${called.join(', ')})`,
    );
    assert.deepEqual(result, {
      accountId: ACCOUNT,
      ok: true,
      identityArn: IDENTITY_ARN,
      stack: null,
      platformRole: 'exists',
    });
  });

  const scenarios: {
    name: string;
    outcomes: Outcomes;
    expected: (r: PreflightResult | undefined) => void;
  }[] = [
    {
      name: 'a missing access role beats a failed DescribeStacks and a refused platform role read',
      outcomes: {
        accessRole: noSuchRole(ACCESS_ROLE),
        stack: denied('cloudformation:DescribeStacks'),
        platformRole: denied('iam:GetRole'),
      },
      expected: (r) => assert.deepEqual(r, ACCESS_ROLE_MISSING),
    },
    {
      name: 'a missing access role beats any other DescribeStacks failure',
      outcomes: {
        accessRole: noSuchRole(ACCESS_ROLE),
        stack: { error: new Error('socket hang up') },
        platformRole: noSuchRole(PLATFORM_ROLE),
      },
      expected: (r) => assert.deepEqual(r, ACCESS_ROLE_MISSING),
    },
    {
      name: 'AccessDenied on the access role is no failure; then DescribeStacks refused blocks, whatever the platform role',
      outcomes: {
        accessRole: denied('iam:GetRole'),
        stack: denied('cloudformation:DescribeStacks'),
        platformRole: noSuchRole(PLATFORM_ROLE),
      },
      expected: (r) =>
        assert.deepEqual(r, {
          accountId: ACCOUNT,
          ok: false,
          code: 'NO_CLOUDFORMATION_ACCESS',
          reason: `The access role cannot read CloudFormation stacks in ${ACCOUNT}.`,
          fix: 'Give the access role CloudFormation and IAM permissions in this account (OrganizationAccountAccessRole has them), or choose another access role.',
        }),
    },
    {
      name: 'any other DescribeStacks failure blocks with its own message, even when the platform role read failed too',
      outcomes: {
        accessRole: ROLE,
        stack: { error: new Error('socket hang up') },
        platformRole: { error: new Error('connection reset') },
      },
      expected: (r) =>
        assert.deepEqual(r, {
          accountId: ACCOUNT,
          ok: false,
          code: 'PREFLIGHT_FAILED',
          reason: `DescribeStacks failed in ${ACCOUNT}: socket hang up`,
        }),
    },
    {
      name: 'no stack and no platform role: passes with platformRole absent',
      outcomes: {
        accessRole: denied('iam:GetRole'),
        stack: NO_STACK,
        platformRole: noSuchRole(PLATFORM_ROLE),
      },
      expected: (r) =>
        assert.deepEqual(r, {
          accountId: ACCOUNT,
          ok: true,
          identityArn: IDENTITY_ARN,
          stack: null,
          platformRole: 'absent',
        }),
    },
    {
      name: 'a stack found and a platform role read refused: passes with the stack and platformRole unknown',
      outcomes: {
        accessRole: ROLE,
        stack: {
          value: {
            Stacks: [
              {
                StackId: 'arn:aws:cloudformation:us-east-1:222233334444:stack/orgconnect-resource/1',
                StackName: STACK,
                StackStatus: 'CREATE_COMPLETE',
                Tags: [{ Key: 'orgconnect:connection', Value: 'prod' }],
              },
            ],
          },
        },
        platformRole: denied('iam:GetRole'),
      },
      expected: (r) => {
        assert.ok(r?.ok, JSON.stringify(r));
        assert.equal(r.platformRole, 'unknown');
        assert.equal(r.stack?.status, 'CREATE_COMPLETE');
        assert.deepEqual(r.stack?.tags, { 'orgconnect:connection': 'prod' });
      },
    },
  ];
  for (const scenario of scenarios) {
    test(`${scenario.name}, in every order the reads finish`, async () => {
      for (const order of permutations(READS)) {
        const [result] = await preflightOne(settleInOrder(scenario.outcomes, order));
        try {
          scenario.expected(result);
        } catch (error) {
          assert.fail(`finishing ${order.join(' → ')}: ${(error as Error).message}`);
        }
      }
    });
  }

  test('each of the three reads is retried through its throttling while the others are in flight', async () => {
    const attempts: Record<Read, number> = { accessRole: 0, stack: 0, platformRole: 0 };
    const factory = clientsAnswering(async (which) => {
      attempts[which] += 1;
      if (attempts[which] === 1) throw awsError('Throttling', 'Rate exceeded');
      return which === 'stack' ? { Stacks: [] } : ROLE.value;
    });
    const [result] = await preflightOne(factory);
    assert.deepEqual(attempts, { accessRole: 2, stack: 2, platformRole: 2 });
    assert.equal(result?.ok && result.platformRole, 'exists');
  });

  test('aborting while the reads are in flight stops the preflight', async () => {
    const controller = new AbortController();
    const factory = clientsAnswering(
      (_which, signal) =>
        new Promise((_resolve, reject) => {
          // As the SDK does: a request in flight rejects when its signal aborts; nothing answers otherwise.
          signal?.addEventListener('abort', () =>
            reject(Object.assign(new Error('Request aborted'), { name: 'AbortError' })),
          );
          queueMicrotask(() => controller.abort());
        }),
    );
    await assert.rejects(preflightOne(factory, controller.signal), { code: 'CANCELLED_ABORTED' });
  });
});
