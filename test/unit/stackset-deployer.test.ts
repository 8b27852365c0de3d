// deployResourceStackSet against a scripted StackSet CloudFormation (operation sequences moto cannot produce)
// and the status mapping on every documented instance status.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { StackInstanceSummary } from '@aws-sdk/client-cloudformation';
import { createVirtualClock } from '../../main/core/clock.js';
import { stackInputTags } from '../../main/core/onboarding/stack-deployer.js';
import {
  deployResourceStackSet,
  STACKSETS_SERVICE_PRINCIPAL,
  type DeployStackSetInput,
} from '../../main/core/onboarding/stackset-deployer.js';
import { accountViews, instanceView } from '../../main/core/cloudformation/index.js';
import { isOrgConnectError } from '../../main/core/errors.js';
import { awsError, throttling } from '../support/fake-cloudformation.js';
import { FakeStackSetCloudFormation, fakeOrganizations } from '../support/stackset-fake-cloudformation.js';

const MANAGEMENT = '100000000000';
const A = '111111111111';
const B = '222222222222';
const C = '333333333333';
const ROOT = 'r-ab12';
const OU_PROD = 'ou-ab12-prod0001';
const OU_DEV = 'ou-ab12-dev00001';
const TEMPLATE = 'Resources:\n  PlatformRole:\n    Type: AWS::IAM::Role\n';
const PARAMETERS = { ExternalId: 'ext-secret-value-1', RoleName: 'orgconnect-platform-resource' };

function setup(overrides: Partial<DeployStackSetInput> = {}) {
  const clock = createVirtualClock();
  // The management account sits in the root; AWS would never deploy there, the fake (like moto) does.
  const cfn = new FakeStackSetCloudFormation({
    [OU_PROD]: [A, B],
    [OU_DEV]: [C],
    [ROOT]: [MANAGEMENT, A, B, C],
  });
  const organizations = fakeOrganizations([
    'sso.amazonaws.com',
    STACKSETS_SERVICE_PRINCIPAL,
    'ram.amazonaws.com',
  ]);
  const states: [string, string, string | undefined][] = [];
  const input: DeployStackSetInput = {
    cloudformation: cfn.client() as DeployStackSetInput['cloudformation'],
    organizations: organizations as unknown as DeployStackSetInput['organizations'],
    templateBody: TEMPLATE,
    parameters: PARAMETERS,
    tags: { 'orgconnect:kind': 'resource' },
    targets: { organizationalUnitIds: [OU_PROD, OU_DEV] },
    regions: ['us-east-1'],
    managementAccountId: MANAGEMENT,
    knownUnits: [{ id: ROOT }, { id: OU_PROD }, { id: OU_DEV }],
    clock,
    onAccountState: (accountId, state, reason) => states.push([accountId, state, reason]),
    poll: { baseMs: 1000, capMs: 8000 },
    ...overrides,
  };
  return { clock, cfn, organizations, states, input };
}

describe('deployResourceStackSet', () => {
  test('creates a service-managed StackSet, adds OU instances, polls RUNNING → SUCCEEDED with backoff', async () => {
    const { clock, cfn, states, input } = setup({
      preferences: { maxConcurrentCount: 5, failureToleranceCount: 1, regionConcurrencyType: 'PARALLEL' },
    });
    cfn.script([
      { status: 'RUNNING' },
      { status: 'RUNNING' },
      { status: 'RUNNING' },
      { status: 'SUCCEEDED' },
    ]);
    const result = await deployResourceStackSet(input);

    assert.equal(result.outcome, 'created');
    assert.equal(result.status, 'SUCCEEDED');
    assert.deepEqual(
      result.accounts.map((a) => [a.accountId, a.state]),
      [
        [A, 'connected'],
        [B, 'connected'],
        [C, 'connected'],
      ],
    );
    const create = cfn.calls.find((c) => c.command === 'CreateStackSet')?.input ?? {};
    assert.equal(create['PermissionModel'], 'SERVICE_MANAGED');
    assert.deepEqual(create['AutoDeployment'], { Enabled: true, RetainStacksOnAccountRemoval: false });
    assert.deepEqual(create['Capabilities'], ['CAPABILITY_NAMED_IAM']);
    assert.equal(create['CallAs'], 'SELF');
    const tags = Object.fromEntries(
      (create['Tags'] as { Key: string; Value: string }[]).map((t) => [t.Key, t.Value]),
    );
    assert.deepEqual(tags, { 'orgconnect:kind': 'resource', ...stackInputTags(input) });
    const instances = cfn.calls.find((c) => c.command === 'CreateStackInstances')?.input ?? {};
    assert.deepEqual(instances['DeploymentTargets'], { OrganizationalUnitIds: [OU_PROD, OU_DEV] });
    assert.deepEqual(instances['OperationPreferences'], {
      MaxConcurrentCount: 5,
      FailureToleranceCount: 1,
      RegionConcurrencyType: 'PARALLEL',
    });
    // Four polls, three waits between them, growing (equal-jitter backoff from 1 s, capped at 8 s).
    assert.equal(cfn.commands().filter((c) => c === 'DescribeStackSetOperation').length, 4);
    assert.ok(clock.slept >= 500 + 1000 + 2000 && clock.slept <= 1000 + 2000 + 4000, `slept ${clock.slept}`);
    // Each account was told deploying, then connected — once each, although every poll lists it again.
    for (const account of [A, B, C]) {
      assert.deepEqual(
        states.filter(([id]) => id === account).map(([, state]) => state),
        ['deploying', 'connected'],
      );
    }
    // ListStackInstances was paginated (page size 2, three instances).
    const lists = cfn.calls.filter((c) => c.command === 'ListStackInstances');
    assert.ok(lists.some((c) => c.input['NextToken'] === '2'));
  });

  test('the management account is never reported, even when the OU target contains it', async () => {
    const { cfn, states, input } = setup({ targets: { organizationalUnitIds: [ROOT] } });
    const result = await deployResourceStackSet(input);
    assert.equal(result.ignoredManagementInstances, 1);
    assert.deepEqual(
      result.accounts.map((a) => a.accountId),
      [A, B, C],
    );
    assert.ok(states.every(([id]) => id !== MANAGEMENT));
    assert.equal(cfn.commands().includes('CreateStackSet'), true);
  });

  test('partial failure inside the failure tolerance: operation SUCCEEDED, failed accounts carry the reason', async () => {
    const { cfn, states, input } = setup({
      preferences: { maxConcurrentPercentage: 100, failureToleranceCount: 1 },
    });
    cfn.script([
      { status: 'RUNNING', instances: { [A]: 'RUNNING', [B]: 'RUNNING', [C]: 'PENDING' } },
      {
        status: 'RUNNING',
        instances: {
          [A]: 'SUCCEEDED',
          [B]: ['FAILED', 'ResourceLogicalId:PlatformRole, ResourceStatusReason:Role already exists.'],
        },
      },
      { status: 'SUCCEEDED', instances: { [C]: 'SUCCEEDED' } },
    ]);
    const result = await deployResourceStackSet(input);
    assert.equal(result.status, 'SUCCEEDED');
    const byId = Object.fromEntries(result.accounts.map((a) => [a.accountId, a]));
    assert.equal(byId[A]?.state, 'connected');
    assert.equal(byId[C]?.state, 'connected');
    assert.equal(byId[B]?.state, 'failed');
    assert.match(byId[B]?.reason ?? '', /Role already exists/);
    assert.deepEqual(
      states.find(([id, s]) => id === B && s === 'failed'),
      [B, 'failed', 'ResourceLogicalId:PlatformRole, ResourceStatusReason:Role already exists.'],
    );
    assert.deepEqual(
      cfn.calls.find((c) => c.command === 'CreateStackInstances')?.input['OperationPreferences'],
      {
        MaxConcurrentPercentage: 100,
        FailureToleranceCount: 1,
      },
    );
  });

  test('tolerance exceeded: operation FAILED, the untouched account is CANCELLED and reported failed', async () => {
    const { cfn, input } = setup();
    cfn.script([
      {
        status: 'RUNNING',
        instances: { [A]: ['FAILED', 'Denied by SCP'], [B]: ['FAILED', 'Denied by SCP'] },
      },
      { status: 'FAILED', statusReason: 'Failure tolerance exceeded', instances: { [C]: 'CANCELLED' } },
    ]);
    const result = await deployResourceStackSet(input);
    assert.equal(result.status, 'FAILED');
    assert.equal(result.operations.at(-1)?.statusReason, 'Failure tolerance exceeded');
    assert.ok(result.accounts.every((a) => a.state === 'failed'));
    assert.match(result.accounts.find((a) => a.accountId === C)?.reason ?? '', /cancelled/i);
  });

  test('OperationInProgressException is waited out and retried with the same OperationId; throttling is retried', async () => {
    const { clock, cfn, input } = setup();
    const busy = (): Error =>
      awsError('OperationInProgressException', 'Another Operation on StackSet is in progress');
    cfn.failNext('CreateStackInstances', busy(), busy(), throttling());
    cfn.failNext('DescribeStackSetOperation', throttling());
    const progress: string[] = [];
    const result = await deployResourceStackSet({ ...input, onProgress: (p) => progress.push(p.step) });
    assert.equal(result.status, 'SUCCEEDED');
    const attempts = cfn.calls.filter((c) => c.command === 'CreateStackInstances');
    assert.equal(attempts.length, 4);
    assert.equal(
      new Set(attempts.map((c) => c.input['OperationId'])).size,
      1,
      'one OperationId for all attempts',
    );
    assert.equal(progress.filter((p) => p === 'busy').length, 2);
    assert.ok(progress.includes('retry'));
    assert.ok(clock.slept > 0);
  });

  test('an answer lost after AWS started the operation: OperationIdAlreadyExists adopts that operation', async () => {
    const { cfn, input } = setup();
    // The first CreateStackInstances is executed by AWS but its answer lost (a 5xx), the retry finds the id taken.
    const client = cfn.client();
    let lost = false;
    const lossy = {
      send: async (command: { constructor: { name: string } }) => {
        const out = await client.send(command);
        if (command.constructor.name === 'CreateStackInstancesCommand' && !lost) {
          lost = true;
          throw awsError('InternalFailure', 'connection reset', 500);
        }
        return out;
      },
    };
    const result = await deployResourceStackSet({
      ...input,
      cloudformation: lossy as unknown as DeployStackSetInput['cloudformation'],
      retry: { baseMs: 10, capMs: 10 },
    });
    assert.equal(result.status, 'SUCCEEDED');
    assert.equal(cfn.operations.size, 1);
    assert.equal(result.operations[0]?.operationId, [...cfn.operations.keys()][0]);
  });

  test('updates an existing StackSet whose inputs changed, waits for the update, then adds instances', async () => {
    const { cfn, states, input } = setup();
    const oldTags = stackInputTags({
      ...input,
      parameters: { ...PARAMETERS, ExternalId: 'old-external-id' },
    });
    cfn.seed(
      {
        name: 'orgconnect-resource',
        tags: Object.entries(oldTags).map(([Key, Value]) => ({ Key, Value })),
        parameters: [],
        templateBody: TEMPLATE,
        permissionModel: 'SERVICE_MANAGED',
        autoDeployment: { Enabled: true, RetainStacksOnAccountRemoval: false },
      },
      { [A]: 'SUCCEEDED' },
    );
    cfn.script([{ status: 'RUNNING' }, { status: 'SUCCEEDED' }]); // the update
    const result = await deployResourceStackSet(input);
    assert.equal(result.outcome, 'updated');
    assert.deepEqual(
      result.operations.map((o) => [o.action, o.status]),
      [
        ['UPDATE', 'SUCCEEDED'],
        ['CREATE', 'SUCCEEDED'],
      ],
    );
    const commands = cfn.commands().filter((c) => !c.startsWith('List'));
    const update = commands.indexOf('UpdateStackSet');
    const create = commands.indexOf('CreateStackInstances');
    assert.ok(update >= 0 && create > update);
    assert.equal(commands.slice(update, create).filter((c) => c === 'DescribeStackSetOperation').length, 2);
    assert.equal(commands.includes('CreateStackSet'), false);
    const sent = cfn.calls.find((c) => c.command === 'UpdateStackSet')?.input ?? {};
    assert.equal(sent['PermissionModel'], 'SERVICE_MANAGED');
    assert.equal(
      sent['DeploymentTargets'],
      undefined,
      'no targets: the update reaches every existing instance',
    );
    // A went connected → deploying (update running) → connected.
    assert.deepEqual(
      states.filter(([id]) => id === A).map(([, s]) => s),
      ['deploying', 'connected'],
    );

    // The same inputs again: the definition is left alone (no UpdateStackSet), instances are still asked for.
    const before = cfn.calls.length;
    const again = await deployResourceStackSet(input);
    assert.equal(again.outcome, 'unchanged');
    const later = cfn.calls.slice(before).map((c) => c.command);
    assert.equal(later.includes('UpdateStackSet'), false);
    assert.equal(later.includes('CreateStackInstances'), true);
  });

  test('a failed update stops before adding instances', async () => {
    const { cfn, input } = setup();
    cfn.seed(
      {
        name: 'orgconnect-resource',
        tags: [],
        parameters: [],
        templateBody: 'old',
        permissionModel: 'SERVICE_MANAGED',
      },
      { [A]: 'SUCCEEDED' },
    );
    cfn.script([
      { status: 'RUNNING' },
      { status: 'FAILED', instances: { [A]: ['FAILED', 'Template error'] } },
    ]);
    const result = await deployResourceStackSet(input);
    assert.equal(result.status, 'FAILED');
    assert.equal(cfn.commands().includes('CreateStackInstances'), false);
    assert.deepEqual(
      result.accounts.map((a) => [a.accountId, a.state, a.reason]),
      [[A, 'failed', 'Template error']],
    );
  });

  test('preconditions fail before CloudFormation is called', async () => {
    const unknown = setup({ targets: { organizationalUnitIds: [OU_PROD, 'ou-ab12-gone0001'] } });
    await assert.rejects(deployResourceStackSet(unknown.input), (error: unknown) => {
      assert.ok(isOrgConnectError(error));
      assert.equal(error.code, 'SELECTION_UNKNOWN');
      assert.match(error.message, /ou-ab12-gone0001/);
      assert.doesNotMatch(error.message, new RegExp(OU_PROD));
      return true;
    });
    assert.equal(unknown.cfn.calls.length, 0);
    assert.equal(unknown.organizations.calls, 0);

    const disabled = setup({
      organizations: fakeOrganizations([
        'sso.amazonaws.com',
        'stacksets.cloudformation.amazonaws.com',
      ]) as unknown as DeployStackSetInput['organizations'],
    });
    await assert.rejects(deployResourceStackSet(disabled.input), (error: unknown) => {
      assert.ok(isOrgConnectError(error));
      assert.equal(error.code, 'STACKSETS_TRUSTED_ACCESS_DISABLED');
      assert.match(error.fix ?? '', /activate-organizations-access/);
      return true;
    });
    assert.equal(disabled.cfn.calls.length, 0);

    const both = setup({ preferences: { maxConcurrentCount: 2, maxConcurrentPercentage: 50 } });
    await assert.rejects(deployResourceStackSet(both.input), { code: 'STACKSET_INPUT_INVALID' });
    assert.equal(both.cfn.calls.length, 0);
  });

  test('DELEGATED_ADMIN: CallAs on every call; a denied trusted-access listing is not fatal for it', async () => {
    const { cfn, input } = setup({
      callAs: 'DELEGATED_ADMIN',
      organizations: fakeOrganizations([], { deny: true }) as unknown as DeployStackSetInput['organizations'],
    });
    const result = await deployResourceStackSet(input);
    assert.equal(result.status, 'SUCCEEDED');
    assert.ok(
      cfn.calls.every((c) => c.input['CallAs'] === 'DELEGATED_ADMIN'),
      JSON.stringify(cfn.commands()),
    );
    const self = setup({
      organizations: fakeOrganizations([], { deny: true }) as unknown as DeployStackSetInput['organizations'],
    });
    await assert.rejects(deployResourceStackSet(self.input), { code: 'ORG_ACCESS_DENIED' });
  });

  test('a self-managed StackSet of the same name is a conflict, not something to update', async () => {
    const { cfn, input } = setup();
    cfn.seed({
      name: 'orgconnect-resource',
      tags: [],
      parameters: [],
      templateBody: TEMPLATE,
      permissionModel: 'SELF_MANAGED',
    });
    await assert.rejects(deployResourceStackSet(input), { code: 'STACKSET_PERMISSION_MODEL_CONFLICT' });
    assert.equal(cfn.commands().includes('UpdateStackSet'), false);
  });
});

describe('stackset status mapping', () => {
  const summary = (detailed: string | undefined, status: string, reason?: string): StackInstanceSummary => ({
    Account: A,
    Region: 'us-east-1',
    Status: status as 'CURRENT',
    ...(reason ? { StatusReason: reason } : {}),
    ...(detailed ? { StackInstanceStatus: { DetailedStatus: detailed as 'PENDING' } } : {}),
  });

  test('detailed statuses map to deploying / connected / failed', () => {
    const cases: [string | undefined, string, string][] = [
      ['PENDING', 'OUTDATED', 'deploying'],
      ['RUNNING', 'OUTDATED', 'deploying'],
      ['SUCCEEDED', 'CURRENT', 'connected'],
      ['FAILED', 'OUTDATED', 'failed'],
      ['CANCELLED', 'OUTDATED', 'failed'],
      ['INOPERABLE', 'INOPERABLE', 'failed'],
      ['SKIPPED_SUSPENDED_ACCOUNT', 'OUTDATED', 'failed'],
      ['FAILED_IMPORT', 'OUTDATED', 'failed'],
      [undefined, 'CURRENT', 'connected'],
      [undefined, 'OUTDATED', 'deploying'],
      [undefined, 'INOPERABLE', 'failed'],
    ];
    for (const [detailed, status, expected] of cases) {
      assert.equal(instanceView(summary(detailed, status), false).state, expected, `${detailed}/${status}`);
    }
    assert.match(
      instanceView(summary('SKIPPED_SUSPENDED_ACCOUNT', 'OUTDATED'), false).reason ?? '',
      /suspended/,
    );
    assert.equal(instanceView(summary('FAILED', 'OUTDATED', 'Boom'), false).reason, 'Boom');
  });

  test('still pending when the operation ended means not deployed', () => {
    const view = instanceView(summary('PENDING', 'OUTDATED'), true);
    assert.equal(view.state, 'failed');
    assert.match(view.reason ?? '', /not deployed/);
  });

  test('an account is failed if any region failed, deploying while any region deploys', () => {
    const east = instanceView({ ...summary('SUCCEEDED', 'CURRENT'), Region: 'us-east-1' }, false);
    const westFailed = instanceView({ ...summary('FAILED', 'OUTDATED', 'Boom'), Region: 'eu-west-1' }, false);
    const westRunning = instanceView({ ...summary('RUNNING', 'OUTDATED'), Region: 'eu-west-1' }, false);
    assert.deepEqual(
      accountViews([east, westFailed]).map((a) => [a.state, a.reason]),
      [['failed', 'eu-west-1: Boom']],
    );
    assert.equal(accountViews([east, westRunning])[0]?.state, 'deploying');
    assert.equal(accountViews([east])[0]?.state, 'connected');
  });
});
