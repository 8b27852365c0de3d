import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  findPackageRoot,
  loadTemplate,
  loadTemplates,
  parseTemplate,
  templateParameters,
  type CfnTemplate,
} from '../../main/core/onboarding/templates.js';
import {
  expectedManagedPolicyArns,
  formatPolicyProblem,
  listPolicyStatements,
  listTrustStatements,
  readOnlyProblems,
  trustPolicyProblems,
} from '../../main/core/onboarding/template-policy.js';
import { isOrgConnectError } from '../../main/core/errors.js';

const repoRoot = path.resolve(import.meta.dirname, '../..');
const templates = await loadTemplates();

describe('template loader', () => {
  test('finds both templates under the package root and returns the exact file text with its sha256', () => {
    for (const kind of ['billing', 'resource'] as const) {
      const loaded = templates[kind];
      assert.equal(loaded.path, path.join(repoRoot, 'templates', `${kind}.yaml`));
      const onDisk = readFileSync(loaded.path, 'utf8');
      assert.equal(loaded.body, onDisk);
      assert.equal(loaded.sha256, createHash('sha256').update(onDisk).digest('hex'));
    }
  });

  test('finds the package root from a compiled dist/ folder as well as from the sources', () => {
    const root = mkdtempSync(path.join(tmpdir(), 'orgconnect-pkg-'));
    try {
      writeFileSync(path.join(root, 'package.json'), '{}');
      const compiled = path.join(root, 'dist', 'main', 'core', 'onboarding');
      mkdirSync(compiled, { recursive: true });
      assert.equal(findPackageRoot(compiled), root);
      assert.equal(findPackageRoot(path.join(repoRoot, 'main', 'core', 'onboarding')), repoRoot);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  test('a missing templates folder is an OrgConnectError with a fix', async () => {
    const empty = mkdtempSync(path.join(tmpdir(), 'orgconnect-none-'));
    try {
      await assert.rejects(loadTemplate('billing', { dir: empty }), (error: unknown) => {
        assert.ok(isOrgConnectError(error));
        assert.equal(error.code, 'TEMPLATES_NOT_FOUND');
        assert.ok(error.fix);
        return true;
      });
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });

  test('parses short-form intrinsics into their long form', () => {
    const parsed = parseTemplate(
      [
        'Resources:',
        '  R:',
        '    Type: AWS::IAM::Role',
        '    Properties:',
        '      A: !Ref X',
        "      B: !Sub 'arn:${AWS::Partition}:x'",
        '      C: !GetAtt R.Arn',
        "      D: !If [Cond, !Ref Y, !Ref 'AWS::NoValue']",
        "      E: !Not [!Equals [!Ref Z, '']]",
      ].join('\n'),
    );
    assert.deepEqual(parsed.Resources['R']?.Properties, {
      A: { Ref: 'X' },
      B: { 'Fn::Sub': 'arn:${AWS::Partition}:x' },
      C: { 'Fn::GetAtt': ['R', 'Arn'] },
      D: { 'Fn::If': ['Cond', { Ref: 'Y' }, { Ref: 'AWS::NoValue' }] },
      E: { 'Fn::Not': [{ 'Fn::Equals': [{ Ref: 'Z' }, ''] }] },
    });
  });

  test('rejects text that is not a template', () => {
    assert.throws(() => parseTemplate('just: [unclosed'), { code: 'TEMPLATE_INVALID' });
    assert.throws(() => parseTemplate('Description: no resources'), { code: 'TEMPLATE_INVALID' });
  });
});

describe('the Billing and Resource templates', () => {
  for (const kind of ['billing', 'resource'] as const) {
    const document = (): CfnTemplate => templates[kind].document;

    test(`${kind}: every Allow statement is read-only`, () => {
      const problems = readOnlyProblems(document()).map(formatPolicyProblem);
      assert.deepEqual(problems, []);
      // The check really looked at statements (a template with no policies would pass vacuously).
      assert.ok(
        listPolicyStatements(document()).filter((s) => s.statement['Effect'] === 'Allow').length >= 2,
      );
    });

    test(`${kind}: the trust policy names only the platform account and requires the External ID`, () => {
      assert.deepEqual(trustPolicyProblems(document()).map(formatPolicyProblem), []);
      const trust = listTrustStatements(document());
      assert.equal(trust.length, 1);
      assert.deepEqual(trust[0]?.statement['Principal'], {
        AWS: { 'Fn::Sub': 'arn:${AWS::Partition}:iam::${PlatformAccountId}:root' },
      });
      assert.deepEqual(trust[0]?.statement['Condition'], {
        StringEquals: { 'sts:ExternalId': { Ref: 'ExternalId' } },
      });
    });

    test(`${kind}: parameters follow the platform's rules`, () => {
      const p = document().Parameters ?? {};
      assert.equal(p['PlatformAccountId']?.Default, '061190967865');
      assert.equal(p['PlatformAccountId']?.['AllowedPattern'], '^[0-9]{12}$');
      assert.equal(p['ExternalId']?.NoEcho, true);
      assert.equal(p['ExternalId']?.Default, undefined, 'the External ID is required');
      assert.equal(p['ExternalId']?.['MinLength'], 2);
      assert.equal(p['ExternalId']?.['MaxLength'], 1224);
      assert.equal(p['ExternalId']?.['AllowedPattern'], '[\\w+=,.@:/-]*');
      assert.equal(p['RoleName']?.Default, `orgconnect-platform-${kind}`);
      assert.equal(p['RolePath']?.Default, '/');
      assert.deepEqual(Object.keys(document().Outputs ?? {}).sort(), ['RoleArn', 'RoleName']);
    });

    test(`${kind}: only an IAM role (and its policy) — no Lambda, nested stack, macro, transform or custom resource`, () => {
      const types = Object.values(document().Resources).map((r) => r.Type);
      assert.deepEqual(
        types,
        kind === 'billing' ? ['AWS::IAM::Role', 'AWS::IAM::Policy'] : ['AWS::IAM::Role'],
      );
      assert.equal(document()['Transform'], undefined);
    });
  }

  test('billing attaches the four AWS managed read-only policies (checked on the template: moto ignores them)', () => {
    assert.deepEqual(expectedManagedPolicyArns(templates.billing.document), [
      'arn:aws:iam::aws:policy/job-function/ViewOnlyAccess',
      'arn:aws:iam::aws:policy/CloudWatchReadOnlyAccess',
      'arn:aws:iam::aws:policy/AWSBillingReadOnlyAccess',
      'arn:aws:iam::aws:policy/ComputeOptimizerReadOnlyAccess',
    ]);
    assert.ok(
      expectedManagedPolicyArns(templates.billing.document, 'aws-us-gov').every((arn) =>
        arn.startsWith('arn:aws-us-gov:iam::aws:policy/'),
      ),
    );
  });

  test('resource attaches ViewOnlyAccess and CloudWatchReadOnlyAccess', () => {
    assert.deepEqual(expectedManagedPolicyArns(templates.resource.document), [
      'arn:aws:iam::aws:policy/job-function/ViewOnlyAccess',
      'arn:aws:iam::aws:policy/CloudWatchReadOnlyAccess',
    ]);
  });

  test('billing grants the cost, billing, Organizations, CUR / Data Exports and Savings Plans reads', () => {
    const actions = listPolicyStatements(templates.billing.document)
      .filter((s) => s.statement['Effect'] === 'Allow')
      .flatMap((s) => s.statement['Action'] as string[]);
    for (const action of [
      'ce:Get*',
      'cur:Describe*',
      'bcm-data-exports:Get*',
      'organizations:List*',
      'savingsplans:Describe*',
      'budgets:View*',
      'pricing:GetProducts',
      'cloudwatch:Get*',
    ]) {
      assert.ok(actions.includes(action), `missing ${action}`);
    }
  });

  test('billing reads the CUR bucket only when one is given', () => {
    const s3 = listPolicyStatements(templates.billing.document).filter((s) =>
      (s.statement['Action'] as string[]).some((a) => a.startsWith('s3:')),
    );
    assert.deepEqual(
      s3.map((s) => s.condition),
      ['HasCostAndUsageReportBucket', 'HasCostAndUsageReportBucket'],
    );
    assert.deepEqual(s3.flatMap((s) => s.statement['Action'] as string[]).sort(), [
      's3:GetBucketLocation',
      's3:GetObject',
      's3:ListBucket',
    ]);
    assert.deepEqual(
      s3.map((s) => s.statement['Resource']),
      [
        { 'Fn::Sub': 'arn:${AWS::Partition}:s3:::${CostAndUsageReportBucket}/*' },
        { 'Fn::Sub': 'arn:${AWS::Partition}:s3:::${CostAndUsageReportBucket}' },
      ],
    );
    assert.deepEqual(templates.billing.document.Conditions?.['HasCostAndUsageReportBucket'], {
      'Fn::Not': [{ 'Fn::Equals': [{ Ref: 'CostAndUsageReportBucket' }, ''] }],
    });
  });

  test('resource has a small inline read policy for tags', () => {
    const actions = listPolicyStatements(templates.resource.document)
      .filter((s) => s.statement['Effect'] === 'Allow')
      .flatMap((s) => s.statement['Action'] as string[]);
    assert.ok(actions.includes('tag:GetResources'));
    assert.ok(!actions.some((a) => a.startsWith('s3:') || a.startsWith('ce:')));
  });

  test('templateParameters names every template parameter, and only those', () => {
    const settings = { platformAccountId: '061190967865', externalId: 'ext-123' };
    for (const kind of ['billing', 'resource'] as const) {
      const parameters = templateParameters(kind, settings);
      assert.deepEqual(
        Object.keys(parameters).sort(),
        Object.keys(templates[kind].document.Parameters ?? {}).sort(),
      );
      assert.equal(parameters['RoleName'], `orgconnect-platform-${kind}`);
    }
    assert.equal(
      templateParameters('resource', { ...settings, roleName: 'cost-reader' })['RoleName'],
      'cost-reader',
    );
  });
});
