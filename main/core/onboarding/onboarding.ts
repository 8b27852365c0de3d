/**
 * The onboarding flow over one management profile: discover → select → preflight → plan, and a deploy run built
 * from that plan (or resumed from its journal). This is the glue between the pieces; each decision lives in the
 * module that owns it (selection, preflight, plan, runner).
 */
import type { AwsClientFactory } from '../aws/client-factory.js';
import type { SsoPortal } from '../aws/sso/index.js';
import { OrgConnectError } from '../errors.js';
import type { OrganizationSnapshot } from '../org/index.js';
import {
  createAccountCredentials,
  DEFAULT_ACCESS_ROLE_NAME,
  type AccountCredentials,
  type AccountCredentialsSource,
} from './account-credentials.js';
import { assertValidExternalId } from './external-id.js';
import { buildPlan, deploymentSource, preflightTargets, type DeployMode, type Plan } from './plan.js';
import { preflightClientsFrom, runPreflight, type PreflightResult } from './preflight.js';
import { parseSelection, resolveSelection } from './selection.js';
import { loadTemplates } from './templates.js';
import type { PlatformChoice } from '../platform/platform-profile.js';
import { platformChoiceFor, resolvePlatformProfile } from '../platform/platforms.js';
import {
  DEFAULT_CONCURRENCY,
  resumeRun,
  startRun,
  type StackSetEngineOptions,
  type DeployRun,
  type ProgressListener,
  type RunEventListener,
  type StartRunOptions,
  type VerifyAccount,
} from './runner.js';
import { readRunState } from './journal.js';
import type { RunRegistrationSettings } from './run-events.js';
import { CLOUDZERO_PROFILE } from '../platform/cloudzero-profile.js';
import { assertRegistrationEndpoint } from '../platform/registration-client.js';
import type { RegistrationStepOptions } from './registration-step.js';

/**
 * Suspended or closing accounts are shown in the plan with their reason but are not part of a run: nothing can
 * be deployed there, so they are neither failures nor connections.
 */
const INACTIVE_ACCOUNT_CODES = new Set(['ACCOUNT_SUSPENDED', 'ACCOUNT_CLOSING', 'ACCOUNT_NOT_ACTIVE']);

export interface OnboardingRequest {
  externalId: string;
  /** The platform profile: `cloudzero` (default) or `custom`. */
  platform?: 'cloudzero' | 'custom';
  /** The accounts a `custom` platform's role trusts; for `cloudzero` only its own accounts are accepted. */
  platformAccountIds?: string[];
  /** One platform account (older callers); joins `platformAccountIds`. */
  platformAccountId?: string;
  /** `custom` only: the managed policies the role carries (default: CloudZero's four AWS managed ones). */
  managedPolicyArns?: string[];
  /** `all`, `<id,id>`, or `ou:<ou-id>[,ou:<ou-id>]` (OUs include their children). */
  select?: string;
  exclude?: string;
  accessRoleName?: string;
  roleName?: string;
  rolePath?: string;
  mode?: DeployMode;
  namePrefix?: string;
  nameOverrides?: Record<string, string>;
  costAndUsageReportBucket?: string;
  /** `access-role` (default): assume --access-role from the management account; `identity-center`: use the
   *  profile's IAM Identity Center session and the permission set `ssoRoleName` in each member account. */
  accessMode?: 'access-role' | 'identity-center';
  ssoRoleName?: string;
  /** The platform's link endpoint (--platform-url / ORGCONNECT_PLATFORM_URL); default CloudZero's. */
  platformUrl?: string;
  /** false: register nothing (--no-register). */
  register?: boolean;
}

/**
 * Where a run registers its connections: the platform profile's link endpoint (or the URL given), or nothing for a
 * profile that registers nothing (`custom`) and for --no-register.
 */
export function registrationSettingsFor(
  request: Pick<OnboardingRequest, 'platformUrl' | 'register' | 'platform'>,
): RunRegistrationSettings {
  if (request.register === false) return { off: 'registration turned off (--no-register)' };
  const registration = request.platform === 'custom' ? undefined : CLOUDZERO_PROFILE.registration;
  if (!registration) return { off: 'the custom platform profile registers nothing' };
  const endpoint = request.platformUrl ?? registration.endpoint;
  assertRegistrationEndpoint(endpoint);
  return { ...registration, endpoint };
}

export interface PlanResult {
  plan: Plan;
  preflight: PreflightResult[];
  organizationId: string;
  /** The platform profile the plan deploys: its id, version and the accounts its roles trust. */
  platform: PlannedPlatform;
}

export interface PlannedPlatform {
  id: PlatformChoice['id'];
  name: string;
  version: string;
  trustedAccountIds: string[];
  rolePath: string;
}

export interface OnboardingContext {
  profile: string;
  factory: AwsClientFactory;
  snapshot: OrganizationSnapshot;
  /** The profile's IAM Identity Center portal, for the identity-center access mode. */
  ssoPortal?: () => Promise<SsoPortal>;
}

interface AccessSettings {
  accessRoleName: string;
  accessMode?: 'access-role' | 'identity-center' | undefined;
  ssoRoleName?: string | undefined;
}

/** How the run reaches each account; Identity Center keeps the same caching and refresh as the access role. */
export function accountCredentials(
  factory: AwsClientFactory,
  managementAccountId: string,
  access: AccessSettings,
  ssoPortal: (() => Promise<SsoPortal>) | undefined,
): AccountCredentialsSource {
  const stsEndpoint = factory.endpointFor('STS');
  let memberCredentials: ((accountId: string) => Promise<AccountCredentials>) | undefined;
  if (access.accessMode === 'identity-center') {
    const roleName = access.ssoRoleName;
    if (!ssoPortal || !roleName) {
      throw new OrgConnectError(
        'USAGE_SSO_ACCESS',
        'Identity Center access needs an IAM Identity Center profile and a permission set name.',
        { fix: 'Use an SSO profile with --access identity-center --sso-role <permission set>.' },
      );
    }
    memberCredentials = async (accountId) => {
      const credentials = await (await ssoPortal()).getRoleCredentials(accountId, roleName);
      return {
        accessKeyId: credentials.accessKeyId,
        secretAccessKey: credentials.secretAccessKey,
        sessionToken: credentials.sessionToken,
        expiration: credentials.expiration,
      };
    };
  }
  return createAccountCredentials({
    managementCredentials: factory.credentials,
    managementAccountId,
    accessRoleName: access.accessRoleName,
    region: factory.region,
    ...(stsEndpoint === undefined ? {} : { stsEndpoint }),
    ...(memberCredentials ? { memberCredentials } : {}),
  });
}

function contextCredentials(context: OnboardingContext, access: AccessSettings): AccountCredentialsSource {
  return accountCredentials(
    context.factory,
    context.snapshot.organization.managementAccountId,
    access,
    context.ssoPortal,
  );
}

function planSettings(request: OnboardingRequest) {
  assertValidExternalId(request.externalId);
  const platform: PlatformChoice = platformChoiceFor({
    platform: request.platform,
    platformAccountIds: [
      ...(request.platformAccountId === undefined ? [] : [request.platformAccountId]),
      ...(request.platformAccountIds ?? []),
    ],
    managedPolicyArns: request.managedPolicyArns,
    rolePath: request.rolePath,
  });
  const profile = resolvePlatformProfile(platform);
  return {
    profile,
    // Recorded with the run: what resume and the health checks rebuild the profile from.
    platform: { ...platform, version: profile.version },
    platformAccountId: profile.trustedAccountIds[0] as string,
    externalId: request.externalId,
    accessRoleName: request.accessRoleName ?? DEFAULT_ACCESS_ROLE_NAME,
    mode: request.mode ?? 'stacks',
    ...(request.roleName === undefined ? {} : { roleName: request.roleName }),
    rolePath: request.rolePath ?? profile.rolePath,
    ...(request.namePrefix === undefined ? {} : { namePrefix: request.namePrefix }),
    ...(request.nameOverrides === undefined ? {} : { nameOverrides: request.nameOverrides }),
    ...(request.costAndUsageReportBucket === undefined
      ? {}
      : { costAndUsageReportBucket: request.costAndUsageReportBucket }),
    ...(request.accessMode === undefined ? {} : { accessMode: request.accessMode }),
    ...(request.ssoRoleName === undefined ? {} : { ssoRoleName: request.ssoRoleName }),
    registration: registrationSettingsFor(request),
  };
}

/** Reads AWS only: credentials into each selected account, and any existing orgconnect stack. Writes nothing. */
export async function planOnboarding(
  context: OnboardingContext,
  request: OnboardingRequest,
  options: {
    onPreflight?: (result: PreflightResult) => void;
    signal?: AbortSignal;
    concurrency?: number;
  } = {},
): Promise<PlanResult> {
  const settings = planSettings(request);
  const selection = parseSelection(request.select ?? 'all', request.exclude);
  const { snapshot, factory } = context;
  const resolved = resolveSelection(selection, snapshot.accounts, snapshot.ous);
  const credentials = contextCredentials(context, settings);
  const preflight = await runPreflight({
    targets: preflightTargets(resolved.active, settings),
    credentialsFor: async (accountId) => credentials.providerFor(accountId),
    clientFactory: preflightClientsFrom(factory),
    accessRoleName: settings.accessRoleName,
    concurrency: options.concurrency ?? DEFAULT_CONCURRENCY,
    ...(options.onPreflight ? { onResult: options.onPreflight } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
  });
  const templates = loadTemplates(settings.profile);
  const plan = buildPlan({
    accounts: snapshot.accounts,
    units: snapshot.ous,
    selection,
    settings,
    preflight,
    templates,
  });
  const { profile } = settings;
  return {
    plan,
    preflight,
    organizationId: snapshot.organization.id,
    platform: {
      id: profile.id,
      name: profile.name,
      version: profile.version,
      trustedAccountIds: [...profile.trustedAccountIds],
      rolePath: settings.rolePath,
    },
  };
}

export interface RunHooks {
  dataDir: string;
  concurrency?: number;
  onEvent?: RunEventListener;
  onProgress?: ProgressListener;
  registration?: RegistrationStepOptions;
  /** Adopt runs (main/core/adopt): verify each hand-made role instead of deploying a stack. */
  verifyAccount?: VerifyAccount;
  /** The engine's retry and poll policies (the scale bench scales the poll schedule with its shortened stacks). */
  deploy?: StartRunOptions['deploy'];
}

/** Journals a new run for a plan the user has seen, ready to `start()`. */
export async function createDeployRun(
  context: OnboardingContext,
  request: OnboardingRequest,
  plan: Plan,
  hooks: RunHooks,
): Promise<DeployRun> {
  const settings = planSettings(request);
  const credentials = contextCredentials(context, settings);
  const templates = loadTemplates(settings.profile);
  const { externalId: _externalId, nameOverrides: _names, profile: _profile, ...recorded } = settings;
  const items = plan.items.filter(
    (item) => !(item.action === 'blocked' && INACTIVE_ACCOUNT_CODES.has(item.code ?? '')),
  );
  const stackSet =
    settings.mode === 'stacksets' ? stackSetTargets(context.factory, context.snapshot, items) : undefined;
  return startRun({
    dataDir: hooks.dataDir,
    items,
    ...(stackSet === undefined ? {} : { stackSet }),
    settings: { ...recorded, externalId: settings.externalId, region: context.factory.region },
    managementAccountId: context.snapshot.organization.managementAccountId,
    profile: context.profile,
    credentialsFor: (accountId) => credentials.credentialsFor(accountId),
    cloudFormationFor: (accountId, provider) =>
      context.factory.client('CloudFormation', { accountKey: accountId, credentials: provider }),
    templateFor: deploymentSource(recorded, templates),
    ...runOptions(hooks),
  });
}

/** Re-opens a journaled run; `start()` reconciles with CloudFormation before deploying anything. */
export async function openRunForResume(
  factory: AwsClientFactory,
  runId: string,
  hooks: RunHooks & {
    externalId?: string;
    ssoPortal?: () => Promise<SsoPortal>;
    /** Needed to re-target the StackSet when the run is in stacksets mode. */
    snapshot?: OrganizationSnapshot;
  },
): Promise<DeployRun> {
  const state = await readRunState(hooks.dataDir, runId);
  const settings = state.settings;
  const stackSet =
    settings.mode === 'stacksets' && hooks.snapshot
      ? stackSetTargets(factory, hooks.snapshot, state.accounts)
      : undefined;
  const credentials = accountCredentials(factory, state.managementAccountId, settings, hooks.ssoPortal);
  // A run journaled before platform profiles trusted CloudZero's main account through the CloudZero templates.
  const templates = loadTemplates(resolvePlatformProfile(settings.platform ?? { id: 'cloudzero' }));
  return resumeRun({
    runId,
    dataDir: hooks.dataDir,
    ...(hooks.externalId === undefined ? {} : { externalId: hooks.externalId }),
    ...(stackSet === undefined ? {} : { stackSet }),
    credentialsFor: (accountId) => credentials.credentialsFor(accountId),
    cloudFormationFor: (accountId, provider) =>
      factory.client('CloudFormation', {
        accountKey: accountId,
        credentials: provider,
        region: settings.region,
      }),
    templateFor: deploymentSource(
      {
        ...(settings.roleName === undefined ? {} : { roleName: settings.roleName }),
        ...(settings.rolePath === undefined ? {} : { rolePath: settings.rolePath }),
        ...(settings.costAndUsageReportBucket === undefined
          ? {}
          : { costAndUsageReportBucket: settings.costAndUsageReportBucket }),
      },
      templates,
    ),
    ...runOptions(hooks),
  });
}

/**
 * Where the Resource StackSet deploys: the OUs holding the chosen member accounts, narrowed to exactly those
 * accounts when the selection leaves some of those OUs' accounts out. Auto-deployment then covers accounts that
 * join those OUs later.
 */
export function stackSetTargets(
  factory: AwsClientFactory,
  snapshot: OrganizationSnapshot,
  items: readonly { accountId: string; kind: string; action: string }[],
): StackSetEngineOptions {
  const chosen = new Set(
    items
      .filter((item) => item.kind === 'resource' && item.action !== 'blocked')
      .map((item) => item.accountId),
  );
  const parentOf = new Map(snapshot.ous.map((ou) => [ou.id, ou.parentId]));
  const ancestors = (id: string): string[] => {
    const out: string[] = [];
    for (let parent = parentOf.get(id); parent !== undefined; parent = parentOf.get(parent)) out.push(parent);
    return out;
  };
  const direct = new Set(
    snapshot.accounts.filter((account) => chosen.has(account.id)).map((account) => account.ouId),
  );
  // A target already covered by a targeted ancestor is dropped: AWS would deploy there once anyway, and the
  // smallest set keeps auto-deployment's scope obvious.
  const ouIds = [...direct].filter((id) => !ancestors(id).some((ancestor) => direct.has(ancestor)));
  const targeted = new Set(ouIds);
  const inThoseOus = snapshot.accounts.filter(
    (account) =>
      (targeted.has(account.ouId) || ancestors(account.ouId).some((id) => targeted.has(id))) &&
      !account.isManagement &&
      account.status === 'ACTIVE',
  );
  const everyone = inThoseOus.every((account) => chosen.has(account.id));
  return {
    cloudformation: factory.client('CloudFormation'),
    organizations: factory.client('Organizations'),
    targets: {
      organizationalUnitIds: ouIds,
      ...(everyone ? {} : { accountFilter: { type: 'INTERSECTION' as const, accounts: [...chosen] } }),
    },
    regions: [factory.region],
    knownUnits: [...snapshot.roots, ...snapshot.ous],
  };
}

function runOptions(hooks: RunHooks) {
  return {
    ...(hooks.concurrency === undefined ? {} : { concurrency: hooks.concurrency }),
    ...(hooks.onEvent ? { onEvent: hooks.onEvent } : {}),
    ...(hooks.onProgress ? { onProgress: hooks.onProgress } : {}),
    ...(hooks.registration ? { registration: hooks.registration } : {}),
    ...(hooks.verifyAccount ? { verifyAccount: hooks.verifyAccount } : {}),
    ...(hooks.deploy ? { deploy: hooks.deploy } : {}),
  };
}
