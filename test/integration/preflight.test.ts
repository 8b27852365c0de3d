// Preflight and plan against a real emulated organization (moto): accounts created through Organizations, the
// access role assumed through STS, IAM and CloudFormation read in each member with that member's credentials.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CloseAccountCommand,
  CreateAccountCommand,
  CreateOrganizationCommand,
  CreateOrganizationalUnitCommand,
  DescribeOrganizationCommand,
  ListRootsCommand,
  MoveAccountCommand,
  OrganizationsClient,
} from '@aws-sdk/client-organizations';
import { CloudFormationClient, ListStacksCommand } from '@aws-sdk/client-cloudformation';
import {
  CreateRoleCommand,
  DeleteRoleCommand,
  GetRoleCommand,
  GetRolePolicyCommand,
  IAMClient,
  ListRolePoliciesCommand,
  ListRolesCommand,
} from '@aws-sdk/client-iam';
import { STSClient } from '@aws-sdk/client-sts';
import { startMoto, type MotoServer } from '../support/moto.js';
import {
  createAccountCredentials,
  type AccountCredentialsSource,
} from '../../main/core/onboarding/account-credentials.js';
import { systemClock } from '../../main/core/clock.js';
import { deployStack } from '../../main/core/onboarding/stack-deployer.js';
import {
  loadTemplates,
  type LoadedTemplate,
  type TemplateKind,
} from '../../main/core/onboarding/templates.js';
import { isReadOnlyAction } from '../../main/core/onboarding/template-policy.js';
import {
  buildPlan,
  preflightTargets,
  stackDeployment,
  type PlanAccount,
  type PlanSettings,
} from '../../main/core/onboarding/plan.js';
import { parseSelection, resolveSelection } from '../../main/core/onboarding/selection.js';
import {
  runPreflight,
  type PreflightClientFactory,
  type PreflightCredentialsProvider,
  type PreflightResult,
} from '../../main/core/onboarding/preflight.js';
import { OrgConnectError } from '../../main/core/errors.js';
import { discoverOrganization, type OrgUnit } from '../../main/core/org/index.js';

const REGION = 'us-east-1';
const MANAGEMENT_CREDENTIALS = { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'management-secret' };
const EXTERNAL_ID = 'orgconnect-test-external-id-42';

let moto: MotoServer;
let templates: Record<TemplateKind, LoadedTemplate>;
let source: AccountCredentialsSource;
let managementId: string;
let accounts: PlanAccount[];
let units: OrgUnit[];
const ids: Record<'prod' | 'staging' | 'noAccess' | 'taken' | 'closed', string> = {
  prod: '',
  staging: '',
  noAccess: '',
  taken: '',
  closed: '',
};
const clients: { destroy(): void }[] = [];

const settings: PlanSettings = {
  externalId: EXTERNAL_ID,
  accessRoleName: 'OrganizationAccountAccessRole',
  mode: 'stacks',
};

function track<T extends { destroy(): void }>(client: T): T {
  clients.push(client);
  return client;
}

function config(credentials: PreflightCredentialsProvider | typeof MANAGEMENT_CREDENTIALS) {
  return { region: REGION, endpoint: moto.url, credentials };
}

const clientFactory: PreflightClientFactory = (_accountId, credentials) => ({
  sts: track(new STSClient(config(credentials))),
  cloudformation: track(new CloudFormationClient(config(credentials))),
  iam: track(new IAMClient(config(credentials))),
});

function memberIam(accountId: string): IAMClient {
  return track(new IAMClient(config(() => source.credentialsFor(accountId))));
}

/**
 * IAM returns policy documents URL-encoded JSON. moto 5.2.5 returns inline policies that CloudFormation created as
 * a Python dict repr ({'Version': ...}) instead; accept that form too (our policies hold no quotes or booleans).
 */
function parsePolicyDocument(text: string): unknown {
  const decoded = decodeURIComponent(text);
  return JSON.parse(decoded.startsWith("{'") ? decoded.replaceAll("'", '"') : decoded);
}

async function snapshot(accountId: string): Promise<string> {
  const provider = () => source.credentialsFor(accountId);
  const stacks = await track(new CloudFormationClient(config(provider))).send(new ListStacksCommand({}));
  const roles = await track(new IAMClient(config(provider))).send(new ListRolesCommand({}));
  return JSON.stringify({
    stacks: (stacks.StackSummaries ?? []).map((s) => [s.StackName, s.StackStatus]).sort(),
    roles: (roles.Roles ?? []).map((r) => r.RoleName).sort(),
  });
}

before(async () => {
  moto = await startMoto();
  templates = loadTemplates();
  const org = track(new OrganizationsClient(config(MANAGEMENT_CREDENTIALS)));
  await org.send(new CreateOrganizationCommand({ FeatureSet: 'ALL' }));
  managementId = (await org.send(new DescribeOrganizationCommand({}))).Organization?.MasterAccountId ?? '';
  const rootId = (await org.send(new ListRootsCommand({}))).Roots?.[0]?.Id ?? '';
  const ou = await org.send(new CreateOrganizationalUnitCommand({ ParentId: rootId, Name: 'Workloads' }));
  const ouId = ou.OrganizationalUnit?.Id ?? '';

  const names = {
    prod: 'Prod',
    staging: 'Staging',
    noAccess: 'No Access',
    taken: 'Taken',
    closed: 'Closed',
  } as const;
  for (const [key, name] of Object.entries(names) as [keyof typeof names, string][]) {
    const created = await org.send(
      new CreateAccountCommand({ AccountName: name, Email: `${key}@example.com` }),
    );
    ids[key] = created.CreateAccountStatus?.AccountId ?? '';
    assert.match(ids[key], /^\d{12}$/);
  }
  for (const id of [ids.prod, ids.staging]) {
    await org.send(
      new MoveAccountCommand({ AccountId: id, SourceParentId: rootId, DestinationParentId: ouId }),
    );
  }
  await org.send(new CloseAccountCommand({ AccountId: ids.closed }));

  // The organization exactly as discovery describes it.
  const snapshot = await discoverOrganization({
    sts: track(new STSClient(config(MANAGEMENT_CREDENTIALS))),
    organizations: org,
  });
  accounts = snapshot.accounts;
  units = snapshot.ous;
  assert.equal(snapshot.organization.managementAccountId, managementId);

  source = createAccountCredentials({
    managementCredentials: async () => MANAGEMENT_CREDENTIALS,
    managementAccountId: managementId,
    region: REGION,
    stsEndpoint: moto.url,
  });

  // No Access: the access role is gone (deleted with that member's own credentials).
  await memberIam(ids.noAccess).send(new DeleteRoleCommand({ RoleName: 'OrganizationAccountAccessRole' }));
  // Taken: someone already made a role with the platform role's name, outside any stack.
  await memberIam(ids.taken).send(
    new CreateRoleCommand({
      RoleName: 'orgconnect-platform-resource',
      AssumeRolePolicyDocument: JSON.stringify({
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Principal: { AWS: '111122223333' }, Action: 'sts:AssumeRole' }],
      }),
    }),
  );
  // Staging: already connected, deployed exactly as a run would deploy it.
  const staging = stackDeployment(
    { kind: 'resource', connectionName: 'staging', stackName: 'orgconnect-resource' },
    settings,
    templates,
  );
  const deployed = await deployStack({
    cloudformation: track(new CloudFormationClient(config(() => source.credentialsFor(ids.staging)))),
    ...staging,
    clock: systemClock,
    accountId: ids.staging,
  });
  assert.equal(deployed.outcome, 'created');
});

after(async () => {
  for (const client of clients) client.destroy();
  await moto?.stop();
});

describe('preflight against moto', () => {
  test('moto hands out credentials for a deleted access role (real STS would refuse); preflight still catches it', async () => {
    // This documents the emulator gap the GetRole check exists for. If moto starts refusing, the preflight below
    // still reports ACCESS_ROLE_MISSING, from the credentials step instead.
    const credentials = await source.credentialsFor(ids.noAccess);
    assert.ok(credentials.accessKeyId);
  });

  test('per-account results, a plan from them, and nothing written', async () => {
    const resolved = resolveSelection(parseSelection('all'), accounts, units);
    assert.deepEqual(
      resolved.inactive.map((e) => e.account.id),
      [ids.closed],
    );
    const targets = preflightTargets(resolved.active, settings);
    const before = await Promise.all(
      resolved.active.filter((a) => a.id !== ids.noAccess).map((a) => snapshot(a.id)),
    );

    const reported: string[] = [];
    const results = await runPreflight({
      targets,
      credentialsFor: (accountId) => source.credentialsFor(accountId),
      clientFactory,
      concurrency: 2,
      onResult: (result) => reported.push(result.accountId),
    });
    const byId = new Map<string, PreflightResult>(results.map((r) => [r.accountId, r]));

    assert.deepEqual(
      results.map((r) => r.accountId),
      targets.map((t) => t.accountId),
      'results in target order',
    );
    assert.deepEqual([...reported].sort(), targets.map((t) => t.accountId).sort());

    const management = byId.get(managementId);
    assert.ok(management?.ok);
    assert.equal(management.stack, null);
    assert.match(management.identityArn, new RegExp(`^arn:aws:sts::${managementId}:`));

    const prod = byId.get(ids.prod);
    assert.ok(prod?.ok);
    assert.equal(
      prod.identityArn,
      `arn:aws:sts::${ids.prod}:assumed-role/OrganizationAccountAccessRole/orgconnect`,
    );
    assert.equal(prod.stack, null);
    assert.equal(prod.platformRole, 'absent');

    const staging = byId.get(ids.staging);
    assert.ok(staging?.ok);
    assert.equal(staging.stack?.status, 'CREATE_COMPLETE');
    assert.equal(staging.stack?.tags['orgconnect:template-sha256'], templates.resource.sha256);
    assert.equal(staging.platformRole, 'exists');

    assert.deepEqual(byId.get(ids.noAccess), {
      accountId: ids.noAccess,
      ok: false,
      code: 'ACCESS_ROLE_MISSING',
      reason: `Could not assume OrganizationAccountAccessRole in ${ids.noAccess}.`,
      fix: `Create OrganizationAccountAccessRole in ${ids.noAccess} (trusting the management account), or choose another access role or Identity Center.`,
    });

    const taken = byId.get(ids.taken);
    assert.ok(taken?.ok);
    assert.equal(taken.platformRole, 'exists');

    const after = await Promise.all(
      resolved.active.filter((a) => a.id !== ids.noAccess).map((a) => snapshot(a.id)),
    );
    assert.deepEqual(after, before, 'preflight changed no stack and no role');

    const plan = buildPlan({
      accounts,
      units,
      selection: parseSelection('all'),
      settings,
      preflight: results,
      templates,
    });
    const actions = Object.fromEntries(
      plan.items.map((i) => [i.accountId, [i.kind, i.action, i.code ?? '']]),
    );
    assert.deepEqual(actions, {
      [managementId]: ['billing', 'create', ''],
      [ids.prod]: ['resource', 'create', ''],
      [ids.staging]: ['resource', 'skip', ''],
      [ids.noAccess]: ['resource', 'blocked', 'ACCESS_ROLE_MISSING'],
      [ids.taken]: ['resource', 'blocked', 'ROLE_NAME_TAKEN'],
      [ids.closed]: ['resource', 'blocked', 'ACCOUNT_SUSPENDED'],
    });
    assert.equal(plan.managementAccountId, managementId);
    assert.deepEqual(plan.counts, {
      total: 6,
      create: 2,
      update: 0,
      skip: 1,
      blocked: 3,
      billing: 1,
      resource: 5,
    });

    // A new External ID means the connected stack must be updated (NoEcho hides the old value; the hash does not).
    const rotated = buildPlan({
      accounts,
      units,
      selection: parseSelection('all'),
      settings: { ...settings, externalId: 'a-new-external-id' },
      preflight: results,
      templates,
    });
    assert.equal(rotated.items.find((i) => i.accountId === ids.staging)?.action, 'update');
  });

  test("the deployed Resource role trusts only CloudZero's two accounts, with the External ID, and only reads", async () => {
    const iam = memberIam(ids.staging);
    const role = (await iam.send(new GetRoleCommand({ RoleName: 'orgconnect-platform-resource' }))).Role;
    const trust = parsePolicyDocument(role?.AssumeRolePolicyDocument ?? '') as {
      Statement: Record<string, unknown>[];
    };
    assert.deepEqual(
      trust.Statement.map((s) => [s['Effect'], s['Principal'], s['Action'], s['Condition']]),
      [
        [
          'Allow',
          { AWS: ['arn:aws:iam::061190967865:root', 'arn:aws:iam::559846027439:root'] },
          'sts:AssumeRole',
          { StringEquals: { 'sts:ExternalId': EXTERNAL_ID } },
        ],
      ],
    );
    const policies =
      (await iam.send(new ListRolePoliciesCommand({ RoleName: 'orgconnect-platform-resource' })))
        .PolicyNames ?? [];
    assert.deepEqual(policies, ['orgconnect-resource-read']);
    const inline = await iam.send(
      new GetRolePolicyCommand({
        RoleName: 'orgconnect-platform-resource',
        PolicyName: 'orgconnect-resource-read',
      }),
    );
    const document = parsePolicyDocument(inline.PolicyDocument ?? '') as {
      Statement: { Effect: string; Action: string[] }[];
    };
    const allowed = document.Statement.filter((s) => s.Effect === 'Allow').flatMap((s) => s.Action);
    assert.ok(allowed.length > 0);
    assert.deepEqual(
      allowed.filter((a) => !isReadOnlyAction(a)),
      [],
    );
  });

  test('credentials for the wrong account are caught by GetCallerIdentity', async () => {
    const [result] = await runPreflight({
      targets: [{ accountId: ids.prod, stackName: 'orgconnect-resource' }],
      credentialsFor: () => source.credentialsFor(ids.staging),
      clientFactory,
    });
    assert.equal(result?.ok, false);
    assert.equal(result?.ok === false ? result.code : '', 'WRONG_ACCOUNT');
  });

  test('credential failures become blocked results, and an aborted preflight stops', async () => {
    const denied = Object.assign(new Error('User is not authorized to perform: sts:AssumeRole'), {
      name: 'AccessDenied',
    });
    const failures: Record<string, unknown> = {
      [ids.prod]: new OrgConnectError(
        'MANAGEMENT_CREDENTIALS_INVALID',
        'The management credentials were rejected.',
        { fix: 'Sign in again.' },
      ),
      [ids.staging]: denied,
      [ids.taken]: new Error('socket hang up'),
    };
    const results = await runPreflight({
      targets: Object.keys(failures).map((accountId) => ({ accountId, stackName: 'orgconnect-resource' })),
      credentialsFor: (accountId) => Promise.reject(failures[accountId]),
      clientFactory,
    });
    assert.deepEqual(
      results.map((r) => (r.ok ? 'ok' : [r.code, r.fix !== undefined])),
      [
        ['MANAGEMENT_CREDENTIALS_INVALID', true],
        ['ACCESS_ROLE_MISSING', true],
        ['ASSUME_ROLE_FAILED', false],
      ],
    );

    const controller = new AbortController();
    controller.abort();
    await assert.rejects(
      runPreflight({
        targets: [{ accountId: ids.prod, stackName: 'orgconnect-resource' }],
        credentialsFor: (id) => source.credentialsFor(id),
        clientFactory,
        signal: controller.signal,
      }),
      { code: 'CANCELLED_ABORTED' },
    );
  });
});
