// Health checks against moto's real STS, Organizations, CloudFormation and IAM: the real templates deployed
// into the management account (Billing) and two members (Resource, through OrganizationAccountAccessRole),
// then checked, then broken in the ways the issue names — role deleted, trust edited, account closed or
// removed — and checked again. What moto lacks is answered from recordings (test/fixtures/recorded).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {
  CloudFormationClient,
  CreateStackCommand,
  DescribeStacksCommand,
} from '@aws-sdk/client-cloudformation';
import {
  DeleteRoleCommand,
  DeleteRolePolicyCommand,
  DetachRolePolicyCommand,
  IAMClient,
  UpdateAssumeRolePolicyCommand,
} from '@aws-sdk/client-iam';
import {
  CloseAccountCommand,
  CreateAccountCommand,
  CreateOrganizationCommand,
  OrganizationsClient,
  RemoveAccountFromOrganizationCommand,
} from '@aws-sdk/client-organizations';
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import type { AwsCredentialIdentity } from '@smithy/types';
import {
  connectionKey,
  createHealthMonitor,
  historyFile,
  type Connection,
  type ConnectionHealth,
  type HealthClientBuilder,
  type HealthEvent,
} from '../../main/core/health/index.js';
import {
  createAccountCredentials,
  type AccountCredentialsSource,
} from '../../main/core/onboarding/account-credentials.js';
import { expectedManagedPolicyArns } from '../../main/core/onboarding/template-policy.js';
import { CLOUDZERO_PROFILE } from '../../main/core/platform/cloudzero-profile.js';
import {
  loadTemplates,
  type LoadedTemplate,
  type TemplateKind,
} from '../../main/core/onboarding/templates.js';
import { discoverOrganization } from '../../main/core/org/index.js';
import type { OrganizationSnapshot } from '../../main/core/org/types.js';
import { recordedAccountClient, recordedCurPort } from '../fixtures/recorded/recorded.js';
import { startMoto, type MotoServer } from '../support/moto.js';

const REGION = 'us-east-1';
const MANAGEMENT_KEYS = { accessKeyId: 'AKIAHEALTHMGMT000001', secretAccessKey: 'management-secret' };
const EXTERNAL_ID = 'orgconnect-health-ext-7c21';
const EXTERNAL_ID_SHA =
  '' + (await import('node:crypto')).createHash('sha256').update(EXTERNAL_ID).digest('hex');
const PLATFORM = '061190967865';
const ROLE: Record<TemplateKind, string> = {
  billing: 'orgconnect-platform-billing',
  resource: 'orgconnect-platform-resource',
};
const STACK: Record<TemplateKind, string> = {
  billing: 'orgconnect-billing',
  resource: 'orgconnect-resource',
};

function statusOf(health: ConnectionHealth, id: string): string | undefined {
  return health.checks.find((check) => check.id === id)?.status;
}
function summaryOf(health: ConnectionHealth, id: string): string {
  return health.checks.find((check) => check.id === id)?.summary ?? '';
}

describe('health checks against moto', () => {
  let moto: MotoServer;
  let dataDir: string;
  let managementAccountId: string;
  let members: string[];
  let credentials: AccountCredentialsSource;
  let templates: Record<TemplateKind, LoadedTemplate>;
  let connections: Connection[];
  let org: OrganizationsClient;
  const events: HealthEvent[] = [];

  const snapshot = (): Promise<OrganizationSnapshot> =>
    discoverOrganization({
      sts: new STSClient({ region: REGION, endpoint: moto.url, credentials: MANAGEMENT_KEYS }),
      organizations: org,
    });

  // Real SDK clients on moto for what moto implements; account:ListRegions (which moto lacks) from a recording.
  const clientFor: HealthClientBuilder = (service, target) => {
    const config = { region: target.region ?? REGION, endpoint: moto.url, credentials: target.credentials };
    switch (service) {
      case 'CloudFormation':
        return new CloudFormationClient(config) as never;
      case 'IAM':
        return new IAMClient(config) as never;
      case 'STS':
        return new STSClient(config) as never;
      default:
        return recordedAccountClient() as never;
    }
  };

  const iamIn = async (accountId: string): Promise<IAMClient> =>
    new IAMClient({
      region: REGION,
      endpoint: moto.url,
      credentials: await credentials.credentialsFor(accountId),
    });

  const monitor = (skip: 'stack-drift'[] = []) =>
    createHealthMonitor({
      dataDir,
      credentialsFor: (accountId) => credentials.credentialsFor(accountId),
      clientFor,
      curPortFor: () => recordedCurPort({ deliveredHoursAgo: { hours: 3, now: Date.now() } }),
      snapshot,
      options: { skip, regions: ['us-east-1'] },
      concurrency: 2,
      onEvent: (event) => events.push(event),
    });

  async function deploy(kind: TemplateKind, accountId: string): Promise<string> {
    const own = await credentials.credentialsFor(accountId);
    const cfn = new CloudFormationClient({ region: REGION, endpoint: moto.url, credentials: own });
    await cfn.send(
      new CreateStackCommand({
        StackName: STACK[kind],
        TemplateBody: templates[kind].body,
        Parameters: [
          { ParameterKey: 'ExternalId', ParameterValue: EXTERNAL_ID },
          ...(kind === 'billing'
            ? [{ ParameterKey: 'CostAndUsageReportBucket', ParameterValue: 'acme-billing-reports' }]
            : []),
        ],
        Capabilities: ['CAPABILITY_NAMED_IAM'],
      }),
    );
    const stack = (await cfn.send(new DescribeStacksCommand({ StackName: STACK[kind] }))).Stacks?.[0];
    assert.equal(stack?.StackStatus, 'CREATE_COMPLETE');
    // The platform assumes the role and uses it once: moto then reports RoleLastUsed, as IAM does.
    const roleArn = stack?.Outputs?.find((o) => o.OutputKey === 'RoleArn')?.OutputValue ?? '';
    const sts = new STSClient({ region: REGION, endpoint: moto.url, credentials: MANAGEMENT_KEYS });
    const assumed = (
      await sts.send(
        new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: 'platform', ExternalId: EXTERNAL_ID }),
      )
    ).Credentials;
    const platform: AwsCredentialIdentity = {
      accessKeyId: assumed?.AccessKeyId ?? '',
      secretAccessKey: assumed?.SecretAccessKey ?? '',
      sessionToken: assumed?.SessionToken ?? '',
    };
    await new STSClient({ region: REGION, endpoint: moto.url, credentials: platform }).send(
      new GetCallerIdentityCommand({}),
    );
    return roleArn;
  }

  before(async () => {
    moto = await startMoto();
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'orgconnect-health-'));
    templates = loadTemplates();
    org = new OrganizationsClient({ region: REGION, endpoint: moto.url, credentials: MANAGEMENT_KEYS });
    managementAccountId =
      (await org.send(new CreateOrganizationCommand({ FeatureSet: 'ALL' }))).Organization?.MasterAccountId ??
      '';
    members = [];
    for (let i = 0; i < 3; i++) {
      const out = await org.send(
        new CreateAccountCommand({ AccountName: `member-${i}`, Email: `member-${i}@example.com` }),
      );
      members.push(out.CreateAccountStatus?.AccountId ?? '');
    }
    credentials = createAccountCredentials({
      managementCredentials: async () => MANAGEMENT_KEYS,
      region: REGION,
      stsEndpoint: moto.url,
    });
    const base = {
      managementAccountId,
      ouPath: 'Root',
      region: REGION,
      rolePath: CLOUDZERO_PROFILE.rolePath,
      platformAccountId: PLATFORM,
      platform: { id: 'cloudzero' as const, version: CLOUDZERO_PROFILE.version },
      externalIdSha256: EXTERNAL_ID_SHA,
      externalIdLast4: EXTERNAL_ID.slice(-4),
    };
    // As a run records a connection the platform accepted (the registration step is tested in cli-registration).
    const registered = (roleArn: string) => ({
      status: 'registered' as const,
      at: new Date().toISOString(),
      endpoint: 'http://127.0.0.1:9/accounts/v1/link',
      httpStatus: 200,
      roleArn,
      attempts: 1,
    });
    const billingRoleArn = await deploy('billing', managementAccountId);
    connections = [
      {
        ...base,
        accountId: managementAccountId,
        accountName: 'master',
        kind: 'billing',
        connectionName: 'management-billing',
        stackName: STACK.billing,
        roleName: ROLE.billing,
        roleArn: billingRoleArn,
        registration: registered(billingRoleArn),
        curBucket: 'acme-billing-reports',
        templateSha256: templates.billing.sha256,
      },
      ...(await Promise.all(
        members.map(async (accountId, i): Promise<Connection> => {
          const roleArn = await deploy('resource', accountId);
          return {
            ...base,
            accountId,
            accountName: `member-${i}`,
            kind: 'resource',
            connectionName: `member-${i}`,
            stackName: STACK.resource,
            roleName: ROLE.resource,
            roleArn,
            registration: registered(roleArn),
          };
        }),
      )),
    ];
  });

  after(async () => {
    await moto?.stop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  test('right after deploy: every check moto can answer passes; drift, which moto lacks, is unknown and not available here, so it does not count', async () => {
    const results = await monitor().checkNow(connections);
    for (const health of results) {
      assert.equal(statusOf(health, 'stack-drift'), 'unknown', summaryOf(health, 'stack-drift'));
      assert.match(summaryOf(health, 'stack-drift'), /DetectStackDrift: the API is not available/);
      assert.equal(health.checks.find((c) => c.id === 'stack-drift')?.notAvailableHere, true);
      const others = health.checks.filter((check) => check.id !== 'stack-drift');
      assert.deepEqual(
        others.filter((c) => c.status !== 'pass'),
        [],
        health.connectionKey,
      );
      assert.equal(health.overall, 'healthy');
    }
    const billing = results[0] as ConnectionHealth;
    assert.deepEqual(
      billing.checks.map((c) => c.id),
      [
        'account-active',
        'stack-status',
        'stack-drift',
        'role-exists',
        'role-trust',
        'role-policies',
        'role-last-used',
        'cur',
        'regions-sts',
        'platform-registration',
      ],
    );
    assert.match(summaryOf(billing, 'cur'), /hourly-resources|cur2-hourly/);
    // The opt-in Region the recording shows enabled (ap-east-1) was probed through moto's STS too.
    assert.match(summaryOf(billing, 'regions-sts'), /us-east-1, ap-east-1/);
    assert.ok(
      !(results[1] as ConnectionHealth).checks.some((c) => c.id === 'cur'),
      'CUR is a Billing check only',
    );
  });

  test('with drift detection skipped by the caller, every connection is healthy and the skip is visible', async () => {
    events.length = 0;
    const results = await monitor(['stack-drift']).checkNow(connections);
    for (const health of results) {
      assert.equal(
        health.overall,
        'healthy',
        JSON.stringify(health.checks.filter((c) => c.status !== 'pass')),
      );
      assert.equal(statusOf(health, 'stack-drift'), 'skipped');
    }
    // Drift was already left out (not available at moto's endpoint): skipping it changes a check's status (a
    // change event per connection) but no connection's overall health.
    assert.equal(events.length, connections.length);
    assert.ok(
      events.every(
        (e) =>
          e.type === 'health-changed' &&
          e.previous?.overall === 'healthy' &&
          e.current.overall === 'healthy',
      ),
    );
  });

  test('a deleted role fails role-exists; an edited trust policy fails role-trust with what differs', async () => {
    const [victim, edited] = members as [string, string, string];
    const iam = await iamIn(victim);
    for (const arn of expectedManagedPolicyArns(templates.resource.document))
      await iam.send(new DetachRolePolicyCommand({ RoleName: ROLE.resource, PolicyArn: arn }));
    await iam.send(
      new DeleteRolePolicyCommand({ RoleName: ROLE.resource, PolicyName: 'orgconnect-resource-read' }),
    );
    await iam.send(new DeleteRoleCommand({ RoleName: ROLE.resource }));

    const trust = (account: string, externalId: string) =>
      JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Principal: { AWS: `arn:aws:iam::${account}:root` },
            Action: 'sts:AssumeRole',
            Condition: { StringEquals: { 'sts:ExternalId': externalId } },
          },
        ],
      });
    const editedIam = await iamIn(edited);
    await editedIam.send(
      new UpdateAssumeRolePolicyCommand({
        RoleName: ROLE.resource,
        PolicyDocument: trust('999999999999', EXTERNAL_ID),
      }),
    );

    events.length = 0;
    const m = monitor(['stack-drift']);
    const byKey = new Map((await m.checkNow(connections)).map((h) => [h.connectionKey, h]));
    const deleted = byKey.get(`${victim}/resource`) as ConnectionHealth;
    assert.equal(statusOf(deleted, 'role-exists'), 'fail');
    assert.match(
      summaryOf(deleted, 'role-exists'),
      new RegExp(`Role ${ROLE.resource} does not exist in ${victim}`),
    );
    assert.equal(statusOf(deleted, 'role-trust'), 'unknown');
    assert.equal(deleted.overall, 'unhealthy');

    const wrongAccount = byKey.get(`${edited}/resource`) as ConnectionHealth;
    assert.equal(statusOf(wrongAccount, 'role-trust'), 'fail');
    assert.match(summaryOf(wrongAccount, 'role-trust'), /trusts 999999999999 instead of 061190967865/);
    assert.equal(wrongAccount.overall, 'unhealthy');
    // Only the two broken connections changed.
    assert.deepEqual(
      events.map((e) => e.connectionKey).sort(),
      [`${victim}/resource`, `${edited}/resource`].sort(),
    );

    await editedIam.send(
      new UpdateAssumeRolePolicyCommand({
        RoleName: ROLE.resource,
        PolicyDocument: trust(PLATFORM, 'someone-elses-external-id'),
      }),
    );
    const again = (await m.checkNow([connections[2] as Connection]))[0] as ConnectionHealth;
    assert.equal(statusOf(again, 'role-trust'), 'fail');
    assert.match(summaryOf(again, 'role-trust'), /External ID differs/);
    assert.doesNotMatch(JSON.stringify(again), /someone-elses-external-id|orgconnect-health-ext/);
  });

  test('a closed account and an account removed from the Organization fail account-active', async () => {
    const [, , third] = members as [string, string, string];
    const first = members[0] as string;
    await org.send(new CloseAccountCommand({ AccountId: third }));
    const m = monitor(['stack-drift']);
    let health = (await m.checkNow([connections[3] as Connection]))[0] as ConnectionHealth;
    assert.equal(statusOf(health, 'account-active'), 'fail');
    assert.match(summaryOf(health, 'account-active'), /SUSPENDED/);

    await org.send(new RemoveAccountFromOrganizationCommand({ AccountId: first }));
    health = (await m.checkNow([connections[1] as Connection]))[0] as ConnectionHealth;
    assert.equal(statusOf(health, 'account-active'), 'fail');
    assert.match(summaryOf(health, 'account-active'), /no longer in the Organization/);
  });

  test('history keeps every result per connection, newest last, in one JSON-lines file each', async () => {
    const key = connectionKey(connections[0] as Connection);
    const lines = (await readFile(historyFile(dataDir, key), 'utf8')).trim().split('\n');
    // Rounds 1-3 checked every connection (rounds 4 and 5 only single members).
    assert.equal(lines.length, 3);
    const history = await monitor().history(key);
    assert.deepEqual(
      history.map((h) => h.overall),
      ['healthy', 'healthy', 'healthy'],
    );
  });
});
