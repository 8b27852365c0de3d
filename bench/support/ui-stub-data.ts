/**
 * What the UI bench feeds the renderer instead of a host: an Organization of N accounts in ~200 OUs, a plan for
 * all of them, a run state and a Health summary of N connections. Every piece is parsed with the contract's own
 * schemas first, so the renderer sees exactly the shapes a real host sends — only more of them than moto can
 * produce in a bench's time (5,000 health checks against moto would take longer than the whole bench).
 */
import { createHash } from 'node:crypto';
import { channels, healthSummarySchema, type ResponseOf } from '../../preload/contract.js';
import { CLOUDZERO_PROFILE } from '../../main/core/platform/cloudzero-profile.js';
import { describePlatform } from '../../main/core/platform/platform-description.js';

export interface UiStubData {
  profiles: ResponseOf<'profiles.list'>;
  identity: ResponseOf<'identity.whoami'>;
  snapshot: ResponseOf<'org.discover'>;
  planned: ResponseOf<'plan.create'>;
  runState: ResponseOf<'runs.get'>;
  health: ResponseOf<'health.check'>;
  templates: ResponseOf<'templates.get'>;
  /** Settings' Platform section. */
  platform: ResponseOf<'platform.describe'>;
  runId: string;
  /** Accounts in the order the bench streams their updates (members, then the billing one). */
  streamOrder: { accountId: string; kind: 'billing' | 'resource' }[];
}

const MANAGEMENT = '100000000000';
const accountIdOf = (i: number): string => String(100000000000 + i);

export function uiStubData(accounts: number, ouCount = 200): UiStubData {
  const organizationId = 'o-benchui0001';
  const ous = Array.from({ length: ouCount }, (_, i) => {
    const top = i < 10;
    const parentIndex = top ? undefined : i % 10;
    const name = top ? `Division ${String(i).padStart(2, '0')}` : `Team ${String(i).padStart(3, '0')}`;
    return {
      id: `ou-bench-${String(i).padStart(8, '0')}`,
      name,
      parentId: parentIndex === undefined ? 'r-bench' : `ou-bench-${String(parentIndex).padStart(8, '0')}`,
      path:
        parentIndex === undefined
          ? `Root/${name}`
          : `Root/Division ${String(parentIndex).padStart(2, '0')}/${name}`,
    };
  });
  const orgAccounts = Array.from({ length: accounts }, (_, i) => {
    const id = i === 0 ? MANAGEMENT : accountIdOf(i);
    const ou = ous[i % ous.length];
    const name = i === 0 ? 'management' : `acct-${String(i).padStart(4, '0')}`;
    return {
      id,
      arn: `arn:aws:organizations::${MANAGEMENT}:account/${organizationId}/${id}`,
      name,
      email: `${name}@example.com`,
      status: i === accounts - 1 ? ('SUSPENDED' as const) : ('ACTIVE' as const),
      state: i === accounts - 1 ? 'SUSPENDED' : 'ACTIVE',
      ouId: i === 0 ? 'r-bench' : (ou?.id ?? 'r-bench'),
      ouPath: i === 0 ? 'Root' : (ou?.path ?? 'Root'),
      isManagement: i === 0,
    };
  });
  const snapshot = channels['org.discover'].response.parse({
    organization: {
      id: organizationId,
      arn: `arn:aws:organizations::${MANAGEMENT}:organization/${organizationId}`,
      featureSet: 'ALL',
      managementAccountId: MANAGEMENT,
      managementAccountEmail: 'management@example.com',
    },
    caller: {
      accountId: MANAGEMENT,
      arn: `arn:aws:iam::${MANAGEMENT}:user/bench`,
      isManagementAccount: true,
    },
    roots: [{ id: 'r-bench', name: 'Root' }],
    ous,
    accounts: orgAccounts,
    discoveredAt: new Date().toISOString(),
  });
  const active = orgAccounts.filter((a) => a.status === 'ACTIVE');
  const items = active.map((a) => ({
    accountId: a.id,
    accountName: a.name,
    ouPath: a.ouPath,
    kind: a.isManagement ? ('billing' as const) : ('resource' as const),
    connectionName: a.name,
    stackName: a.isManagement ? 'orgconnect-billing' : 'orgconnect-resource',
    action: 'create' as const,
  }));
  const planned = channels['plan.create'].response.parse({
    planId: 'benchplan00000000001',
    plan: {
      managementAccountId: MANAGEMENT,
      items,
      counts: {
        total: items.length,
        create: items.length,
        update: 0,
        skip: 0,
        blocked: 0,
        billing: 1,
        resource: items.length - 1,
      },
    },
    organizationId,
    snapshot,
  });
  const createdAt = new Date().toISOString();
  const runId = '20261122-120000-bench1';
  const counts = {
    total: items.length,
    pending: items.length,
    deploying: 0,
    connected: 0,
    skipped: 0,
    failed: 0,
    cancelled: 0,
    unknown: 0,
  };
  const runState = channels['runs.get'].response.parse({
    runId,
    createdAt,
    managementAccountId: MANAGEMENT,
    profile: 'bench',
    settings: {
      platformAccountId: '061190967865',
      externalIdSha256: createHash('sha256').update('bench-ui-external-id').digest('hex'),
      externalIdLast4: '-id',
      accessRoleName: 'OrganizationAccountAccessRole',
      region: 'us-east-1',
      concurrency: 32,
    },
    status: 'running',
    cancelRequested: false,
    accounts: items.map((item) => ({ ...item, state: 'pending', attempt: 0, updatedAt: '' })),
    counts,
    updatedAt: createdAt,
    live: true,
  });
  const checkedAt = new Date().toISOString();
  const health = healthSummarySchema.parse({
    organizationId,
    summary: { total: 0, healthy: 0, degraded: 0, unhealthy: 0, unknown: 0 },
    connections: items.map((item, i) => {
      const broken = i % 37 === 5;
      return {
        accountId: item.accountId,
        accountName: item.accountName,
        kind: item.kind,
        connectionName: item.connectionName,
        roleArn: `arn:aws:iam::${item.accountId}:role/orgconnect-platform-${item.kind}`,
        overall: broken ? 'unhealthy' : 'healthy',
        checkedAt,
        checks: [
          { id: 'account-active', status: 'pass', summary: 'The account is ACTIVE.' },
          { id: 'stack-status', status: 'pass', summary: 'CREATE_COMPLETE' },
          broken
            ? {
                id: 'role-trust',
                status: 'fail',
                summary: 'The role trusts 999999999999, not the platform account.',
                fix: 'Redeploy the stack (orgconnect retry), or restore the trust policy.',
              }
            : {
                id: 'role-trust',
                status: 'pass',
                summary: 'Trusts only the platform, with the External ID.',
              },
        ],
      };
    }),
  });
  health.summary = {
    total: health.connections.length,
    healthy: health.connections.filter((c) => c.overall === 'healthy').length,
    degraded: 0,
    unhealthy: health.connections.filter((c) => c.overall === 'unhealthy').length,
    unknown: 0,
  };
  const template = 'AWSTemplateFormatVersion: "2010-09-09"\nResources: {}\n';
  const sha = createHash('sha256').update(template).digest('hex');
  return {
    profiles: channels['profiles.list'].response.parse({
      configFile: '/home/bench/.aws/config',
      credentialsFile: '/home/bench/.aws/credentials',
      selectedProfile: 'bench',
      profiles: [{ name: 'bench', kind: 'static', region: 'us-east-1', hasExternalId: false }],
      ssoSessions: [],
      warnings: [],
    }),
    identity: channels['identity.whoami'].response.parse({
      accountId: MANAGEMENT,
      arn: `arn:aws:iam::${MANAGEMENT}:user/bench`,
      organizationId,
      managementAccountId: MANAGEMENT,
      featureSet: 'ALL',
      isManagementAccount: true,
    }),
    snapshot,
    planned,
    runState,
    health,
    templates: { billing: { body: template, sha256: sha }, resource: { body: template, sha256: sha } },
    platform: channels['platform.describe'].response.parse(
      describePlatform(CLOUDZERO_PROFILE, { off: 'The UI bench registers nothing.' }),
    ),
    runId,
    streamOrder: [
      ...items.filter((i) => i.kind === 'billing'),
      ...items.filter((i) => i.kind === 'resource'),
    ].map((i) => ({ accountId: i.accountId, kind: i.kind })),
  };
}
