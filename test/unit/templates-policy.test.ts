// The policy checkers must be able to fail: these hand-made templates each break one rule.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parseTemplate, type CfnTemplate } from '../../main/core/onboarding/templates.js';
import {
  isReadOnlyAction,
  listPolicyStatements,
  readOnlyProblems,
  trustPolicyProblems,
} from '../../main/core/onboarding/template-policy.js';

const GOOD_TRUST = {
  Effect: 'Allow',
  Principal: { AWS: { 'Fn::Sub': 'arn:${AWS::Partition}:iam::${PlatformAccountId}:root' } },
  Action: 'sts:AssumeRole',
  Condition: { StringEquals: { 'sts:ExternalId': { Ref: 'ExternalId' } } },
};

function roleTemplate(
  trust: Record<string, unknown>[],
  policies: unknown = [],
  extra: Record<string, unknown> = {},
): CfnTemplate {
  return {
    Parameters: {
      PlatformAccountId: { Type: 'String', Default: '061190967865' },
      ExternalId: { Type: 'String', NoEcho: true },
    },
    Resources: {
      Role: {
        Type: 'AWS::IAM::Role',
        Properties: {
          AssumeRolePolicyDocument: { Version: '2012-10-17', Statement: trust },
          Policies: policies,
        },
      },
      ...extra,
    },
  };
}

function inline(...statements: Record<string, unknown>[]): unknown[] {
  return [{ PolicyName: 'p', PolicyDocument: { Version: '2012-10-17', Statement: statements } }];
}

describe('isReadOnlyAction', () => {
  test('accepts read verbs as whole words, with or without wildcards', () => {
    for (const action of [
      's3:GetObject',
      'ce:Get*',
      'ec2:DescribeReserved*',
      'organizations:List*',
      'budgets:View*',
      'cloudtrail:LookupEvents',
      'dynamodb:BatchGetItem',
      'resource-groups:SearchResources',
      'logs:FilterLogEvents',
      'ce:Describe?ostCategoryDefinition',
    ]) {
      assert.equal(isReadOnlyAction(action), true, action);
    }
  });

  test('rejects writes, broad wildcards and wildcards before the verb', () => {
    for (const action of [
      '*',
      's3:*',
      's3:PutObject',
      'iam:CreateRole',
      'sts:AssumeRole',
      's3:*Object',
      's3:G*',
      'ec2:Getaway',
      '*:Get*',
      'pricing:*',
      'ce:*Get',
      'Get*',
      '',
      'ce: Get*',
    ]) {
      assert.equal(isReadOnlyAction(action), false, action);
    }
  });

  test('rejects reads that reveal secrets or mint credentials, directly or through a wildcard', () => {
    for (const action of [
      'secretsmanager:GetSecretValue',
      'secretsmanager:Get*',
      'ssm:GetParameter*',
      'sts:Get*',
      'ec2:GetPasswordData',
      'ecr:Get*',
      'glue:GetConnection',
    ]) {
      assert.equal(isReadOnlyAction(action), false, action);
    }
    assert.equal(isReadOnlyAction('ssm:DescribeParameters'), true, 'metadata about parameters is fine');
  });
});

describe('readOnlyProblems flags', () => {
  const check = (...statements: Record<string, unknown>[]): string[] =>
    readOnlyProblems(roleTemplate([GOOD_TRUST], inline(...statements))).map((p) => p.message);

  test('a write action', () => {
    assert.deepEqual(check({ Effect: 'Allow', Action: ['ce:Get*', 's3:PutObject'], Resource: '*' }), [
      's3:PutObject is not a read-only action',
    ]);
  });

  test('a service wildcard and a full wildcard', () => {
    assert.equal(check({ Effect: 'Allow', Action: 's3:*', Resource: '*' }).length, 1);
    assert.equal(check({ Effect: 'Allow', Action: '*', Resource: '*' }).length, 1);
  });

  test('NotAction, a computed action and a strange Effect', () => {
    assert.match(check({ Effect: 'Allow', NotAction: 'iam:*', Resource: '*' })[0] ?? '', /NotAction/);
    assert.match(
      check({ Effect: 'Allow', Action: { Ref: 'Something' }, Resource: '*' })[0] ?? '',
      /computed/,
    );
    assert.match(check({ Effect: 'allow', Action: 'ce:Get*', Resource: '*' })[0] ?? '', /Effect/);
  });

  test('a write hidden in either branch of Fn::If, and in an AWS::IAM::Policy resource', () => {
    const template = roleTemplate(
      [GOOD_TRUST],
      [
        {
          'Fn::If': [
            'C',
            {
              PolicyName: 'a',
              PolicyDocument: { Statement: [{ Effect: 'Allow', Action: 'ce:Get*', Resource: '*' }] },
            },
            { Ref: 'AWS::NoValue' },
          ],
        },
        {
          'Fn::If': [
            'C',
            { Ref: 'AWS::NoValue' },
            {
              PolicyName: 'b',
              PolicyDocument: { Statement: [{ Effect: 'Allow', Action: 'iam:PassRole', Resource: '*' }] },
            },
          ],
        },
      ],
      {
        Extra: {
          Type: 'AWS::IAM::Policy',
          Properties: {
            PolicyDocument: {
              Statement: [{ Effect: 'Allow', Action: 'ec2:TerminateInstances', Resource: '*' }],
            },
          },
        },
      },
    );
    const problems = readOnlyProblems(template);
    assert.deepEqual(
      problems.map((p) => p.message),
      [
        'iam:PassRole is not a read-only action (when !C)',
        'ec2:TerminateInstances is not a read-only action',
      ],
    );
    assert.equal(listPolicyStatements(template).length, 3);
  });

  test('but not a Deny of anything', () => {
    assert.deepEqual(check({ Effect: 'Deny', Action: '*', Resource: '*' }), []);
  });
});

describe('trustPolicyProblems flags', () => {
  const check = (...trust: Record<string, unknown>[]): string[] =>
    trustPolicyProblems(roleTemplate(trust)).map((p) => p.message);

  test('nothing on the good statement', () => {
    assert.deepEqual(check(GOOD_TRUST), []);
    assert.deepEqual(check({ ...GOOD_TRUST, Principal: { AWS: 'arn:aws:iam::061190967865:root' } }), []);
  });

  test('a missing External ID condition', () => {
    const { Condition: _omit, ...noCondition } = GOOD_TRUST;
    assert.match(check(noCondition)[0] ?? '', /External ID/);
    assert.match(
      check({ ...GOOD_TRUST, Condition: { StringLike: { 'sts:ExternalId': '*' } } })[0] ?? '',
      /External ID/,
    );
  });

  test('an extra principal, a service principal and everyone', () => {
    assert.match(
      check({
        ...GOOD_TRUST,
        Principal: { AWS: [GOOD_TRUST.Principal.AWS, 'arn:aws:iam::111122223333:root'] },
      }).join(),
      /111122223333.*not a platform account/,
    );
    assert.match(
      check({
        ...GOOD_TRUST,
        Principal: { AWS: GOOD_TRUST.Principal.AWS, Service: 'lambda.amazonaws.com' },
      }).join(),
      /Service/,
    );
    assert.ok(check({ ...GOOD_TRUST, Principal: '*' }).length > 0);
    assert.ok(check({ ...GOOD_TRUST, Principal: { AWS: '*' } }).length > 0);
    assert.match(
      check(GOOD_TRUST, { ...GOOD_TRUST, Principal: { AWS: 'arn:aws:iam::999999999999:root' } }).join(),
      /999999999999/,
    );
  });

  test('a broader action than sts:AssumeRole', () => {
    assert.match(check({ ...GOOD_TRUST, Action: 'sts:*' })[0] ?? '', /only sts:AssumeRole/);
  });

  test('an ExternalId parameter that would be echoed, and a role that trusts no one', () => {
    const echoed = roleTemplate([GOOD_TRUST]);
    (echoed.Parameters ?? {})['ExternalId'] = { Type: 'String' };
    assert.match(
      trustPolicyProblems(echoed)
        .map((p) => p.message)
        .join(),
      /NoEcho/,
    );
    assert.match(check({ ...GOOD_TRUST, Effect: 'Deny' }).join(), /trusts no one/);
  });

  test('works on YAML as written in a template', () => {
    const yaml = [
      'Parameters:',
      '  PlatformAccountId: { Type: String, Default: "061190967865" }',
      '  ExternalId: { Type: String, NoEcho: true }',
      'Resources:',
      '  Role:',
      '    Type: AWS::IAM::Role',
      '    Properties:',
      '      AssumeRolePolicyDocument:',
      '        Statement:',
      '          - Effect: Allow',
      '            Principal: { AWS: !Sub "arn:${AWS::Partition}:iam::${PlatformAccountId}:root" }',
      '            Action: sts:AssumeRole',
    ].join('\n');
    assert.deepEqual(
      trustPolicyProblems(parseTemplate(yaml)).map((p) => p.message),
      ['trust does not require the External ID (Condition StringEquals sts:ExternalId)'],
    );
  });
});
