// StackSets mode against moto's real Organizations, CloudFormation, STS and IAM: the trusted-access check reads
// Organizations, the real Resource template goes out through a service-managed StackSet to two OUs, and every
// member's role is checked with IAM calls made with that member's own credentials.
//
// What moto 5.2.5 does for service-managed StackSets (moto/cloudformation/models.py, StackInstance):
// - CreateStackInstances with OU targets creates, per account, a hidden Stack in that account and runs
//   create_resources(), so the IAM role really exists in the member account; ListStackInstances says
//   CURRENT / SUCCEEDED at once, and every operation is SUCCEEDED when it is created.
// - It expands an OU target to the accounts directly in it and in its *direct* child OUs only (AWS: all
//   descendants), and it deploys to the management account when the root is targeted (AWS never does).
// - It ignores AutoDeployment, CallAs, OperationPreferences, AccountFilterType, the OperationId of
//   CreateStackInstances and ListStackInstances paging; UpdateStackSet without targets updates no instance.
// - It accepts any well-formed OU id, so unknown OUs must be caught before CloudFormation (they are).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CloudFormationClient,
  DescribeStackInstanceCommand,
  DescribeStackSetCommand,
  ListStackSetsCommand,
} from '@aws-sdk/client-cloudformation';
import { EnableAWSServiceAccessCommand } from '@aws-sdk/client-organizations';
import { GetRoleCommand, IAMClient } from '@aws-sdk/client-iam';
import { createVirtualClock } from '../../main/core/clock.js';
import { INPUTS_SHA_TAG, stackInputTags } from '../../main/core/onboarding/stack-deployer.js';
import {
  deployResourceStackSet,
  STACKSETS_SERVICE_PRINCIPAL,
  type DeployStackSetInput,
} from '../../main/core/onboarding/stackset-deployer.js';
import { loadTemplate, templateParameters } from '../../main/core/onboarding/templates.js';
import { isOrgConnectError } from '../../main/core/errors.js';
import { startMoto, type MotoServer } from '../support/moto.js';
import {
  assumeRoleCredentials,
  MOTO_DEFAULT_CREDENTIALS,
  motoOrganizationsClient,
  seedOrganization,
  type SeededOrganization,
} from '../support/seed-org.js';

const REGION = 'us-east-1';
const EXTERNAL_ID = 'orgconnect-stackset-ext-7c41';
const ROLE = 'orgconnect-platform-resource';

describe('StackSets mode against moto', () => {
  let moto: MotoServer;
  let org: SeededOrganization;
  let cfn: CloudFormationClient;
  let base: Omit<DeployStackSetInput, 'targets'>;
  let targetOus: string[];
  let expected: string[];
  let others: string[];

  before(async () => {
    moto = await startMoto();
    org = await seedOrganization({ endpoint: moto.url, accounts: 10, depth: 2, branching: 2, seed: 7 });
    cfn = new CloudFormationClient({
      region: REGION,
      endpoint: moto.url,
      credentials: MOTO_DEFAULT_CREDENTIALS,
    });
    const template = loadTemplate('resource');
    // Two leaf OUs (no child OUs), so moto's one-level expansion and AWS's full one agree on the accounts.
    const leaves = org.ous.filter((ou) => !org.ous.some((child) => child.parentId === ou.id));
    const populated = leaves.filter((ou) => org.accounts.some((a) => a.ouId === ou.id));
    targetOus = populated.slice(0, 2).map((ou) => ou.id);
    assert.equal(targetOus.length, 2, 'the seed puts members in at least two leaf OUs');
    expected = org.memberAccountIds.filter((id) =>
      targetOus.includes(org.accounts.find((a) => a.id === id)!.ouId),
    );
    others = org.memberAccountIds.filter((id) => !expected.includes(id));
    assert.ok(expected.length >= 2 && others.length >= 1);
    base = {
      cloudformation: cfn,
      organizations: motoOrganizationsClient(moto.url, MOTO_DEFAULT_CREDENTIALS),
      templateBody: template.body,
      parameters: templateParameters('resource', { externalId: EXTERNAL_ID }),
      tags: { 'orgconnect:kind': 'resource' },
      regions: [REGION],
      managementAccountId: org.managementAccountId,
      knownUnits: [{ id: org.rootId }, ...org.ous],
      clock: createVirtualClock({ start: Date.now() }),
      poll: { baseMs: 50, capMs: 200 },
    };
  });

  after(async () => {
    await moto?.stop();
  });

  const memberIam = async (accountId: string): Promise<IAMClient> =>
    new IAMClient({
      region: REGION,
      endpoint: moto.url,
      credentials: await assumeRoleCredentials(
        moto.url,
        `arn:aws:iam::${accountId}:role/OrganizationAccountAccessRole`,
      ),
    });

  test('refuses without trusted access, and unknown OUs, before touching CloudFormation', async () => {
    await assert.rejects(
      deployResourceStackSet({ ...base, targets: { organizationalUnitIds: targetOus } }),
      (error: unknown) => isOrgConnectError(error) && error.code === 'STACKSETS_TRUSTED_ACCESS_DISABLED',
    );
    await assert.rejects(
      deployResourceStackSet({
        ...base,
        targets: { organizationalUnitIds: [...targetOus, 'ou-zzzz-notinorg1'] },
      }),
      (error: unknown) => isOrgConnectError(error) && error.code === 'SELECTION_UNKNOWN',
    );
    assert.deepEqual((await cfn.send(new ListStackSetsCommand({}))).Summaries ?? [], []);
  });

  test('deploys to two OUs: an instance and the role in exactly their member accounts', async () => {
    await base.organizations.send(
      new EnableAWSServiceAccessCommand({ ServicePrincipal: STACKSETS_SERVICE_PRINCIPAL }),
    );
    const told = new Map<string, string[]>();
    const result = await deployResourceStackSet({
      ...base,
      targets: { organizationalUnitIds: targetOus },
      onAccountState: (id, state) => told.set(id, [...(told.get(id) ?? []), state]),
    });
    assert.equal(result.outcome, 'created');
    assert.equal(result.status, 'SUCCEEDED');
    assert.deepEqual(
      result.accounts.map((a) => a.accountId),
      [...expected].sort(),
    );
    assert.ok(result.accounts.every((a) => a.state === 'connected'));
    for (const id of expected) assert.deepEqual(told.get(id), ['connected']);

    const stackSet = (await cfn.send(new DescribeStackSetCommand({ StackSetName: 'orgconnect-resource' })))
      .StackSet;
    assert.equal(stackSet?.PermissionModel, 'SERVICE_MANAGED');
    assert.equal(
      stackSet?.Tags?.find((t) => t.Key === INPUTS_SHA_TAG)?.Value,
      stackInputTags(base)[INPUTS_SHA_TAG],
    );

    for (const id of expected) {
      const instance = (
        await cfn.send(
          new DescribeStackInstanceCommand({
            StackSetName: 'orgconnect-resource',
            StackInstanceAccount: id,
            StackInstanceRegion: REGION,
          }),
        )
      ).StackInstance;
      assert.equal(instance?.Status, 'CURRENT');
      const role = (await (await memberIam(id)).send(new GetRoleCommand({ RoleName: ROLE }))).Role;
      assert.equal(role?.Arn, `arn:aws:iam::${id}:role/cloudzero/${ROLE}`);
      const trust = JSON.parse(decodeURIComponent(role?.AssumeRolePolicyDocument ?? '{}'));
      assert.deepEqual(trust.Statement[0].Principal.AWS, [
        'arn:aws:iam::061190967865:root',
        'arn:aws:iam::559846027439:root',
      ]);
      assert.equal(trust.Statement[0].Condition.StringEquals['sts:ExternalId'], EXTERNAL_ID);
    }
    for (const id of others) {
      await assert.rejects((await memberIam(id)).send(new GetRoleCommand({ RoleName: ROLE })), {
        name: 'NoSuchEntityException',
      });
    }
  });

  test('same inputs leave the StackSet unchanged; a new External ID updates it', async () => {
    const again = await deployResourceStackSet({ ...base, targets: { organizationalUnitIds: targetOus } });
    assert.equal(again.outcome, 'unchanged');
    assert.deepEqual(
      again.accounts.map((a) => a.accountId),
      [...expected].sort(),
    );

    const rotated = { ...base.parameters, ExternalId: 'orgconnect-stackset-rotated-01' };
    const updated = await deployResourceStackSet({
      ...base,
      parameters: rotated,
      targets: { organizationalUnitIds: targetOus },
    });
    assert.equal(updated.outcome, 'updated');
    assert.deepEqual(
      updated.operations.map((o) => [o.action, o.status]),
      [
        ['UPDATE', 'SUCCEEDED'],
        ['CREATE', 'SUCCEEDED'],
      ],
    );
    const stackSet = (await cfn.send(new DescribeStackSetCommand({ StackSetName: 'orgconnect-resource' })))
      .StackSet;
    assert.equal(
      stackSet?.Tags?.find((t) => t.Key === INPUTS_SHA_TAG)?.Value,
      stackInputTags({ ...base, parameters: rotated })[INPUTS_SHA_TAG],
    );
  });

  test('targeting the root: moto deploys to the management account, the result never reports it', async () => {
    const result = await deployResourceStackSet({
      ...base,
      parameters: { ...base.parameters, ExternalId: 'orgconnect-stackset-rotated-01' },
      targets: { organizationalUnitIds: [org.rootId] },
    });
    const inManagement = await cfn.send(
      new DescribeStackInstanceCommand({
        StackSetName: 'orgconnect-resource',
        StackInstanceAccount: org.managementAccountId,
        StackInstanceRegion: REGION,
      }),
    );
    assert.equal(inManagement.StackInstance?.Account, org.managementAccountId, 'moto deployed there');
    assert.equal(result.ignoredManagementInstances, 1);
    assert.ok(result.accounts.every((a) => a.accountId !== org.managementAccountId));
    assert.ok(expected.every((id) => result.accounts.some((a) => a.accountId === id)));
  });
});
