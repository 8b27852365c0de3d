/**
 * `orgconnect adopt`: bring your own roles. The customer made the platform roles themselves (Terraform, shell,
 * the exported templates); orgconnect verifies each one and, when it passes, records it as a connection
 * (`source: manual`; management account → Billing, members → Resource) and registers it with the platform.
 *
 * It is a run like a deploy — journaled, resumable, the same events — whose engine verifies instead of deploying
 * (runner's `verifyAccount`). This module sits above onboarding and health, because it uses both: the run
 * machinery of one and the role judgement of the other.
 */
import type { AwsClientFactory } from '../aws/client-factory.js';
import type { SsoPortal } from '../aws/sso/index.js';
import { OrgConnectError } from '../errors.js';
import type { Connection } from '../health/connection.js';
import type { OrganizationSnapshot, OrgAccount } from '../org/index.js';
import { DEFAULT_ACCESS_ROLE_NAME } from '../onboarding/account-credentials.js';
import { assignConnectionNames } from '../onboarding/connection-names.js';
import { assertValidExternalId } from '../onboarding/external-id.js';
import { readRunState } from '../onboarding/journal.js';
import { accountCredentials, registrationSettingsFor, type RunHooks } from '../onboarding/onboarding.js';
import type { DeployItem, RunSettingsRecord } from '../onboarding/run-events.js';
import { externalIdFingerprint } from '../onboarding/run-secrets.js';
import {
  DEFAULT_CONCURRENCY,
  resumeRun,
  startRun,
  type DeployRun,
  type VerifyAccount,
} from '../onboarding/runner.js';
import type { Plan, PlanItem } from '../onboarding/plan.js';
import pLimit from 'p-limit';
import { parseSelection, resolveSelection } from '../onboarding/selection.js';
import { platformChoiceFor, resolvePlatformProfile } from '../platform/platforms.js';
import { parseRolesCsv, type RoleRow } from './roles-csv.js';
import { verifyHandMadeRole } from './verify-role.js';

export interface AdoptRequest {
  externalId: string;
  platform?: 'cloudzero' | 'custom';
  platformAccountIds?: string[];
  managedPolicyArns?: string[];
  /** Pattern mode: the same role name (and path) in every selected account. */
  roleName?: string;
  rolePath?: string;
  /** CSV mode: one role per account (`parseRolesCsv`), or the file's text (the app sends it as chosen). */
  roles?: RoleRow[];
  rolesCsv?: string;
  select?: string;
  exclude?: string;
  /** Connection names the user typed, by account id (a CSV's connection_name wins). */
  nameOverrides?: Record<string, string>;
  accessRoleName?: string;
  accessMode?: 'access-role' | 'identity-center';
  ssoRoleName?: string;
  /** Billing only: the CUR bucket the Billing role was given (its bucket policy is then required). */
  costAndUsageReportBucket?: string;
  platformUrl?: string;
  register?: boolean;
}

export interface AdoptContext {
  profile: string;
  factory: AwsClientFactory;
  snapshot: OrganizationSnapshot;
  ssoPortal?: () => Promise<SsoPortal>;
}

/** Stands where a stack name would: an adopted role has no stack. */
const NO_STACK = 'adopted-role';

export function roleArnFor(accountId: string, rolePath: string, roleName: string, partition = 'aws'): string {
  return `arn:${partition}:iam::${accountId}:role${rolePath}${roleName}`;
}

/** Name and path of a role ARN (`arn:aws:iam::1:role/path/name`). */
export function roleNameAndPath(roleArn: string): { roleName: string; rolePath: string } {
  const match = /^arn:aws[a-z-]*:iam::\d{12}:role(\/(?:[^/]*\/)*)([^/]+)$/.exec(roleArn);
  if (!match) throw new OrgConnectError('ROLE_ARN_INVALID', 'That is not an IAM role ARN.');
  return { rolePath: match[1] as string, roleName: match[2] as string };
}

/** The accounts to adopt, each with its role ARN and connection name. Throws before anything is journaled. */
export function adoptItems(
  snapshot: OrganizationSnapshot,
  request: AdoptRequest,
  rolePath: string,
): DeployItem[] {
  const active = snapshot.accounts.filter((account) => account.status === 'ACTIVE');
  const byId = new Map(active.map((account) => [account.id, account]));
  let chosen: { account: OrgAccount; roleArn: string; name?: string }[];
  if (request.roles !== undefined) {
    const unknown = request.roles.filter((row) => !byId.has(row.accountId));
    if (unknown.length > 0) {
      throw new OrgConnectError(
        'ROLES_CSV_INVALID',
        `The roles file names accounts that are not active in this Organization: ${unknown
          .map((row) => `line ${row.line}: ${row.accountId}`)
          .join('; ')}.`,
        { fix: 'Correct those lines; nothing was adopted.' },
      );
    }
    chosen = request.roles.map((row) => ({
      account: byId.get(row.accountId) as OrgAccount,
      roleArn: row.roleArn,
      ...(row.connectionName === undefined ? {} : { name: row.connectionName }),
    }));
  } else {
    if (!request.roleName) {
      throw new OrgConnectError('USAGE_ADOPT_ROLES', 'adopt needs --role-name or --roles FILE.csv.', {
        fix: 'Name the role you created in every account (--role-name, --role-path) or list them in a CSV.',
      });
    }
    const resolved = resolveSelection(
      parseSelection(request.select ?? 'all', request.exclude),
      snapshot.accounts,
      snapshot.ous,
    );
    chosen = resolved.active.map((account) => ({
      account,
      roleArn: roleArnFor(account.id, rolePath, request.roleName as string),
    }));
  }
  const overrides = {
    ...request.nameOverrides,
    ...Object.fromEntries(
      chosen.flatMap((entry) => (entry.name === undefined ? [] : [[entry.account.id, entry.name]])),
    ),
  };
  const { names, problems } = assignConnectionNames(
    chosen.map(({ account }) => ({ id: account.id, name: account.name })),
    { overrides },
  );
  if (problems.length > 0) {
    throw new OrgConnectError(
      'ROLES_CSV_INVALID',
      `Connection names: ${problems.map((p) => `${p.accountId} ${p.message}`).join('; ')}`,
      { fix: 'Give each account a unique connection name.' },
    );
  }
  // Billing first, as a deploy: the platform attaches Resource connections to the Billing one.
  return chosen
    .map(({ account, roleArn }) => ({
      accountId: account.id,
      accountName: account.name,
      ouPath: account.ouPath,
      kind: account.isManagement ? ('billing' as const) : ('resource' as const),
      connectionName: names[account.id] as string,
      stackName: NO_STACK,
      action: 'create' as const,
      requestedRoleArn: roleArn,
    }))
    .sort((a, b) => (a.kind === b.kind ? 0 : a.kind === 'billing' ? -1 : 1));
}

/** The engine: read the account's role with the access role (or Identity Center) and judge it. */
function verifyEngine(
  factory: AwsClientFactory,
  managementAccountId: string,
  settings: RunSettingsRecord,
  ssoPortal: (() => Promise<SsoPortal>) | undefined,
): { verify: VerifyAccount; credentialsFor: ReturnType<typeof accountCredentials>['credentialsFor'] } {
  const credentials = accountCredentials(factory, managementAccountId, settings, ssoPortal);
  const verify: VerifyAccount = async (item) => {
    if (item.requestedRoleArn === undefined)
      throw new OrgConnectError('ROLE_ARN_MISSING', 'This account has no role to adopt.');
    const { roleName, rolePath } = roleNameAndPath(item.requestedRoleArn);
    const connection: Connection = {
      managementAccountId,
      accountId: item.accountId,
      accountName: item.accountName,
      ouPath: item.ouPath,
      kind: item.kind,
      connectionName: item.connectionName,
      stackName: item.stackName,
      region: settings.region,
      roleName,
      rolePath,
      platformAccountId: settings.platformAccountId,
      externalIdSha256: settings.externalIdSha256,
      externalIdLast4: settings.externalIdLast4,
      source: 'manual',
      ...(settings.platform === undefined ? {} : { platform: settings.platform }),
      ...(item.kind === 'billing' && settings.costAndUsageReportBucket
        ? { curBucket: settings.costAndUsageReportBucket }
        : {}),
    };
    const iam = factory.client('IAM', {
      accountKey: item.accountId,
      credentials: credentials.providerFor(item.accountId),
    });
    return { roleArn: await verifyHandMadeRole({ connection, iam }) };
  };
  return { verify, credentialsFor: (accountId) => credentials.credentialsFor(accountId) };
}

const NO_STACKS = (): never => {
  throw new OrgConnectError('ADOPT_DEPLOYS_NOTHING', 'An adopt run deploys no stack.');
};

/** What an adopt run records and verifies with, and its accounts. */
function adoptSetup(context: AdoptContext, request: AdoptRequest, concurrency: number) {
  assertValidExternalId(request.externalId);
  const choice = platformChoiceFor({
    platform: request.platform,
    platformAccountIds: request.platformAccountIds,
    managedPolicyArns: request.managedPolicyArns,
    rolePath: request.rolePath,
  });
  const profile = resolvePlatformProfile(choice);
  const rolePath = request.rolePath ?? profile.rolePath;
  const roles =
    request.roles ?? (request.rolesCsv === undefined ? undefined : parseRolesCsv(request.rolesCsv));
  const items = adoptItems(context.snapshot, { ...request, ...(roles ? { roles } : {}) }, rolePath);
  const managementAccountId = context.snapshot.organization.managementAccountId;
  const settings = {
    platform: { ...choice, version: profile.version },
    platformAccountId: profile.trustedAccountIds[0] as string,
    externalId: request.externalId,
    accessRoleName: request.accessRoleName ?? DEFAULT_ACCESS_ROLE_NAME,
    region: context.factory.region,
    rolePath,
    mode: 'stacks' as const,
    source: 'manual' as const,
    ...(request.roleName === undefined ? {} : { roleName: request.roleName }),
    ...(request.accessMode === undefined ? {} : { accessMode: request.accessMode }),
    ...(request.ssoRoleName === undefined ? {} : { ssoRoleName: request.ssoRoleName }),
    ...(request.costAndUsageReportBucket === undefined
      ? {}
      : { costAndUsageReportBucket: request.costAndUsageReportBucket }),
    registration: registrationSettingsFor(request),
  };
  const recorded: RunSettingsRecord = {
    ...settings,
    ...externalIdFingerprint(request.externalId),
    concurrency,
  };
  const engine = verifyEngine(context.factory, managementAccountId, recorded, context.ssoPortal);
  return { items, settings, managementAccountId, engine };
}

/**
 * Review's view of an adopt: every account's role verified now (reads only, nothing journaled), as a plan whose
 * items are `create` (verified: will be registered) or `blocked` with the code, reason and fix.
 */
export async function planAdopt(
  context: AdoptContext,
  request: AdoptRequest,
  options: { concurrency?: number } = {},
): Promise<Plan> {
  const concurrency = options.concurrency ?? DEFAULT_CONCURRENCY;
  const { items, managementAccountId, engine } = adoptSetup(context, request, concurrency);
  const limit = pLimit(concurrency);
  const signal = new AbortController().signal;
  const verified = await Promise.all(
    items.map((item) =>
      limit(async (): Promise<PlanItem & { requestedRoleArn?: string }> => {
        try {
          await engine.credentialsFor(item.accountId);
          const { roleArn } = await engine.verify(
            { ...item, state: 'pending', attempt: 0, updatedAt: '' },
            { externalId: request.externalId },
            signal,
          );
          // An adopt item is always `create` (verify and register); disconnect's actions never occur here.
          return { ...item, action: 'create', reason: `verified: ${roleArn}` };
        } catch (error) {
          const failure =
            error instanceof OrgConnectError
              ? error
              : new OrgConnectError(
                  'ROLE_NOT_READABLE',
                  `The role could not be read: ${(error as Error).message}`,
                );
          return {
            ...item,
            action: 'blocked',
            code: failure.code,
            reason: failure.message,
            ...(failure.fix === undefined ? {} : { fix: failure.fix }),
          };
        }
      }),
    ),
  );
  const count = (test: (item: PlanItem) => boolean) => verified.filter(test).length;
  return {
    managementAccountId,
    items: verified,
    counts: {
      total: verified.length,
      create: count((item) => item.action === 'create'),
      update: 0,
      skip: 0,
      blocked: count((item) => item.action === 'blocked'),
      billing: count((item) => item.kind === 'billing'),
      resource: count((item) => item.kind === 'resource'),
    },
  };
}

/**
 * Journals an adopt run, ready to `start()`. With `reviewed` (the plan Review showed), accounts it blocked are
 * recorded failed with their reason and fix — as a deploy does — and the run verifies the others again.
 */
export async function createAdoptRun(
  context: AdoptContext,
  request: AdoptRequest,
  hooks: RunHooks,
  reviewed?: Plan,
): Promise<DeployRun> {
  const { items, settings, managementAccountId, engine } = adoptSetup(
    context,
    request,
    hooks.concurrency ?? DEFAULT_CONCURRENCY,
  );
  const blocked = new Map(
    (reviewed?.items ?? []).filter((item) => item.action === 'blocked').map((item) => [item.accountId, item]),
  );
  return startRun({
    dataDir: hooks.dataDir,
    items: items.map((item) => {
      const review = blocked.get(item.accountId);
      return review === undefined
        ? item
        : {
            ...item,
            action: 'blocked' as const,
            ...(review.code === undefined ? {} : { code: review.code }),
            ...(review.reason === undefined ? {} : { reason: review.reason }),
            ...(review.fix === undefined ? {} : { fix: review.fix }),
          };
    }),
    settings,
    managementAccountId,
    profile: context.profile,
    credentialsFor: engine.credentialsFor,
    cloudFormationFor: NO_STACKS,
    templateFor: NO_STACKS,
    verifyAccount: engine.verify,
    ...runHooks(hooks),
  });
}

/** Re-opens an adopt run from its journal (resume / retry / register). */
export async function openAdoptRun(
  factory: AwsClientFactory,
  runId: string,
  hooks: RunHooks & { externalId?: string; ssoPortal?: () => Promise<SsoPortal> },
): Promise<DeployRun> {
  const state = await readRunState(hooks.dataDir, runId);
  const engine = verifyEngine(factory, state.managementAccountId, state.settings, hooks.ssoPortal);
  return resumeRun({
    runId,
    dataDir: hooks.dataDir,
    ...(hooks.externalId === undefined ? {} : { externalId: hooks.externalId }),
    credentialsFor: engine.credentialsFor,
    cloudFormationFor: NO_STACKS,
    templateFor: NO_STACKS,
    verifyAccount: engine.verify,
    ...runHooks(hooks),
  });
}

function runHooks(hooks: RunHooks) {
  return {
    ...(hooks.concurrency === undefined ? {} : { concurrency: hooks.concurrency }),
    ...(hooks.onEvent ? { onEvent: hooks.onEvent } : {}),
    ...(hooks.onProgress ? { onProgress: hooks.onProgress } : {}),
    ...(hooks.registration ? { registration: hooks.registration } : {}),
  };
}
