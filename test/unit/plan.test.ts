import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  buildPlan,
  preflightTargets,
  stackDeployment,
  type PlanAccount,
  type PlanInput,
  type PlanItem,
  type PlanSettings,
  type PlanTemplates,
} from '../../main/core/onboarding/plan.js';
import { CLOUDZERO_PROFILE } from '../../main/core/platform/cloudzero-profile.js';
import type { ExistingStack, PreflightResult } from '../../main/core/onboarding/preflight.js';
import { parseSelection } from '../../main/core/onboarding/selection.js';
import { stackInputTags, TEMPLATE_SHA_TAG } from '../../main/core/onboarding/stack-deployer.js';
import { loadTemplates } from '../../main/core/onboarding/templates.js';
import { deployItemSchema, type DeployItem } from '../../main/core/onboarding/run-events.js';
import type { TemplateFor } from '../../main/core/onboarding/runner.js';
import type { OrgAccount, OrgUnit } from '../../main/core/org/index.js';
import type { SelectableUnit } from '../../main/core/onboarding/selection.js';
import { deploymentSource } from '../../main/core/onboarding/plan.js';

// Compile-time: discovery's shapes are accepted as they are, and deploymentSource is a runner TemplateFor.
const _orgAccountIsPlanAccount = (account: OrgAccount): PlanAccount => account;
const _orgUnitIsSelectable = (unit: OrgUnit): SelectableUnit => unit;
const _isTemplateFor: (
  s: Parameters<typeof deploymentSource>[0],
  t: Parameters<typeof deploymentSource>[1],
) => TemplateFor = deploymentSource;

const templates = loadTemplates();
const MGMT = '100000000000';
const ROOT = 'r-root';
const OU = 'ou-root-workload1';

const accounts: PlanAccount[] = [
  { id: MGMT, name: 'Acme Management', status: 'ACTIVE', ouId: ROOT, ouPath: '/', isManagement: true },
  { id: '100000000001', name: 'Prod', status: 'ACTIVE', ouId: OU, ouPath: '/Workloads', isManagement: false },
  {
    id: '100000000002',
    name: 'Staging',
    status: 'ACTIVE',
    ouId: OU,
    ouPath: '/Workloads',
    isManagement: false,
  },
  {
    id: '100000000003',
    name: 'Old',
    status: 'SUSPENDED',
    ouId: OU,
    ouPath: '/Workloads',
    isManagement: false,
  },
];
const units = [{ id: OU, parentId: ROOT }];

const settings: PlanSettings = {
  externalId: 'ext-secret-0123456789',
  accessRoleName: 'OrganizationAccountAccessRole',
  mode: 'stacks',
};

function passed(
  accountId: string,
  stack: ExistingStack | null = null,
  platformRole: 'exists' | 'absent' | 'unknown' = 'absent',
): PreflightResult {
  return {
    accountId,
    ok: true,
    identityArn: `arn:aws:sts::${accountId}:assumed-role/OrganizationAccountAccessRole/orgconnect`,
    stack,
    platformRole,
  };
}

/** A stack as the deployer would have left it for `item` deployed with `with` settings. */
function deployedStack(
  item: Pick<PlanItem, 'kind' | 'connectionName' | 'stackName'>,
  status = 'CREATE_COMPLETE',
  withSettings: PlanSettings = settings,
  withTemplates: PlanTemplates = templates,
): ExistingStack {
  const deployment = stackDeployment(item, withSettings, withTemplates);
  return {
    stackId: `arn:aws:cloudformation:us-east-1:000000000000:stack/${item.stackName}/x`,
    stackName: item.stackName,
    status,
    tags: { ...deployment.tags, ...stackInputTags(deployment) },
    parameters: { ...deployment.parameters, ExternalId: '****' },
    outputs: {},
  };
}

const resourceItem = (connectionName: string) => ({
  kind: 'resource' as const,
  connectionName,
  stackName: 'orgconnect-resource',
});

function plan(overrides: Partial<PlanInput> = {}) {
  return buildPlan({
    accounts,
    units,
    selection: parseSelection('all'),
    settings,
    preflight: [passed(MGMT), passed('100000000001'), passed('100000000002')],
    templates,
    ...overrides,
  });
}

const item = (p: ReturnType<typeof plan>, id: string): PlanItem => {
  const found = p.items.find((i) => i.accountId === id);
  assert.ok(found, `no item for ${id}`);
  return found;
};

describe('buildPlan', () => {
  test('a fresh organization: billing for the management account, resource for members, suspended blocked', () => {
    const p = plan();
    assert.equal(p.managementAccountId, MGMT);
    assert.deepEqual(
      p.items.map((i) => [i.accountId, i.kind, i.stackName, i.connectionName, i.action, i.code]),
      [
        [MGMT, 'billing', 'orgconnect-billing', 'acme-management', 'create', undefined],
        ['100000000003', 'resource', 'orgconnect-resource', 'old', 'blocked', 'ACCOUNT_SUSPENDED'],
        ['100000000001', 'resource', 'orgconnect-resource', 'prod', 'create', undefined],
        ['100000000002', 'resource', 'orgconnect-resource', 'staging', 'create', undefined],
      ],
    );
    assert.deepEqual(p.counts, {
      total: 4,
      create: 3,
      update: 0,
      skip: 0,
      blocked: 1,
      billing: 1,
      resource: 3,
    });
  });

  test('every item is a valid run-journal DeployItem, and the External ID appears nowhere in the plan', () => {
    const p = plan();
    for (const i of p.items) {
      const asDeployItem: DeployItem = i;
      assert.deepEqual(deployItemSchema.parse(asDeployItem), i);
    }
    assert.doesNotMatch(JSON.stringify(p), /ext-secret/);
  });

  test('skip when the stack carries the same template and inputs; update when either differs', () => {
    const oldTemplate = deployedStack(resourceItem('staging'));
    oldTemplate.tags[TEMPLATE_SHA_TAG] = '0'.repeat(64);
    const p = plan({
      preflight: [
        passed(
          MGMT,
          deployedStack({
            kind: 'billing',
            connectionName: 'acme-management',
            stackName: 'orgconnect-billing',
          }),
        ),
        passed(
          '100000000001',
          deployedStack(resourceItem('prod'), 'UPDATE_COMPLETE', {
            ...settings,
            externalId: 'an-older-external-id',
          }),
        ),
        passed('100000000002', oldTemplate),
      ],
    });
    assert.equal(item(p, MGMT).action, 'skip');
    assert.equal(item(p, '100000000001').action, 'update');
    assert.match(item(p, '100000000001').reason ?? '', /Settings changed/);
    assert.equal(item(p, '100000000002').action, 'update');
    assert.match(item(p, '100000000002').reason ?? '', /another version of the template/);
  });

  test('a changed role name, bucket or connection name is an update too', () => {
    const stack = deployedStack(resourceItem('prod'));
    const preflight = [passed(MGMT), passed('100000000001', stack), passed('100000000002')];
    assert.equal(item(plan({ preflight }), '100000000001').action, 'skip');
    assert.equal(
      item(plan({ preflight, settings: { ...settings, roleName: 'other-role' } }), '100000000001').action,
      'update',
    );
    assert.equal(
      item(
        plan({ preflight, settings: { ...settings, nameOverrides: { '100000000001': 'prod-main' } } }),
        '100000000001',
      ).action,
      'update',
    );
    const billing = deployedStack({
      kind: 'billing',
      connectionName: 'acme-management',
      stackName: 'orgconnect-billing',
    });
    const withBucket = plan({
      preflight: [passed(MGMT, billing)],
      selection: parseSelection(MGMT),
      settings: { ...settings, costAndUsageReportBucket: 'acme-cur' },
    });
    assert.equal(item(withBucket, MGMT).action, 'update');
  });

  test('a newer platform profile makes every stack of the Organization an update, saying when the permissions changed', () => {
    const older = loadTemplates({
      ...CLOUDZERO_PROFILE,
      version: '2026-01-15',
      statements: CLOUDZERO_PROFILE.statements.slice(0, 4),
    });
    const billingItem = {
      kind: 'billing' as const,
      connectionName: 'acme-management',
      stackName: 'orgconnect-billing',
    };
    const p = plan({
      preflight: [
        passed(MGMT, deployedStack(billingItem, 'CREATE_COMPLETE', settings, older)),
        passed('100000000001', deployedStack(resourceItem('prod'), 'UPDATE_COMPLETE', settings, older)),
        passed('100000000002', deployedStack(resourceItem('staging'), 'CREATE_COMPLETE', settings, older)),
      ],
    });
    for (const id of [MGMT, '100000000001', '100000000002']) {
      assert.equal(item(p, id).action, 'update');
      assert.equal(
        item(p, id).reason,
        "The platform's permissions changed on 2026-06-16 (the stack has those of 2026-01-15).",
      );
    }
    // Deployed with the current profile: nothing to do.
    const current = plan({
      preflight: [passed(MGMT, deployedStack(billingItem)), passed('100000000001'), passed('100000000002')],
    });
    assert.equal(item(current, MGMT).action, 'skip');
    const tags = stackDeployment(billingItem, settings, templates).tags;
    assert.equal(tags['orgconnect:platform'], 'cloudzero@2026-06-16');
  });

  test('a stack from before platform profiles (role under /) cannot move its named role to /cloudzero/', () => {
    const legacy = deployedStack(resourceItem('prod'));
    delete legacy.tags['orgconnect:platform'];
    legacy.tags[TEMPLATE_SHA_TAG] = '0'.repeat(64);
    legacy.parameters['RolePath'] = '/';
    const preflight = [passed(MGMT), passed('100000000001', legacy, 'exists'), passed('100000000002')];
    const blocked = item(plan({ preflight }), '100000000001');
    assert.equal(blocked.action, 'blocked');
    assert.equal(blocked.code, 'ROLE_PATH_CHANGE');
    assert.match(blocked.fix ?? '', /--role-name/);
    // A new role name lets CloudFormation create the new role before it removes the old one.
    const renamed = item(
      plan({
        preflight: [passed(MGMT), passed('100000000001', legacy, 'absent'), passed('100000000002')],
        settings: { ...settings, roleName: 'cloudzero-reader' },
      }),
      '100000000001',
    );
    assert.equal(renamed.action, 'update');
    assert.equal(renamed.reason, "The platform's permissions changed on 2026-06-16.");
  });

  test('a stack without orgconnect tags is brought to the template', () => {
    const foreign = { ...deployedStack(resourceItem('prod')), tags: {} };
    const p = plan({ preflight: [passed(MGMT), passed('100000000001', foreign), passed('100000000002')] });
    assert.equal(item(p, '100000000001').action, 'update');
    assert.match(item(p, '100000000001').reason ?? '', /not deployed by orgconnect/);
  });

  test('stack states: replaceable → create, in progress → update / create, needing a person → blocked', () => {
    const withStatus = (status: string) =>
      item(
        plan({
          preflight: [
            passed(MGMT),
            passed('100000000001', deployedStack(resourceItem('prod'), status)),
            passed('100000000002'),
          ],
        }),
        '100000000001',
      );
    assert.equal(withStatus('ROLLBACK_COMPLETE').action, 'create');
    assert.match(withStatus('ROLLBACK_COMPLETE').reason ?? '', /Replaces/);
    assert.equal(withStatus('UPDATE_IN_PROGRESS').action, 'update');
    assert.equal(withStatus('DELETE_IN_PROGRESS').action, 'create');
    assert.equal(withStatus('DELETE_COMPLETE').action, 'create');
    const stuck = withStatus('UPDATE_ROLLBACK_FAILED');
    assert.equal(stuck.action, 'blocked');
    assert.equal(stuck.code, 'STACK_NEEDS_ATTENTION');
    assert.ok(stuck.fix);
  });

  test('preflight failures become blocked items with their code, reason and fix', () => {
    const p = plan({
      preflight: [
        passed(MGMT),
        {
          accountId: '100000000001',
          ok: false,
          code: 'ACCESS_ROLE_MISSING',
          reason: 'Could not assume OrganizationAccountAccessRole in 100000000001.',
          fix: 'Create it.',
        },
      ],
    });
    assert.deepEqual(
      { ...item(p, '100000000001') },
      {
        accountId: '100000000001',
        accountName: 'Prod',
        ouPath: '/Workloads',
        kind: 'resource',
        connectionName: 'prod',
        stackName: 'orgconnect-resource',
        action: 'blocked',
        code: 'ACCESS_ROLE_MISSING',
        reason: 'Could not assume OrganizationAccountAccessRole in 100000000001.',
        fix: 'Create it.',
      },
    );
    assert.equal(item(p, '100000000002').code, 'PREFLIGHT_MISSING');
  });

  test('a role with the platform role name outside the stack blocks the create', () => {
    const p = plan({
      preflight: [passed(MGMT, null, 'exists'), passed('100000000001'), passed('100000000002')],
    });
    assert.equal(item(p, MGMT).code, 'ROLE_NAME_TAKEN');
    assert.match(item(p, MGMT).reason ?? '', /orgconnect-platform-billing already exists in 100000000000/);
    // The stack's own role is of course fine.
    const own = plan({
      preflight: [
        passed(MGMT),
        passed('100000000001', deployedStack(resourceItem('prod')), 'exists'),
        passed('100000000002'),
      ],
    });
    assert.equal(item(own, '100000000001').action, 'skip');
  });

  test('selection and connection names: OU selection, prefix, overrides, names kept from deployed stacks', () => {
    const p = plan({
      selection: parseSelection(`ou:${OU}`, '100000000002'),
      settings: { ...settings, namePrefix: 'acme' },
      preflight: [passed('100000000001')],
    });
    assert.deepEqual(
      p.items.map((i) => [i.accountId, i.connectionName, i.action]),
      [
        ['100000000003', 'acme-old', 'blocked'],
        ['100000000001', 'acme-prod', 'create'],
      ],
    );
    assert.equal(p.managementAccountId, MGMT, 'known even when the management account is not selected');

    const kept = plan({
      preflight: [
        passed(MGMT),
        passed('100000000001', deployedStack(resourceItem('production-legacy'))),
        passed('100000000002'),
      ],
    });
    assert.equal(item(kept, '100000000001').connectionName, 'production-legacy');
    assert.equal(item(kept, '100000000001').action, 'skip');

    assert.throws(
      () => plan({ settings: { ...settings, nameOverrides: { '100000000001': 'Prod Account' } } }),
      {
        code: 'CONNECTION_NAME_INVALID',
      },
    );
  });

  test('stacksets mode: members go through the StackSet even without the access role; a stand-alone stack conflicts', () => {
    const p = plan({
      settings: { ...settings, mode: 'stacksets' },
      preflight: [
        passed(MGMT),
        {
          accountId: '100000000001',
          ok: false,
          code: 'ACCESS_ROLE_MISSING',
          reason: 'Could not assume OrganizationAccountAccessRole in 100000000001.',
        },
        passed('100000000002', deployedStack(resourceItem('staging'))),
      ],
    });
    assert.equal(item(p, MGMT).action, 'create');
    assert.equal(item(p, MGMT).stackName, 'orgconnect-billing');
    assert.equal(item(p, '100000000001').action, 'create');
    assert.match(item(p, '100000000001').reason ?? '', /StackSet orgconnect-resource/);
    assert.equal(item(p, '100000000002').code, 'STACK_MODE_CONFLICT');
  });

  test('an organization without a management account cannot be planned', () => {
    assert.throws(() => plan({ accounts: accounts.filter((a) => !a.isManagement) }), {
      code: 'PLAN_NO_MANAGEMENT_ACCOUNT',
    });
  });
});

describe('deploymentSource', () => {
  test('gives the runner the deployment the plan compared, with the External ID from the run secrets', () => {
    const { externalId: _omit, ...withoutSecret } = settings;
    const source = deploymentSource(withoutSecret, templates);
    const item = { kind: 'resource' as const, connectionName: 'prod', stackName: 'orgconnect-resource' };
    assert.deepEqual(
      source(item, { externalId: settings.externalId }),
      stackDeployment(item, settings, templates),
    );
    assert.equal(source(item, { externalId: 'other-id' }).parameters['ExternalId'], 'other-id');
  });
});

describe('preflightTargets', () => {
  test('one target per account, with the stack and platform role name of its kind', () => {
    assert.deepEqual(preflightTargets(accounts.slice(0, 2), {}), [
      { accountId: MGMT, stackName: 'orgconnect-billing', platformRoleName: 'orgconnect-platform-billing' },
      {
        accountId: '100000000001',
        stackName: 'orgconnect-resource',
        platformRoleName: 'orgconnect-platform-resource',
      },
    ]);
    assert.equal(preflightTargets(accounts.slice(1, 2), { roleName: 'x' })[0]?.platformRoleName, 'x');
  });
});
