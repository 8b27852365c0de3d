// The sandbox's fidelity layer (test/moto_fidelity): CloudFormation-made IAM roles in the patched moto are what
// AWS CloudFormation makes. Each test names the part of the AWS::IAM::Role resource reference it follows
// (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-iam-role.html) and checks IAM's
// state through the SDK. The template is a generic role, not orgconnect's, so the layer cannot be tuned to ours.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CloudFormationClient,
  CreateStackCommand,
  DeleteStackCommand,
  DescribeStacksCommand,
  UpdateStackCommand,
  type Parameter,
} from '@aws-sdk/client-cloudformation';
import {
  CreatePolicyCommand,
  GetRoleCommand,
  GetRolePolicyCommand,
  IAMClient,
  ListAttachedRolePoliciesCommand,
  ListRolePoliciesCommand,
  ListRoleTagsCommand,
  NoSuchEntityException,
} from '@aws-sdk/client-iam';
import { startMoto, type MotoServer } from '../support/moto.js';

const REGION = 'us-east-1';
const CREDENTIALS = { accessKeyId: 'AKIAFIDELITY', secretAccessKey: 'fidelity' };
const VIEW_ONLY = 'arn:aws:iam::aws:policy/job-function/ViewOnlyAccess';
const READ_ONLY = 'arn:aws:iam::aws:policy/ReadOnlyAccess';
const CLOUDWATCH = 'arn:aws:iam::aws:policy/CloudWatchReadOnlyAccess';

interface RoleSpec {
  roleName?: string;
  path?: string;
  managedPolicyArns: string[];
  policies: Record<string, string[]>;
  description?: string;
  tags?: Record<string, string>;
}

/** A template in the shape people write: objects for documents, the trusted account through a Fn::Sub. */
function roleTemplate(spec: RoleSpec): string {
  return JSON.stringify({
    AWSTemplateFormatVersion: '2010-09-09',
    Parameters: { TrustedAccount: { Type: 'String' }, ExternalId: { Type: 'String' } },
    Resources: {
      Role: {
        Type: 'AWS::IAM::Role',
        Properties: {
          ...(spec.roleName ? { RoleName: spec.roleName } : {}),
          ...(spec.path ? { Path: spec.path } : {}),
          ...(spec.description ? { Description: spec.description } : {}),
          AssumeRolePolicyDocument: {
            Version: '2012-10-17',
            Statement: [
              {
                Effect: 'Allow',
                Principal: { AWS: { 'Fn::Sub': 'arn:${AWS::Partition}:iam::${TrustedAccount}:root' } },
                Action: 'sts:AssumeRole',
                Condition: { StringEquals: { 'sts:ExternalId': { Ref: 'ExternalId' } } },
              },
            ],
          },
          ManagedPolicyArns: spec.managedPolicyArns,
          Policies: Object.entries(spec.policies).map(([name, actions]) => ({
            PolicyName: name,
            PolicyDocument: {
              Version: '2012-10-17',
              Statement: [{ Effect: 'Allow', Action: actions, Resource: '*' }],
            },
          })),
          ...(spec.tags ? { Tags: Object.entries(spec.tags).map(([Key, Value]) => ({ Key, Value })) } : {}),
        },
      },
    },
    Outputs: { RoleName: { Value: { Ref: 'Role' } } },
  });
}

function parameters(trustedAccount: string, externalId = 'ext-1'): Parameter[] {
  return [
    { ParameterKey: 'TrustedAccount', ParameterValue: trustedAccount },
    { ParameterKey: 'ExternalId', ParameterValue: externalId },
  ];
}

describe('moto fidelity layer: AWS::IAM::Role as AWS CloudFormation builds it', () => {
  let moto: MotoServer;
  let cfn: CloudFormationClient;
  let iam: IAMClient;
  let stackCounter = 0;

  before(async () => {
    moto = await startMoto();
    cfn = new CloudFormationClient({ region: REGION, endpoint: moto.url, credentials: CREDENTIALS });
    iam = new IAMClient({ region: REGION, endpoint: moto.url, credentials: CREDENTIALS });
  });
  after(async () => {
    await moto.stop();
  });

  async function createStack(spec: RoleSpec, trusted = '111111111111'): Promise<string> {
    const stackName = `fidelity-${++stackCounter}`;
    await cfn.send(
      new CreateStackCommand({
        StackName: stackName,
        TemplateBody: roleTemplate(spec),
        Parameters: parameters(trusted),
        Capabilities: ['CAPABILITY_NAMED_IAM'],
      }),
    );
    return stackName;
  }

  async function roleNameOf(stackName: string): Promise<string> {
    const stack = (await cfn.send(new DescribeStacksCommand({ StackName: stackName }))).Stacks?.[0];
    return stack?.Outputs?.find((o) => o.OutputKey === 'RoleName')?.OutputValue ?? '';
  }

  async function attachedArns(roleName: string): Promise<string[]> {
    const answer = await iam.send(new ListAttachedRolePoliciesCommand({ RoleName: roleName }));
    return (answer.AttachedPolicies ?? []).map((p) => p.PolicyArn ?? '').sort();
  }

  async function inlinePolicies(roleName: string): Promise<Record<string, unknown>> {
    const names = (await iam.send(new ListRolePoliciesCommand({ RoleName: roleName }))).PolicyNames ?? [];
    const documents: Record<string, unknown> = {};
    for (const name of names) {
      const stored = await iam.send(new GetRolePolicyCommand({ RoleName: roleName, PolicyName: name }));
      // IAM returns the document URL-encoded; it must be JSON (JSON.parse throws on a Python repr).
      documents[name] = JSON.parse(decodeURIComponent(stored.PolicyDocument ?? ''));
    }
    return documents;
  }

  async function trustPolicy(roleName: string): Promise<unknown> {
    const role = (await iam.send(new GetRoleCommand({ RoleName: roleName }))).Role;
    return JSON.parse(decodeURIComponent(role?.AssumeRolePolicyDocument ?? ''));
  }

  async function roleExists(roleName: string): Promise<boolean> {
    try {
      await iam.send(new GetRoleCommand({ RoleName: roleName }));
      return true;
    } catch (error) {
      if (error instanceof NoSuchEntityException) return false;
      throw error;
    }
  }

  test('ManagedPolicyArns: "A list of ARNs of the IAM managed policies that you want to attach to the role" — AWS and customer managed policies are attached on create', async () => {
    const customer = await iam.send(
      new CreatePolicyCommand({
        PolicyName: 'fidelity-customer',
        PolicyDocument: JSON.stringify({
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Action: 's3:ListAllMyBuckets', Resource: '*' }],
        }),
      }),
    );
    const customerArn = customer.Policy?.Arn ?? '';
    const stack = await createStack({ managedPolicyArns: [VIEW_ONLY, customerArn], policies: {} });
    assert.deepEqual(await attachedArns(await roleNameOf(stack)), [VIEW_ONLY, customerArn].sort());
  });

  test('ManagedPolicyArns: an ARN that names no policy fails the stack, and the role is not left behind', async () => {
    const missing = 'arn:aws:iam::aws:policy/NoSuchPolicyAnywhere';
    await assert.rejects(
      createStack({ roleName: 'fidelity-bad-arn', managedPolicyArns: [missing], policies: {} }),
      /does not exist or is not attachable/,
    );
    assert.equal(await roleExists('fidelity-bad-arn'), false);
  });

  test('Policies: inline policies are stored as the JSON policy documents the template gives (GetRolePolicy answers JSON)', async () => {
    const stack = await createStack({
      managedPolicyArns: [],
      policies: { read: ['ce:Get*', 'cur:Describe*'], metrics: ['cloudwatch:GetMetricData'] },
    });
    assert.deepEqual(await inlinePolicies(await roleNameOf(stack)), {
      read: {
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Action: ['ce:Get*', 'cur:Describe*'], Resource: '*' }],
      },
      metrics: {
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Action: ['cloudwatch:GetMetricData'], Resource: '*' }],
      },
    });
  });

  test('AssumeRolePolicyDocument, Policies, ManagedPolicyArns, Description, Tags — "Update requires: No interruption": a stack update replaces them in the same role', async () => {
    const stack = await createStack({
      roleName: 'fidelity-updated',
      managedPolicyArns: [VIEW_ONLY, CLOUDWATCH],
      policies: { keep: ['ce:Get*'], drop: ['s3:GetObject'] },
      description: 'before',
      tags: { team: 'cost', stage: 'one' },
    });
    const { Role: before } = await iam.send(new GetRoleCommand({ RoleName: 'fidelity-updated' }));
    await cfn.send(
      new UpdateStackCommand({
        StackName: stack,
        TemplateBody: roleTemplate({
          roleName: 'fidelity-updated',
          managedPolicyArns: [VIEW_ONLY, READ_ONLY],
          policies: { keep: ['ce:Get*', 'ce:List*'], added: ['tag:GetResources'] },
          description: 'after',
          tags: { team: 'cost' },
        }),
        // Only a parameter used inside Fn::Sub changes in the trust policy.
        Parameters: parameters('222222222222', 'ext-2'),
        Capabilities: ['CAPABILITY_NAMED_IAM'],
      }),
    );
    const { Role: after } = await iam.send(new GetRoleCommand({ RoleName: 'fidelity-updated' }));
    assert.equal(after?.RoleId, before?.RoleId, 'no interruption: the same role, not a replacement');
    assert.equal(after?.Description, 'after');
    assert.deepEqual(await trustPolicy('fidelity-updated'), {
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Principal: { AWS: 'arn:aws:iam::222222222222:root' },
          Action: 'sts:AssumeRole',
          Condition: { StringEquals: { 'sts:ExternalId': 'ext-2' } },
        },
      ],
    });
    assert.deepEqual(await attachedArns('fidelity-updated'), [READ_ONLY, VIEW_ONLY].sort());
    const inline = await inlinePolicies('fidelity-updated');
    assert.deepEqual(Object.keys(inline).sort(), ['added', 'keep']);
    assert.deepEqual((inline['keep'] as { Statement: { Action: string[] }[] }).Statement[0]?.Action, [
      'ce:Get*',
      'ce:List*',
    ]);
    const tags = (await iam.send(new ListRoleTagsCommand({ RoleName: 'fidelity-updated' }))).Tags ?? [];
    assert.deepEqual(tags, [{ Key: 'team', Value: 'cost' }]);
  });

  test('RoleName — "Update requires: Replacement": a new name makes a new role and removes the old one', async () => {
    const stack = await createStack({
      roleName: 'fidelity-old-name',
      managedPolicyArns: [VIEW_ONLY],
      policies: { read: ['ce:Get*'] },
    });
    await cfn.send(
      new UpdateStackCommand({
        StackName: stack,
        TemplateBody: roleTemplate({
          roleName: 'fidelity-new-name',
          managedPolicyArns: [VIEW_ONLY],
          policies: { read: ['ce:Get*'] },
        }),
        Parameters: parameters('111111111111'),
        Capabilities: ['CAPABILITY_NAMED_IAM'],
      }),
    );
    assert.equal(await roleExists('fidelity-old-name'), false);
    assert.deepEqual(await attachedArns('fidelity-new-name'), [VIEW_ONLY]);
    assert.deepEqual(Object.keys(await inlinePolicies('fidelity-new-name')), ['read']);
  });

  test('Path — "Update requires: Replacement", RoleName — "If you specify a name, you cannot perform updates that require replacement": the update fails and the role stays', async () => {
    const stack = await createStack({
      roleName: 'fidelity-fixed-name',
      managedPolicyArns: [VIEW_ONLY],
      policies: {},
    });
    await assert.rejects(
      cfn.send(
        new UpdateStackCommand({
          StackName: stack,
          TemplateBody: roleTemplate({
            roleName: 'fidelity-fixed-name',
            path: '/moved/',
            managedPolicyArns: [VIEW_ONLY],
            policies: {},
          }),
          Parameters: parameters('111111111111'),
          Capabilities: ['CAPABILITY_NAMED_IAM'],
        }),
      ),
      /custom-named resource requires replacing/,
    );
    const { Role: role } = await iam.send(new GetRoleCommand({ RoleName: 'fidelity-fixed-name' }));
    assert.equal(role?.Path, '/');
  });

  test('DeleteStack ("Deleting a stack deletes all of its resources"): the role, its inline policies and its managed policy attachments are gone', async () => {
    const stack = await createStack({
      roleName: 'fidelity-deleted',
      managedPolicyArns: [VIEW_ONLY, CLOUDWATCH],
      policies: { read: ['ce:Get*'] },
    });
    await cfn.send(new DeleteStackCommand({ StackName: stack }));
    assert.equal(await roleExists('fidelity-deleted'), false);
    // The AWS managed policy itself stays; only the attachment went with the role.
    const reused = await createStack({ managedPolicyArns: [VIEW_ONLY], policies: {} });
    assert.deepEqual(await attachedArns(await roleNameOf(reused)), [VIEW_ONLY]);
  });
});
