// Issue 16: exported templates grant exactly what deploy writes. The CloudFormation export is the deployed
// template byte for byte; the IAM JSON is roleDocuments' output with the External ID filled in; the Terraform
// module is parsed with a real HCL parser (python-hcl2 from test/requirements.txt) and its role, attachments and
// inline policies, with Terraform's interpolations resolved, equal roleDocuments' output — so they cannot drift.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CLOUDZERO_PROFILE } from '../../main/core/platform/cloudzero-profile.js';
import { customProfile } from '../../main/core/platform/custom-profile.js';
import { roleDocuments } from '../../main/core/platform/role-permissions.js';
import { renderTemplate } from '../../main/core/onboarding/template-builder.js';
import { EXTERNAL_ID_PLACEHOLDER, exportRoleTemplates } from '../../main/core/onboarding/template-export.js';
import { parseRolesCsv } from '../../main/core/adopt/roles-csv.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const python = path.join(root, '.venv/bin/python');
const EXTERNAL_ID = 'cz-export-test-4f1a';
const BUCKET = 'my-cur-bucket';

function parseHcl(text: string): Record<string, unknown[]> {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'orgconnect-tf-')), 'main.tf');
  writeFileSync(file, text);
  const out = execFileSync(python, [
    '-c',
    'import hcl2,json,sys; print(json.dumps(hcl2.load(open(sys.argv[1]))))',
    file,
  ]);
  return JSON.parse(out.toString('utf8')) as Record<string, unknown[]>;
}

function block<T>(parsed: Record<string, unknown[]>, type: string, name: string): T {
  for (const entry of parsed['resource'] ?? []) {
    const found = (entry as Record<string, Record<string, T>>)[type]?.[name];
    if (found !== undefined) return found;
  }
  throw new Error(`no ${type}.${name}`);
}

/** Terraform's interpolations with the values a plan would give them. */
function resolve(text: string, values: Record<string, string>): string {
  return text.replace(/\$\{([^}]+)\}/g, (whole, expression: string) => values[expression] ?? whole);
}

for (const profile of [CLOUDZERO_PROFILE, customProfile({ accountIds: ['111122223333'] })]) {
  for (const kind of ['billing', 'resource'] as const) {
    test(`${profile.id} ${kind}: the Terraform module parses and holds exactly the deployed documents`, () => {
      const [file] = exportRoleTemplates(profile, { kind, format: 'terraform', externalId: EXTERNAL_ID });
      const parsed = parseHcl(file?.content ?? '');
      const variables = Object.assign({}, ...(parsed['variable'] as object[])) as Record<
        string,
        { default?: string }
      >;
      assert.deepEqual(
        Object.keys(variables).sort(),
        kind === 'billing'
          ? ['cur_bucket', 'external_id', 'role_name', 'role_path']
          : ['external_id', 'role_name', 'role_path'],
      );
      assert.equal(variables['external_id']?.default, EXTERNAL_ID);
      const values = {
        'data.aws_partition.current.partition': 'aws',
        'var.external_id': EXTERNAL_ID,
        'var.role_path': profile.rolePath,
        'var.cur_bucket': BUCKET,
      };
      const expected = roleDocuments(profile, kind, {
        externalId: EXTERNAL_ID,
        ...(kind === 'billing' ? { costAndUsageReportBucket: BUCKET } : {}),
      });
      const role = block<{ assume_role_policy: string; name: string; path: string }>(
        parsed,
        'aws_iam_role',
        'platform',
      );
      assert.deepEqual(JSON.parse(resolve(role.assume_role_policy, values)), expected.trustPolicy);
      assert.equal(role.name, '${var.role_name}');
      assert.equal(variables['role_name']?.default, profile.roleNames[kind]);
      const attachments = block<{ for_each: string }>(parsed, 'aws_iam_role_policy_attachment', 'managed');
      assert.equal(attachments.for_each, '${toset(local.managed_policy_arns)}');
      const locals = Object.assign({}, ...(parsed['locals'] as object[])) as {
        managed_policy_arns: string[];
      };
      assert.deepEqual(
        locals.managed_policy_arns.map((arn) => resolve(arn, values)),
        expected.managedPolicyArns,
      );
      const inline = [block<{ name: string; policy: string }>(parsed, 'aws_iam_role_policy', 'read')];
      if (kind === 'billing') {
        const bucket = block<{ name: string; policy: string; count: string }>(
          parsed,
          'aws_iam_role_policy',
          'cur_bucket',
        );
        assert.match(bucket.count, /var\.cur_bucket == "" \? 0 : 1/);
        inline.push(bucket);
      }
      assert.deepEqual(
        inline.map((policy) => ({ name: policy.name, document: JSON.parse(resolve(policy.policy, values)) })),
        expected.inlinePolicies.map(({ name, document }) => ({ name, document })),
      );
      const outputs = Object.assign({}, ...(parsed['output'] as object[])) as Record<
        string,
        { value: string }
      >;
      assert.equal(outputs['role_arn']?.value, '${aws_iam_role.platform.arn}');
    });

    test(`${profile.id} ${kind}: IAM JSON and CloudFormation exports are the deployed documents`, () => {
      const files = new Map(
        exportRoleTemplates(profile, { kind, format: 'iam-json', externalId: EXTERNAL_ID }).map((f) => [
          f.name,
          f.content,
        ]),
      );
      const expected = roleDocuments(profile, kind, { externalId: EXTERNAL_ID });
      assert.deepEqual(JSON.parse(files.get(`${kind}-trust-policy.json`) ?? ''), expected.trustPolicy);
      assert.deepEqual(
        (files.get(`${kind}-managed-policies.txt`) ?? '').trim().split('\n'),
        expected.managedPolicyArns,
      );
      for (const policy of expected.inlinePolicies)
        assert.deepEqual(JSON.parse(files.get(`${kind}-${policy.name}.json`) ?? ''), policy.document);
      const script = files.get(`${kind}-create-role.sh`) ?? '';
      assert.equal((script.match(/attach-role-policy/g) ?? []).length, expected.managedPolicyArns.length);

      const cfn = exportRoleTemplates(profile, { kind, format: 'cloudformation' });
      assert.equal(cfn[0]?.content, renderTemplate(profile, kind));
      const parameters = JSON.parse(cfn[1]?.content ?? '[]') as {
        ParameterKey: string;
        ParameterValue: string;
      }[];
      assert.equal(
        parameters.find((p) => p.ParameterKey === 'ExternalId')?.ParameterValue,
        EXTERNAL_ID_PLACEHOLDER,
      );
    });
  }
}

test('without an External ID the trust policy holds a plainly named placeholder, and Terraform requires the variable', () => {
  const files = exportRoleTemplates(CLOUDZERO_PROFILE, { kind: 'resource', format: 'iam-json' });
  assert.match(files[0]?.content ?? '', new RegExp(EXTERNAL_ID_PLACEHOLDER));
  const parsed = parseHcl(
    exportRoleTemplates(CLOUDZERO_PROFILE, { kind: 'resource', format: 'terraform' })[0]?.content ?? '',
  );
  const variables = Object.assign({}, ...(parsed['variable'] as object[])) as Record<
    string,
    { default?: string }
  >;
  assert.equal(variables['external_id']?.default, undefined);
});

test('roles CSV: a valid file parses; bad rows are named by line and reason', () => {
  const rows = parseRolesCsv(
    'account_id,role_arn,connection_name\n111122223333,arn:aws:iam::111122223333:role/cloudzero/r,prod\n444455556666,arn:aws:iam::444455556666:role/r,\n',
  );
  assert.deepEqual(rows, [
    {
      accountId: '111122223333',
      roleArn: 'arn:aws:iam::111122223333:role/cloudzero/r',
      connectionName: 'prod',
      line: 2,
    },
    { accountId: '444455556666', roleArn: 'arn:aws:iam::444455556666:role/r', line: 3 },
  ]);
  assert.throws(
    () =>
      parseRolesCsv(
        'account_id,role_arn\n111122223333,arn:aws:iam::999988887777:role/r\n111122223333,arn:aws:iam::111122223333:role/r\n111122223333,arn:aws:iam::111122223333:role/r\n',
      ),
    (error: Error) =>
      /line 2: role_arn is in account 999988887777, not 111122223333/.test(error.message) &&
      /line 4: account 111122223333 is already on line 3/.test(error.message),
  );
  assert.throws(() => parseRolesCsv('account,arn\n1,2\n'), /the header lacks account_id/);
});
