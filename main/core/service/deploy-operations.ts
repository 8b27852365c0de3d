/**
 * Connecting accounts, for the service: plan (discovery, preflight, the Cost and Usage Report, Regions, what will
 * be registered), journal a confirmed run, re-open one, and where the platform is reached.
 */
import { openAdoptRun } from '../adopt/adopt.js';
import type { OrganizationSnapshot } from '../org/index.js';
import {
  createDeployRun,
  openRunForResume,
  planOnboarding,
  registrationSettingsFor,
  type OnboardingRequest,
  type PlanResult,
  type RunHooks,
} from '../onboarding/onboarding.js';
import type { Plan } from '../onboarding/plan.js';
import type { DeregisterFor } from '../onboarding/disconnect.js';
import type { DeployRun } from '../onboarding/runner.js';
import { ensureDataDirWritable } from '../onboarding/data-dir.js';
import { OrgConnectError } from '../errors.js';
import type { CostAndUsageReportStatus } from '../onboarding/cur-detection.js';
import { registeredConnections } from '../onboarding/registration-step.js';
import { externalIdFingerprint } from '../onboarding/run-secrets.js';
import { connectionKey } from '../onboarding/connection-key.js';
import { planCurSetup, type CurSetupPlan } from '../billing/cur-setup.js';
import {
  assessRegions,
  enableableGaps,
  enableRegions as enableRegionsIn,
  type EnableRegionOutcome,
  type RegionGap,
  type RegionReadiness,
} from '../regions/region-readiness.js';
import {
  describePlatform as describePlatformProfile,
  type PlatformDescription,
} from '../platform/platform-description.js';
import { resolvePlatformProfile } from '../platform/platforms.js';
import { deregisterNothing, platformDeregisterFor } from '../onboarding/disconnect-deregistration.js';
import { costAndUsageReport, curSetupClients } from './billing-operations.js';
import type { PlanProgress, ServiceSession } from './session.js';

/** Where a planned run will register: the endpoint and how many connections, or why nothing is sent. */
export type RegistrationPreview = { endpoint: string; connections: number } | { off: string };

export type DeployPlanOptions = PlanProgress & {
  detectCurBucket?: boolean;
  /** --create-cur: when no usable report exists, plan a CUR 2.0 export (into `bucket`, or a new one). */
  createCur?: { bucket?: string };
  /** Regions in use besides the stacks' Region, checked for being enabled in every selected account. */
  regionsInUse?: string[];
  /** --enable-regions: plan account:EnableRegion for every opt-in Region in use that is off. */
  enableRegions?: boolean;
  /** A discovery made moments ago (sync plans deploy and disconnect from one). */
  snapshot?: OrganizationSnapshot;
};

export type DeployPlanned = PlanResult & {
  snapshot: OrganizationSnapshot;
  request: OnboardingRequest;
  costAndUsageReport?: CostAndUsageReportStatus;
  /** What `setUpCostAndUsageReport` will write, when a report is to be created. */
  curSetup?: CurSetupPlan;
  regions: RegionReadiness;
  /** What `enableRegions` will call, with --enable-regions. */
  regionsToEnable?: RegionGap[];
  registration: RegistrationPreview;
};

export type OpenRunOptions = Omit<RunHooks, 'dataDir'> & {
  profile?: string;
  externalId?: string;
  platformUrl?: string;
  /** Only to register (`orgconnect register`): nothing is deployed, so the Organization is not read. */
  registerOnly?: boolean;
};

/**
 * Discover, then preflight every selected account and plan. Reads AWS only. With `detectCurBucket` and no bucket
 * in the request, the bucket of a usable Cost and Usage Report is filled in; `request` in the result is what
 * was planned (deploy it as it is, so the plan and the stacks agree).
 */
export async function planDeploy(
  session: ServiceSession,
  profile: string,
  request: OnboardingRequest,
  options: DeployPlanOptions = {},
): Promise<DeployPlanned> {
  request = session.withPlatformDefaults(request);
  registrationSettingsFor(request); // an insecure --platform-url is refused before anything is read
  const factory = await session.clientFactory(profile);
  const snapshot = await session.managementSnapshot(profile, options);
  let planned = request;
  let curStatus: CostAndUsageReportStatus | undefined;
  let curSetup: CurSetupPlan | undefined;
  if (options.createCur || (options.detectCurBucket && request.costAndUsageReportBucket === undefined)) {
    curStatus = await costAndUsageReport(session, profile);
    if (curStatus.bucket !== undefined) {
      planned = { ...request, costAndUsageReportBucket: curStatus.bucket };
    } else if (options.createCur && curStatus.status === 'fail') {
      // Only when the APIs said no report is usable: a second export would be billed twice in S3.
      curSetup = await planCurSetup(await curSetupClients(session, profile), {
        managementAccountId: snapshot.organization.managementAccountId,
        ...(options.createCur.bucket ? { bucket: options.createCur.bucket } : {}),
      });
      planned = { ...request, costAndUsageReportBucket: curSetup.bucket };
    }
  }
  const result = await planOnboarding(
    { profile, factory, snapshot, ssoPortal: session.ssoPortalFor(profile) },
    planned,
    options,
  );
  const registration = await registrationPreview(session, planned, result.plan);
  const managementAccountId = snapshot.organization.managementAccountId;
  const regions = await assessRegions(factory.client('Account'), {
    managementAccountId,
    targets: [...new Map(result.plan.items.map((i) => [i.accountId, i])).values()].map((i) => ({
      accountId: i.accountId,
      accountName: i.accountName,
    })),
    regionsInUse: [factory.region, ...(options.regionsInUse ?? [])],
  });
  const regionsToEnable = options.enableRegions ? enableableGaps(regions) : undefined;
  return {
    ...result,
    snapshot,
    request: planned,
    registration,
    ...(curStatus ? { costAndUsageReport: curStatus } : {}),
    ...(curSetup ? { curSetup } : {}),
    regions,
    ...(regionsToEnable ? { regionsToEnable } : {}),
  };
}

/** Writes: account:EnableRegion from the management account for each planned Region, once agreed. */
export async function enableRegions(
  session: ServiceSession,
  profile: string,
  managementAccountId: string,
  gaps: readonly RegionGap[],
): Promise<EnableRegionOutcome[]> {
  const factory = await session.clientFactory(profile);
  return enableRegionsIn(factory.client('Account'), managementAccountId, gaps);
}

/** Settings' Platform section: the profile and where this host registers (ORGCONNECT_PLATFORM_URL, NO_REGISTER). */
export function describePlatform(
  session: ServiceSession,
  platform: 'cloudzero' | 'custom' = 'cloudzero',
): PlatformDescription {
  const profile = resolvePlatformProfile(
    platform === 'cloudzero' ? { id: 'cloudzero' } : { id: 'custom', accountIds: [] },
  );
  const request: Pick<OnboardingRequest, 'platform' | 'platformUrl' | 'register'> = { platform };
  return describePlatformProfile(profile, registrationSettingsFor(session.withPlatformDefaults(request)));
}

/** The deregistration a host's disconnect runs use: the platform's, or none with ORGCONNECT_NO_REGISTER=1. */
export function deregisterForHost(session: ServiceSession): DeregisterFor {
  return session.env['ORGCONNECT_NO_REGISTER'] === '1' ? deregisterNothing : platformDeregisterFor;
}

/** What Review says: the connections a run of this plan will register (created, updated, or never registered). */
export async function registrationPreview(
  session: ServiceSession,
  request: OnboardingRequest,
  plan: Plan,
): Promise<RegistrationPreview> {
  const settings = registrationSettingsFor(request);
  if ('off' in settings) return settings;
  const registered = await registeredConnections(session.dataDir, {
    managementAccountId: plan.managementAccountId,
    externalIdSha256: externalIdFingerprint(request.externalId).externalIdSha256,
    endpoint: settings.endpoint,
  });
  const connections = plan.items.filter(
    (item) =>
      item.action === 'create' ||
      item.action === 'update' ||
      (item.action === 'skip' && !registered.has(connectionKey(item))),
  ).length;
  return { endpoint: settings.endpoint, connections };
}

/**
 * Journals a new run for a plan the user has confirmed. The data directory is checked first, so an unwritable
 * disk is reported before anything is written to AWS.
 */
export async function createRun(
  session: ServiceSession,
  profile: string,
  request: OnboardingRequest,
  planned: { plan: Plan; snapshot: OrganizationSnapshot },
  hooks: Omit<RunHooks, 'dataDir'> = {},
): Promise<DeployRun> {
  await ensureDataDirWritable(session.dataDir);
  const context = await session.runContext(profile, planned.snapshot);
  return createDeployRun(context, session.withPlatformDefaults(request), planned.plan, {
    ...hooks,
    dataDir: session.dataDir,
  });
}

/** Re-opens a run from its journal (after a crash, kill -9 or a closed window). */
export async function openRun(
  session: ServiceSession,
  runId: string,
  options: OpenRunOptions = {},
): Promise<DeployRun> {
  const state = await session.runState(runId);
  // The environment only moves a run that registers; an explicit URL (resume/register --platform-url) always wins.
  const recordedEndpoint =
    state.settings.registration !== undefined && 'endpoint' in state.settings.registration;
  const platformUrl =
    options.platformUrl ?? (recordedEndpoint ? session.env['ORGCONNECT_PLATFORM_URL'] : undefined);
  if (platformUrl !== undefined && options.registration?.settings === undefined) {
    const settings = registrationSettingsFor({ platformUrl, platform: state.settings.platform?.id });
    if ('endpoint' in settings) options = { ...options, registration: { ...options.registration, settings } };
  }
  if (state.settings.operation === 'disconnect') {
    throw new OrgConnectError('RUN_IS_DISCONNECT', `Run ${runId} is a disconnect run.`, {
      fix: `Continue it with: orgconnect resume ${runId}`,
    });
  }
  const profile = session.runProfile(runId, options.profile ?? state.profile);
  const factory = await session.clientFactory(profile);
  if (state.settings.source === 'manual') {
    return openAdoptRun(factory, runId, {
      ...options,
      dataDir: session.dataDir,
      ssoPortal: session.ssoPortalFor(profile),
    });
  }
  // A StackSet run is re-targeted from the Organization as it is now (accounts may have moved).
  const snapshot =
    state.settings.mode === 'stacksets' && !options.registerOnly
      ? await session.discover(profile)
      : undefined;
  return openRunForResume(factory, runId, {
    ...options,
    dataDir: session.dataDir,
    ssoPortal: session.ssoPortalFor(profile),
    ...(snapshot ? { snapshot } : {}),
  });
}

/**
 * The runs holding connections the platform does not have (registration failed, or never sent), oldest first;
 * `orgconnect register` opens each with `registerOnly` and calls `registerPending()`.
 */
export async function runsWithUnregisteredConnections(session: ServiceSession): Promise<string[]> {
  const runIds: string[] = [];
  for (const listing of [...(await session.listRuns())].reverse()) {
    if (listing.status === 'unreadable') continue;
    const state = await session.runState(listing.runId);
    const pending = state.accounts.some(
      (account) => account.state === 'connected' && account.registration?.status !== 'registered',
    );
    if (pending) runIds.push(listing.runId);
  }
  return runIds;
}
