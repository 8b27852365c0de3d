// The generated templates grant exactly what their platform profile says — no more, no fewer, nothing but reads —
// trust exactly its accounts and always require the External ID. The CloudZero facts below are written out by
// hand from CloudZero's published policies (Cloudzero/provision-account 1.0.102), independently of the profile's
// data file, so a slip in either one fails here.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { loadTemplates, templateParameters, type CfnTemplate } from '../../main/core/onboarding/templates.js';
import {
  expectedManagedPolicyArns,
  formatPolicyProblem,
  isReadOnlyAction,
  listPolicyStatements,
  listTrustStatements,
  readOnlyProblems,
  trustPolicyProblems,
} from '../../main/core/onboarding/template-policy.js';
import { CLOUDZERO_PROFILE } from '../../main/core/platform/cloudzero-profile.js';
import { customProfile } from '../../main/core/platform/custom-profile.js';
import type { PlatformProfile } from '../../main/core/platform/platform-profile.js';
import { roleDocuments, symbolicRoleDocuments } from '../../main/core/platform/role-permissions.js';
import { SECRET_REVEALING_ACTIONS } from '../../main/core/platform/secret-revealing-actions.js';

const KINDS = ['billing', 'resource'] as const;

const CLOUDZERO_FACTS = {
  accounts: ['061190967865', '559846027439'],
  rolePath: '/cloudzero/',
  managed: [
    'arn:aws:iam::aws:policy/CloudWatchReadOnlyAccess',
    'arn:aws:iam::aws:policy/ComputeOptimizerReadOnlyAccess',
    'arn:aws:iam::aws:policy/job-function/ViewOnlyAccess',
    'arn:aws:iam::aws:policy/AWSBillingReadOnlyAccess',
  ],
  selfInspection: [
    'iam:GetRole',
    'iam:GetRolePolicy',
    'iam:ListAttachedRolePolicies',
    'iam:ListRolePolicies',
    'iam:ListRoleTags',
    'iam:SimulatePrincipalPolicy',
  ],
  // One read from each tier CloudZero publishes.
  tierSamples: [
    'ce:Get*',
    'cur:Describe*',
    'bcm-data-exports:List*',
    'ec2:DescribeReserved*',
    'savingsplans:Describe*',
    'budgets:View*',
    'billingconductor:List*',
    'pricing:GetProducts',
    'organizations:List*',
    'tag:Get*',
    'compute-optimizer:Get*',
    'cost-optimization-hub:List*',
    'support:DescribeTrustedAdvisor*',
    'health:Describe*',
    'eks:List*',
    'logs:StartQuery',
    'cloudtrail:LookupEvents',
    'servicequotas:Get*',
    'cloudwatch:Get*',
    'cloudformation:Describe*',
  ],
};

type Statement = Record<string, unknown>;
const allows = (template: CfnTemplate): Statement[] =>
  listPolicyStatements(template)
    .filter((s) => s.statement['Effect'] === 'Allow')
    .map((s) => s.statement);
const actionsOf = (statements: Statement[]): string[] => statements.flatMap((s) => s['Action'] as string[]);
const sorted = (values: Iterable<string>): string[] => [...values].sort();

function profileActions(profile: PlatformProfile, kind: 'billing' | 'resource'): string[] {
  return [
    ...profile.statements.flatMap((s) => s.actions),
    ...(kind === 'billing' ? profile.costAndUsageReportBucketActions : []),
  ];
}

function templateChecks(profile: PlatformProfile, accounts: readonly string[]): void {
  const templates = loadTemplates(profile);
  for (const kind of KINDS) {
    const document = templates[kind].document;

    test(`${kind}: grants exactly the profile's actions, statement by statement, and every one only reads`, () => {
      assert.deepEqual(readOnlyProblems(document).map(formatPolicyProblem), []);
      assert.deepEqual(sorted(actionsOf(allows(document))), sorted(profileActions(profile, kind)));
      const bySid = new Map(allows(document).map((s) => [s['Sid'], s['Action']]));
      for (const statement of profile.statements)
        assert.deepEqual(bySid.get(statement.sid), statement.actions);
      for (const action of actionsOf(allows(document))) assert.ok(isReadOnlyAction(action), action);
      assert.ok(allows(document).length >= profile.statements.length);
    });

    test(`${kind}: keeps the explicit Deny of every secret-revealing read`, () => {
      const denies = listPolicyStatements(document).filter((s) => s.statement['Effect'] === 'Deny');
      assert.equal(denies.length, 1);
      assert.deepEqual(sorted(denies[0]?.statement['Action'] as string[]), sorted(SECRET_REVEALING_ACTIONS));
      assert.equal(denies[0]?.statement['Resource'], '*');
    });

    test(`${kind}: trusts exactly the platform's accounts and always requires the External ID`, () => {
      assert.deepEqual(
        trustPolicyProblems(document, { platformAccountIds: accounts }).map(formatPolicyProblem),
        [],
      );
      const trust = listTrustStatements(document);
      assert.equal(trust.length, 1);
      assert.deepEqual(trust[0]?.statement['Principal'], {
        AWS: accounts.map((id) => ({ 'Fn::Sub': `arn:\${AWS::Partition}:iam::${id}:root` })),
      });
      assert.equal(trust[0]?.statement['Action'], 'sts:AssumeRole');
      assert.deepEqual(trust[0]?.statement['Condition'], {
        StringEquals: { 'sts:ExternalId': { Ref: 'ExternalId' } },
      });
      assert.equal(document.Parameters?.['ExternalId']?.NoEcho, true);
      assert.equal(document.Parameters?.['ExternalId']?.Default, undefined, 'the External ID is required');
      // Exactly: expecting one account fewer or one more makes the same template fail.
      assert.ok(trustPolicyProblems(document, { platformAccountIds: accounts.slice(1) }).length > 0);
      assert.ok(
        trustPolicyProblems(document, { platformAccountIds: [...accounts, '999988887777'] }).length > 0,
      );
    });

    test(`${kind}: attaches exactly the profile's managed policies`, () => {
      assert.deepEqual(expectedManagedPolicyArns(document), roleDocuments(profile, kind).managedPolicyArns);
    });

    test(`${kind}: one IAM role (and its CUR bucket policy) — no Lambda, nested stack, macro or custom resource`, () => {
      assert.deepEqual(
        Object.values(document.Resources).map((r) => r.Type),
        kind === 'billing' ? ['AWS::IAM::Role', 'AWS::IAM::Policy'] : ['AWS::IAM::Role'],
      );
      assert.equal(document['Transform'], undefined);
      assert.deepEqual(Object.keys(document.Outputs ?? {}).sort(), ['RoleArn', 'RoleName']);
    });

    test(`${kind}: templateParameters names every template parameter, with the profile's defaults`, () => {
      const parameters = templateParameters(kind, { externalId: 'ext-123' }, profile);
      assert.deepEqual(Object.keys(parameters).sort(), Object.keys(document.Parameters ?? {}).sort());
      assert.equal(parameters['RoleName'], document.Parameters?.['RoleName']?.Default);
      assert.equal(parameters['RolePath'], profile.rolePath);
      assert.equal(document.Parameters?.['RolePath']?.Default, profile.rolePath);
    });

    test(`${kind}: the inline policies fit IAM's 10,240-character limit for one role`, () => {
      const documents = roleDocuments(profile, kind, {
        rolePath: '/a-fairly-long/role/path/',
        costAndUsageReportBucket: 'a'.repeat(63),
      });
      const size = documents.inlinePolicies.reduce((n, p) => n + JSON.stringify(p.document).length, 0);
      assert.ok(size < 10_240, `${size} characters`);
    });
  }

  test('billing reads the CUR bucket (bucket and objects) only when one is given', () => {
    const billing = templates.billing.document;
    const s3 = listPolicyStatements(billing).filter((s) =>
      (s.statement['Action'] as string[]).some((a) => a.startsWith('s3:')),
    );
    assert.deepEqual(
      s3.map((s) => s.condition),
      ['HasCostAndUsageReportBucket'],
    );
    assert.deepEqual(s3[0]?.statement['Action'], ['s3:Get*', 's3:List*']);
    assert.deepEqual(s3[0]?.statement['Resource'], [
      { 'Fn::Sub': 'arn:${AWS::Partition}:s3:::${CostAndUsageReportBucket}' },
      { 'Fn::Sub': 'arn:${AWS::Partition}:s3:::${CostAndUsageReportBucket}/*' },
    ]);
    assert.ok(!actionsOf(allows(templates.resource.document)).some((a) => a.startsWith('s3:')));
  });
}

describe('CloudZero templates (profile version 2026-06-16)', () => {
  templateChecks(CLOUDZERO_PROFILE, CLOUDZERO_FACTS.accounts);

  test("the profile states CloudZero's published facts", () => {
    assert.deepEqual(CLOUDZERO_PROFILE.trustedAccountIds, CLOUDZERO_FACTS.accounts);
    assert.equal(CLOUDZERO_PROFILE.rolePath, CLOUDZERO_FACTS.rolePath);
    assert.equal(CLOUDZERO_PROFILE.version, '2026-06-16');
    assert.equal(CLOUDZERO_PROFILE.source?.release, '1.0.102');
    assert.ok(CLOUDZERO_PROFILE.registration, 'CloudZero connections are registered');
    for (const kind of KINDS) {
      const documents = roleDocuments(CLOUDZERO_PROFILE, kind);
      assert.deepEqual(documents.managedPolicyArns, CLOUDZERO_FACTS.managed);
      const statements = documents.inlinePolicies.flatMap((p) => p.document.Statement);
      const self = statements.find((s) => s.Action.includes('iam:GetRole'));
      assert.deepEqual(self?.Action, CLOUDZERO_FACTS.selfInspection);
      assert.equal(self?.Resource, 'arn:aws:iam::*:role/cloudzero/*');
      const actions = statements.filter((s) => s.Effect === 'Allow').flatMap((s) => s.Action);
      for (const sample of CLOUDZERO_FACTS.tierSamples) assert.ok(actions.includes(sample), sample);
    }
  });

  test('the role path is fixed to /cloudzero/ in the template itself', () => {
    for (const kind of KINDS) {
      const document = loadTemplates()[kind].document;
      assert.deepEqual(document.Parameters?.['RolePath']?.['AllowedValues'], ['/cloudzero/']);
      assert.deepEqual(
        document['Metadata'] && (document['Metadata'] as Record<string, unknown>)['orgconnect'],
        {
          platform: 'cloudzero',
          platformVersion: '2026-06-16',
          source: 'Cloudzero/provision-account 1.0.102 services/account_type/account_resources.yaml',
        },
      );
    }
  });

  test("CloudZero's statements that are not provably read-only are left out or narrowed", () => {
    const actions = profileActions(CLOUDZERO_PROFILE, 'billing');
    for (const dropped of ['cur:Validate*', 'pricing:*', 'logs:Filter*']) {
      assert.ok(!actions.includes(dropped), dropped);
      assert.equal(isReadOnlyAction(dropped), false, `${dropped} is rightly not read-only for the checker`);
    }
  });
});

describe('custom platform templates', () => {
  const accounts = ['111122223333', '444455556666'];
  const profile = customProfile({
    accountIds: accounts,
    managedPolicyArns: ['arn:aws:iam::aws:policy/job-function/ViewOnlyAccess'],
  });
  templateChecks(profile, accounts);

  test("the role path is the user's (default /), the managed policies are theirs, and nothing is registered", () => {
    assert.equal(profile.registration, undefined);
    assert.equal(profile.rolePath, '/');
    const resource = loadTemplates(profile).resource.document;
    assert.equal(resource.Parameters?.['RolePath']?.['AllowedValues'], undefined);
    assert.deepEqual(expectedManagedPolicyArns(resource), [
      'arn:aws:iam::aws:policy/job-function/ViewOnlyAccess',
    ]);
    const self = symbolicRoleDocuments(profile, 'resource').inlinePolicies[0]?.document.Statement.find(
      (s) => s.Sid === 'Tier2SelfInspectionPolicies',
    );
    assert.deepEqual(self?.Resource, 'arn:aws:iam::aws:policy/job-function/ViewOnlyAccess');
  });

  test('without managed policies it falls back to the AWS read-only ones', () => {
    assert.deepEqual(
      roleDocuments(customProfile({ accountIds: accounts }), 'resource').managedPolicyArns,
      CLOUDZERO_FACTS.managed,
    );
  });
});
