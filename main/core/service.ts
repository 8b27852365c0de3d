/**
 * The one façade over the core: every operation the CLI, the browser host and the desktop app perform.
 * Hosts inject what only they can do (ask for an MFA code, open a browser, choose the data directory);
 * the core never reaches for a terminal or a window itself.
 */
import { createAdoptRun, openAdoptRun, planAdopt, type AdoptRequest } from './adopt/adopt.js';
import { createClientFactory, type AwsClientFactory } from './aws/client-factory.js';
import { loadLocalAwsConfig, resolveClientConfig, type LocalAwsConfig } from './aws/config/index.js';
import {
  createSsoPortal,
  loginWithAuthCode,
  loginWithDeviceCode,
  type SsoPortal,
  type SsoPrompt,
} from './aws/sso/index.js';
import { ssoTargetForProfile } from './aws/sso-target.js';
import { whoAmI, type Identity } from './identity.js';
import { discoverOrganization, type DiscoveryProgress, type OrganizationSnapshot } from './org/index.js';
import {
  createDeployRun,
  openRunForResume,
  planOnboarding,
  type OnboardingRequest,
  type PlanResult,
  type RunHooks,
} from './onboarding/onboarding.js';
import type { Plan } from './onboarding/plan.js';
import {
  createDisconnectRun,
  openDisconnectForResume,
  planDisconnect,
  planGoneDisconnect,
  type DeregisterFor,
  type DisconnectPlanResult,
  type DisconnectRequest,
} from './onboarding/disconnect.js';
import type { DisconnectPlan } from './onboarding/disconnect-plan.js';
import type { DisconnectRun } from './onboarding/disconnect-run.js';
import type { PreflightResult } from './onboarding/preflight.js';
import type { DeployRun } from './onboarding/runner.js';
import { listRuns, readRunState, type RunListing } from './onboarding/journal.js';
import { ensureDataDirWritable, resolveDataDir } from './onboarding/data-dir.js';
import type { RunState } from './onboarding/run-state.js';
import { OrgConnectError } from './errors.js';
import {
  createMonitorFor,
  latestHealth,
  curPortsFor,
  loadConnections,
  noConnectionsError,
} from './health/health-service.js';
import { connectionKey, type Connection } from './health/connection.js';
import { healthRow, type HealthRow } from './health/health-summary.js';
import type { ConnectionHealth } from './health/check-result.js';
import type { CheckOptions } from './health/check-context.js';
import type { HealthEvent, HealthMonitor } from './health/monitor.js';
import { DEFAULT_ACCESS_ROLE_NAME } from './onboarding/account-credentials.js';
import { renderCsvReport, renderJsonReport, renderXlsxReport } from './reports/index.js';
import type { Coverage } from './health/coverage.js';
import { coverageFromDataDir } from './health/coverage-inputs.js';
import { coveragePoint, createCoverageHistory, type CoveragePoint } from './health/coverage-history.js';
import { healthCounts } from './health/health-counts.js';
import { createHealthHistory } from './health/history.js';
import { detectCostAndUsageReport, type CostAndUsageReportStatus } from './onboarding/cur-detection.js';
import { registrationSettingsFor } from './onboarding/onboarding.js';
import { registeredConnections } from './onboarding/registration-step.js';
import { externalIdFingerprint } from './onboarding/run-secrets.js';
import { accountKey } from './onboarding/run-state.js';
import {
  applyCurSetup,
  createCurSetupClients,
  planCurSetup,
  type CurSetupPlan,
  type CurSetupResult,
} from './billing/cur-setup.js';
import {
  assessRegions,
  enableableGaps,
  enableRegions,
  type EnableRegionOutcome,
  type RegionGap,
  type RegionReadiness,
} from './regions/region-readiness.js';
import { describePlatform, type PlatformDescription } from './platform/platform-description.js';
import { resolvePlatformProfile } from './platform/platforms.js';
import { deregisterNothing, platformDeregisterFor } from './onboarding/disconnect-deregistration.js';
import { goneConnections, repairsFrom, syncDeployPlan, syncDisconnectRequest } from './sync/sync-plan.js';

/** Where a planned run will register: the endpoint and how many connections, or why nothing is sent. */
export type RegistrationPreview = { endpoint: string; connections: number } | { off: string };

/** A sync's two plans from one discovery (README, "orgconnect sync"); each is run by its usual engine. */
export interface SyncPlanned {
  snapshot: OrganizationSnapshot;
  coverage: Coverage;
  deploy: Awaited<ReturnType<OrgConnectService['plan']>>;
  disconnect: DisconnectPlanResult & { request: DisconnectRequest };
}

export interface HostServices {
  /** Asked for the current code of an MFA device when a profile's role chain needs one. */
  mfaCodeProvider?: (mfaSerial: string) => Promise<string>;
  /** Opens a URL the core produced (an IAM Identity Center sign-in page) in the user's browser. */
  openUrl?: (url: string) => Promise<void>;
}

export interface ServiceOptions {
  env?: NodeJS.ProcessEnv;
  host?: HostServices;
  /** --data-dir; else ORGCONNECT_HOME; else the OS app-data folder. */
  dataDir?: string;
}

/** What every planning operation (plan, sync, disconnect) reports while it reads AWS, and how it is stopped. */
export interface PlanProgress {
  onDiscovery?: (progress: DiscoveryProgress) => void;
  onPreflight?: (result: PreflightResult) => void;
  signal?: AbortSignal;
}

export class OrgConnectService {
  private readonly env: NodeJS.ProcessEnv;
  private readonly host: HostServices;
  private readonly factories = new Map<string, Promise<AwsClientFactory>>();
  readonly dataDir: string;

  constructor(options: ServiceOptions = {}) {
    this.env = options.env ?? process.env;
    this.host = options.host ?? {};
    this.dataDir = resolveDataDir({ env: this.env, ...(options.dataDir ? { flag: options.dataDir } : {}) });
  }

  listProfiles(): Promise<LocalAwsConfig> {
    return loadLocalAwsConfig({ env: this.env });
  }

  async whoAmI(profile: string): Promise<Identity> {
    return whoAmI(await this.clientFactory(profile));
  }

  /**
   * Signs in to IAM Identity Center for an SSO profile and writes the token where the AWS CLI keeps it.
   * sso-session profiles use the authorization-code flow (as AWS CLI 2.22+); legacy profiles, or
   * `deviceCode`, the device-code flow.
   */
  async login(
    profile: string,
    options: { deviceCode?: boolean; onPrompt?: (prompt: SsoPrompt) => void; signal?: AbortSignal } = {},
  ): Promise<{ profile: string; startUrl: string; expiresAt: string; flow: 'auth-code' | 'device-code' }> {
    const config = await this.listProfiles();
    const target = ssoTargetForProfile(config, profile);
    const flow = options.deviceCode || target.sessionName === undefined ? 'device-code' : 'auth-code';
    const { endpoint } = await resolveClientConfig(profile, 'SSO OIDC', { env: this.env });
    const loginOptions = {
      env: this.env,
      profile,
      ...(endpoint === undefined ? {} : { endpoint }),
      ...(this.host.openUrl ? { openUrl: this.host.openUrl } : {}),
      ...(options.onPrompt ? { onPrompt: options.onPrompt } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
    };
    const token =
      flow === 'auth-code'
        ? await loginWithAuthCode(target, loginOptions)
        : await loginWithDeviceCode(target, loginOptions);
    this.factories.delete(profile);
    return { profile, startUrl: target.startUrl, expiresAt: token.expiresAt.toISOString(), flow };
  }

  /** The whole Organization seen from a management (or delegated administrator) profile. */
  async discover(
    profile: string,
    options: { onProgress?: (progress: DiscoveryProgress) => void; signal?: AbortSignal } = {},
  ): Promise<OrganizationSnapshot> {
    const factory = await this.clientFactory(profile);
    return discoverOrganization(
      { sts: factory.client('STS'), organizations: factory.client('Organizations') },
      options,
    );
  }

  /** The management account's Cost and Usage Reports: is one usable by the platform, and its bucket. Reads only. */
  async costAndUsageReport(profile: string): Promise<CostAndUsageReportStatus> {
    const factory = await this.clientFactory(profile);
    const curPortWith = await curPortsFor(factory);
    return detectCostAndUsageReport(curPortWith(factory.credentials));
  }

  /**
   * Discover, then preflight every selected account and plan. Reads AWS only. With `detectCurBucket` and no bucket
   * in the request, the bucket of a usable Cost and Usage Report is filled in; `request` in the result is what
   * was planned (deploy it as it is, so the plan and the stacks agree).
   */
  async plan(
    profile: string,
    request: OnboardingRequest,
    options: PlanProgress & {
      detectCurBucket?: boolean;
      /** --create-cur: when no usable report exists, plan a CUR 2.0 export (into `bucket`, or a new one). */
      createCur?: { bucket?: string };
      /** Regions in use besides the stacks' Region, checked for being enabled in every selected account. */
      regionsInUse?: string[];
      /** --enable-regions: plan account:EnableRegion for every opt-in Region in use that is off. */
      enableRegions?: boolean;
      /** A discovery made moments ago (sync plans deploy and disconnect from one). */
      snapshot?: OrganizationSnapshot;
    } = {},
  ): Promise<
    PlanResult & {
      snapshot: OrganizationSnapshot;
      request: OnboardingRequest;
      costAndUsageReport?: CostAndUsageReportStatus;
      /** What `setUpCostAndUsageReport` will write, when a report is to be created. */
      curSetup?: CurSetupPlan;
      regions: RegionReadiness;
      /** What `enableRegions` will call, with --enable-regions. */
      regionsToEnable?: RegionGap[];
      registration: RegistrationPreview;
    }
  > {
    request = this.withPlatformDefaults(request);
    registrationSettingsFor(request); // an insecure --platform-url is refused before anything is read
    const factory = await this.clientFactory(profile);
    const snapshot = await this.managementSnapshot(profile, options);
    let planned = request;
    let costAndUsageReport: CostAndUsageReportStatus | undefined;
    let curSetup: CurSetupPlan | undefined;
    if (options.createCur || (options.detectCurBucket && request.costAndUsageReportBucket === undefined)) {
      costAndUsageReport = await this.costAndUsageReport(profile);
      if (costAndUsageReport.bucket !== undefined) {
        planned = { ...request, costAndUsageReportBucket: costAndUsageReport.bucket };
      } else if (options.createCur && costAndUsageReport.status === 'fail') {
        // Only when the APIs said no report is usable: a second export would be billed twice in S3.
        curSetup = await planCurSetup(await this.curSetupClients(profile), {
          managementAccountId: snapshot.organization.managementAccountId,
          ...(options.createCur.bucket ? { bucket: options.createCur.bucket } : {}),
        });
        planned = { ...request, costAndUsageReportBucket: curSetup.bucket };
      }
    }
    const result = await planOnboarding(
      { profile, factory, snapshot, ssoPortal: this.ssoPortalFor(profile) },
      planned,
      options,
    );
    const registration = await this.registrationPreview(planned, result.plan);
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
      ...(costAndUsageReport ? { costAndUsageReport } : {}),
      ...(curSetup ? { curSetup } : {}),
      regions,
      ...(regionsToEnable ? { regionsToEnable } : {}),
    };
  }

  /** Writes: account:EnableRegion from the management account for each planned Region, once agreed. */
  async enableRegions(
    profile: string,
    managementAccountId: string,
    gaps: readonly RegionGap[],
  ): Promise<EnableRegionOutcome[]> {
    const factory = await this.clientFactory(profile);
    return enableRegions(factory.client('Account'), managementAccountId, gaps);
  }

  /**
   * Connect's "set up a report" button: what a CUR 2.0 set-up would write, for the management account of `profile`.
   * Reads only; refused when a usable report exists (a second export is billed twice) or the APIs cannot tell.
   */
  async planCostAndUsageReportSetup(
    profile: string,
    options: { bucket?: string } = {},
  ): Promise<CurSetupPlan> {
    const snapshot = await this.discover(profile);
    if (!snapshot.caller.isManagementAccount) {
      throw new OrgConnectError(
        'NOT_MANAGEMENT_ACCOUNT',
        `Profile "${profile}" is not the management account.`,
        {
          fix: 'The Cost and Usage Report is set up in the management account: choose its profile.',
        },
      );
    }
    const found = await this.costAndUsageReport(profile);
    if (found.status !== 'fail') {
      throw new OrgConnectError('CUR_SETUP_NOT_NEEDED', `Not setting up a report: ${found.summary}`, {
        fix:
          found.status === 'unknown'
            ? 'Allow the Cost and Usage Report read actions (README, "Permissions").'
            : 'Nothing to do: the existing report is used.',
      });
    }
    return planCurSetup(await this.curSetupClients(profile), {
      managementAccountId: snapshot.organization.managementAccountId,
      ...(options.bucket ? { bucket: options.bucket } : {}),
    });
  }

  /** Writes a planned CUR set-up (bucket, its policy, the Data Export) in the management account, once agreed. */
  async setUpCostAndUsageReport(profile: string, setup: CurSetupPlan): Promise<CurSetupResult> {
    return applyCurSetup(await this.curSetupClients(profile), setup);
  }

  private async curSetupClients(profile: string) {
    const factory = await this.clientFactory(profile);
    const s3Endpoint = await factory.resolveEndpoint('S3');
    // Data Exports shares the Cost and Usage Report endpoint (one [services] entry reaches both, as for reading).
    const dataExportsEndpoint = await factory.resolveEndpoint('Cost and Usage Report Service');
    return createCurSetupClients({
      credentials: factory.credentials,
      ...(s3Endpoint ? { s3Endpoint } : {}),
      ...(dataExportsEndpoint ? { dataExportsEndpoint } : {}),
    });
  }

  /** ORGCONNECT_PLATFORM_URL / ORGCONNECT_NO_REGISTER=1 stand in for the flags, in every host. */
  withPlatformDefaults<R extends Pick<OnboardingRequest, 'platformUrl' | 'register'>>(request: R): R {
    const url = this.env['ORGCONNECT_PLATFORM_URL'];
    const off = this.env['ORGCONNECT_NO_REGISTER'] === '1';
    return {
      ...request,
      ...(request.platformUrl === undefined && url ? { platformUrl: url } : {}),
      ...(request.register === undefined && off ? { register: false } : {}),
    };
  }

  /** Settings' Platform section: the profile and where this host registers (ORGCONNECT_PLATFORM_URL, NO_REGISTER). */
  describePlatform(platform: 'cloudzero' | 'custom' = 'cloudzero'): PlatformDescription {
    const profile = resolvePlatformProfile(
      platform === 'cloudzero' ? { id: 'cloudzero' } : { id: 'custom', accountIds: [] },
    );
    const request: Pick<OnboardingRequest, 'platform' | 'platformUrl' | 'register'> = { platform };
    return describePlatform(profile, registrationSettingsFor(this.withPlatformDefaults(request)));
  }

  /** The deregistration a host's disconnect runs use: the platform's, or none with ORGCONNECT_NO_REGISTER=1. */
  deregisterForHost(): DeregisterFor {
    return this.env['ORGCONNECT_NO_REGISTER'] === '1' ? deregisterNothing : platformDeregisterFor;
  }

  /** What Review says: the connections a run of this plan will register (created, updated, or never registered). */
  private async registrationPreview(request: OnboardingRequest, plan: Plan): Promise<RegistrationPreview> {
    const settings = registrationSettingsFor(request);
    if ('off' in settings) return settings;
    const registered = await registeredConnections(this.dataDir, {
      managementAccountId: plan.managementAccountId,
      externalIdSha256: externalIdFingerprint(request.externalId).externalIdSha256,
      endpoint: settings.endpoint,
    });
    const connections = plan.items.filter(
      (item) =>
        item.action === 'create' ||
        item.action === 'update' ||
        (item.action === 'skip' && !registered.has(accountKey(item))),
    ).length;
    return { endpoint: settings.endpoint, connections };
  }

  /**
   * Journals a new run for a plan the user has confirmed. The data directory is checked first, so an unwritable
   * disk is reported before anything is written to AWS.
   */
  async createRun(
    profile: string,
    request: OnboardingRequest,
    planned: { plan: Plan; snapshot: OrganizationSnapshot },
    hooks: Omit<RunHooks, 'dataDir'> = {},
  ): Promise<DeployRun> {
    await ensureDataDirWritable(this.dataDir);
    const factory = await this.clientFactory(profile);
    const context = { profile, factory, snapshot: planned.snapshot, ssoPortal: this.ssoPortalFor(profile) };
    return createDeployRun(context, this.withPlatformDefaults(request), planned.plan, {
      ...hooks,
      dataDir: this.dataDir,
    });
  }

  /**
   * Sync (README, "orgconnect sync"): one discovery, then the deploy plan restricted to what changed and the
   * disconnect plan of connections whose account closed or left. Reads AWS and local files only.
   */
  async planSync(
    profile: string,
    request: OnboardingRequest,
    options: PlanProgress & {
      detectCurBucket?: boolean;
    } = {},
  ): Promise<SyncPlanned> {
    const snapshot = await this.managementSnapshot(profile, options);
    const full = await this.plan(profile, request, { ...options, snapshot });
    const managementAccountId = snapshot.organization.managementAccountId;
    const connections = await this.connections({ managementAccountId });
    const [coverage, latest] = await Promise.all([
      coverageFromDataDir(this.dataDir, snapshot),
      latestHealth(this.dataDir, connections),
    ]);
    const plan = syncDeployPlan(full.plan, snapshot.accounts, repairsFrom(latest.values(), connections));
    const deploy = { ...full, plan, registration: await this.registrationPreview(full.request, plan) };
    const disconnectRequest = syncDisconnectRequest(this.withPlatformDefaults(request));
    const factory = await this.clientFactory(profile);
    const context = { profile, factory, snapshot, ssoPortal: this.ssoPortalFor(profile) };
    const disconnect = await planGoneDisconnect(
      context,
      disconnectRequest,
      goneConnections(coverage, connections),
      options,
    );
    return { snapshot, coverage, deploy, disconnect: { ...disconnect, request: disconnectRequest } };
  }

  /**
   * Discover, then read each selected account's orgconnect stack and plan a disconnect: what is deleted where and
   * what is deregistered. Reads AWS only.
   */
  async planDisconnect(
    profile: string,
    request: DisconnectRequest,
    options: PlanProgress = {},
  ): Promise<DisconnectPlanResult & { snapshot: OrganizationSnapshot }> {
    const factory = await this.clientFactory(profile);
    const snapshot = await this.managementSnapshot(profile, options);
    const result = await planDisconnect(
      { profile, factory, snapshot, ssoPortal: this.ssoPortalFor(profile) },
      request,
      options,
    );
    return { ...result, snapshot };
  }

  /** Journals a disconnect run for a plan the user has confirmed; `deregisterFor` is the host's platform wiring. */
  async createDisconnectRun(
    profile: string,
    request: DisconnectRequest,
    planned: { plan: DisconnectPlan; snapshot: OrganizationSnapshot },
    hooks: Omit<RunHooks, 'dataDir'> & { deregisterFor: DeregisterFor },
  ): Promise<DisconnectRun> {
    await ensureDataDirWritable(this.dataDir);
    const factory = await this.clientFactory(profile);
    const context = { profile, factory, snapshot: planned.snapshot, ssoPortal: this.ssoPortalFor(profile) };
    return createDisconnectRun(context, request, planned.plan, { ...hooks, dataDir: this.dataDir });
  }

  /** Re-opens a disconnect run from its journal (after a crash or a stop). */
  async openDisconnectRun(
    runId: string,
    options: Omit<RunHooks, 'dataDir'> & {
      deregisterFor: DeregisterFor;
      profile?: string;
      externalId?: string;
    },
  ): Promise<DisconnectRun> {
    const state = await this.runState(runId);
    const profile = this.runProfile(runId, options.profile ?? state.profile);
    const factory = await this.clientFactory(profile);
    return openDisconnectForResume(factory, runId, {
      ...options,
      dataDir: this.dataDir,
      ssoPortal: this.ssoPortalFor(profile),
    });
  }

  /**
   * `adopt`: discovers the Organization and journals a run that verifies and registers hand-made roles
   * (main/core/adopt). Reads AWS only; nothing is written but the journal and the platform's registrations.
   * With `reviewed` (what Review showed, from `planAdopt`), that snapshot is used and the roles it found wanting
   * are recorded failed with their fix.
   */
  async createAdoptRun(
    profile: string,
    request: AdoptRequest,
    hooks: Omit<RunHooks, 'dataDir'> = {},
    reviewed?: { plan: Plan; snapshot: OrganizationSnapshot },
  ): Promise<DeployRun> {
    const withDefaults = this.withPlatformDefaults(request);
    registrationSettingsFor(withDefaults); // an insecure --platform-url is refused before anything is read
    await ensureDataDirWritable(this.dataDir);
    const context = await this.adoptContext(profile, reviewed?.snapshot);
    return createAdoptRun(context, withDefaults, { ...hooks, dataDir: this.dataDir }, reviewed?.plan);
  }

  /** Review for `adopt`: each account's role verified now, as a plan (`create` = verified, `blocked` = why not). */
  async planAdopt(
    profile: string,
    request: AdoptRequest,
  ): Promise<{
    plan: Plan;
    snapshot: OrganizationSnapshot;
    organizationId: string;
    registration: RegistrationPreview;
  }> {
    const withDefaults = this.withPlatformDefaults(request);
    const settings = registrationSettingsFor(withDefaults);
    const context = await this.adoptContext(profile);
    const plan = await planAdopt(context, withDefaults);
    return {
      plan,
      snapshot: context.snapshot,
      organizationId: context.snapshot.organization.id,
      registration:
        'off' in settings ? settings : { endpoint: settings.endpoint, connections: plan.counts.create },
    };
  }

  private async adoptContext(profile: string, known?: OrganizationSnapshot) {
    const factory = await this.clientFactory(profile);
    const snapshot = known ?? (await this.discover(profile));
    if (!snapshot.caller.isManagementAccount) {
      throw new OrgConnectError(
        'NOT_MANAGEMENT_ACCOUNT',
        `Profile "${profile}" is account ${snapshot.caller.accountId}, not the management account ${snapshot.organization.managementAccountId}.`,
        { fix: 'Adopting roles needs the management account and its access into member accounts.' },
      );
    }
    return { profile, factory, snapshot, ssoPortal: this.ssoPortalFor(profile) };
  }

  /** Re-opens a run from its journal (after a crash, kill -9 or a closed window). */
  async openRun(
    runId: string,
    options: Omit<RunHooks, 'dataDir'> & {
      profile?: string;
      externalId?: string;
      platformUrl?: string;
      /** Only to register (`orgconnect register`): nothing is deployed, so the Organization is not read. */
      registerOnly?: boolean;
    } = {},
  ): Promise<DeployRun> {
    const state = await this.runState(runId);
    // The environment only moves a run that registers; an explicit URL (resume/register --platform-url) always wins.
    const recordedEndpoint =
      state.settings.registration !== undefined && 'endpoint' in state.settings.registration;
    const platformUrl =
      options.platformUrl ?? (recordedEndpoint ? this.env['ORGCONNECT_PLATFORM_URL'] : undefined);
    if (platformUrl !== undefined && options.registration?.settings === undefined) {
      const settings = registrationSettingsFor({ platformUrl, platform: state.settings.platform?.id });
      if ('endpoint' in settings)
        options = { ...options, registration: { ...options.registration, settings } };
    }
    if (state.settings.operation === 'disconnect') {
      throw new OrgConnectError('RUN_IS_DISCONNECT', `Run ${runId} is a disconnect run.`, {
        fix: `Continue it with: orgconnect resume ${runId}`,
      });
    }
    const profile = this.runProfile(runId, options.profile ?? state.profile);
    const factory = await this.clientFactory(profile);
    if (state.settings.source === 'manual') {
      return openAdoptRun(factory, runId, {
        ...options,
        dataDir: this.dataDir,
        ssoPortal: this.ssoPortalFor(profile),
      });
    }
    // A StackSet run is re-targeted from the Organization as it is now (accounts may have moved).
    const snapshot =
      state.settings.mode === 'stacksets' && !options.registerOnly ? await this.discover(profile) : undefined;
    return openRunForResume(factory, runId, {
      ...options,
      dataDir: this.dataDir,
      ssoPortal: this.ssoPortalFor(profile),
      ...(snapshot ? { snapshot } : {}),
    });
  }

  /**
   * The runs holding connections the platform does not have (registration failed, or never sent), oldest first;
   * `orgconnect register` opens each with `registerOnly` and calls `registerPending()`.
   */
  async runsWithUnregisteredConnections(): Promise<string[]> {
    const runIds: string[] = [];
    for (const listing of [...(await this.listRuns())].reverse()) {
      if (listing.status === 'unreadable') continue;
      const state = await this.runState(listing.runId);
      const pending = state.accounts.some(
        (account) => account.state === 'connected' && account.registration?.status !== 'registered',
      );
      if (pending) runIds.push(listing.runId);
    }
    return runIds;
  }

  private runProfile(runId: string, profile: string | null): string {
    if (profile === null) {
      throw new OrgConnectError('USAGE_PROFILE_REQUIRED', `Run ${runId} does not record its profile.`, {
        fix: 'Pass --profile with the management profile the run was started with.',
      });
    }
    return profile;
  }

  /** Discovers the Organization and checks the profile is its management account (deploy and disconnect need it). */
  private async managementSnapshot(
    profile: string,
    options: {
      onDiscovery?: (progress: DiscoveryProgress) => void;
      signal?: AbortSignal;
      snapshot?: OrganizationSnapshot;
    },
  ): Promise<OrganizationSnapshot> {
    const snapshot =
      options.snapshot ??
      (await this.discover(profile, {
        ...(options.onDiscovery ? { onProgress: options.onDiscovery } : {}),
        ...(options.signal ? { signal: options.signal } : {}),
      }));
    if (!snapshot.caller.isManagementAccount) {
      throw new OrgConnectError(
        'NOT_MANAGEMENT_ACCOUNT',
        `Profile "${profile}" is account ${snapshot.caller.accountId}, not the management account ${snapshot.organization.managementAccountId}.`,
        {
          fix: 'Deploying and disconnecting need the management account: its Billing stack and its access into member accounts.',
        },
      );
    }
    return snapshot;
  }

  listRuns(): Promise<RunListing[]> {
    return listRuns(this.dataDir);
  }

  runState(runId: string): Promise<RunState> {
    return readRunState(this.dataDir, runId);
  }

  /** Connections recorded by runs (of one run, or the newest per account across runs). */
  connections(options: { runId?: string; managementAccountId?: string } = {}): Promise<Connection[]> {
    return loadConnections(this.dataDir, options);
  }

  /**
   * A health monitor for a management profile's connections: checks run with its access into each account;
   * every change is an event and lands in the history under the data directory.
   */
  async healthMonitor(
    profile: string,
    options: {
      accessRoleName?: string;
      checks?: CheckOptions;
      onEvent?: (event: HealthEvent) => void;
      onChecked?: (current: ConnectionHealth, changed: boolean, previous?: ConnectionHealth) => void;
      onRound?: (results: ConnectionHealth[]) => void | Promise<void>;
    } = {},
  ): Promise<{ monitor: HealthMonitor; snapshot: OrganizationSnapshot }> {
    const factory = await this.clientFactory(profile);
    const snapshot = await this.discover(profile);
    const monitor = await createMonitorFor({
      factory,
      snapshot,
      dataDir: this.dataDir,
      accessRoleName: options.accessRoleName ?? DEFAULT_ACCESS_ROLE_NAME,
      ...(options.checks ? { options: options.checks } : {}),
      ...(options.onEvent ? { onEvent: options.onEvent } : {}),
      ...(options.onChecked ? { onChecked: options.onChecked } : {}),
      ...(options.onRound ? { onRound: options.onRound } : {}),
    });
    return { monitor, snapshot };
  }

  /**
   * Checks every connection of the profile's Organization once. `onResult` hears each connection's result as soon
   * as it is known, with whether it changed (the Health table fills in while the round runs).
   */
  async checkHealth(
    profile: string,
    options: HealthCheckOptions & { onResult?: (result: HealthRowResult) => void } = {},
  ): Promise<{
    connections: Connection[];
    health: ConnectionHealth[];
    snapshot: OrganizationSnapshot;
    coverage: Coverage;
    series: CoveragePoint[];
  }> {
    const byKey = new Map<string, Connection>();
    const { monitor, snapshot } = await this.healthMonitor(profile, {
      ...options,
      ...(options.onResult ? { onChecked: rowResultListener(byKey, () => snapshot, options.onResult) } : {}),
    });
    const connections = await this.connections({
      ...(options.runId ? { runId: options.runId } : {}),
      managementAccountId: snapshot.organization.managementAccountId,
    });
    if (connections.length === 0) throw noConnectionsError(this.dataDir);
    for (const connection of connections) byKey.set(connectionKey(connection), connection);
    const health = await monitor.checkNow(connections);
    const { coverage, series } = await this.recordCoverage(snapshot, health);
    return { connections, health, snapshot, coverage, series };
  }

  /**
   * Coverage of the Organization against the recorded connections, and — after a round of checks — the day's
   * point of its series (connections by health, share connected). Reads local files only.
   */
  async recordCoverage(
    snapshot: OrganizationSnapshot,
    health: readonly ConnectionHealth[],
  ): Promise<{ coverage: Coverage; series: CoveragePoint[] }> {
    const coverage = await coverageFromDataDir(this.dataDir, snapshot);
    const connected = new Set(
      (await this.connections({ managementAccountId: snapshot.organization.managementAccountId })).map(
        connectionKey,
      ),
    );
    const counts = healthCounts(health.filter((h) => connected.has(h.connectionKey)));
    const series = await createCoverageHistory(this.dataDir).record(
      coverage,
      coveragePoint(coverage, counts, new Date()),
    );
    return { coverage, series };
  }

  /** The Organization's coverage now: discovery plus the recorded connections and deploy attempts. */
  async coverage(profile: string): Promise<Coverage> {
    return coverageFromDataDir(this.dataDir, await this.discover(profile));
  }

  /** The Organization's daily series (oldest first), as recorded by rounds of checks. */
  coverageSeries(organizationId: string): Promise<CoveragePoint[]> {
    return createCoverageHistory(this.dataDir).series(organizationId);
  }

  /** One connection's kept results, oldest first (the timeline of its checks). */
  connectionHistory(key: string): Promise<ConnectionHealth[]> {
    return createHealthHistory(this.dataDir).read(key);
  }

  /**
   * Checks the profile's connections now and then every `intervalMs` (a round still running skips a tick),
   * reporting each result to `onResult`; the connections are re-read from the runs every round, so accounts
   * connected later are watched too. Returns the stop function.
   */
  async watchHealth(
    profile: string,
    options: HealthCheckOptions & {
      intervalMs: number;
      onResult: (result: HealthRowResult) => void;
      onRound?: (recorded: { coverage: Coverage; series: CoveragePoint[] }) => void;
    },
  ): Promise<() => void> {
    const byKey = new Map<string, Connection>();
    const { monitor, snapshot } = await this.healthMonitor(profile, {
      ...options,
      onChecked: rowResultListener(byKey, () => snapshot, options.onResult),
      // Accounts join and leave between rounds: coverage is taken from a fresh discovery each time.
      onRound: async (results) => {
        const fresh = await this.discover(profile).catch(() => snapshot);
        const recorded = await this.recordCoverage(fresh, results);
        options.onRound?.(recorded);
      },
    });
    monitor.start(async () => {
      const connections = await this.connections({
        ...(options.runId ? { runId: options.runId } : {}),
        managementAccountId: snapshot.organization.managementAccountId,
      });
      for (const connection of connections) byKey.set(connectionKey(connection), connection);
      return connections;
    }, options.intervalMs);
    return () => monitor.stop();
  }

  /** A report of the recorded connections with their latest health; reads only the data directory. */
  async report(options: {
    format: 'csv' | 'json' | 'xlsx';
    runId?: string;
    revealExternalId?: string;
    snapshot?: OrganizationSnapshot;
    /** Discover the Organization with this profile, so the report lists every account as it is now. */
    profile?: string;
  }): Promise<Buffer> {
    const connections = await this.connections(options.runId ? { runId: options.runId } : {});
    if (connections.length === 0) throw noConnectionsError(this.dataDir);
    const snapshot = options.snapshot ?? (options.profile ? await this.discover(options.profile) : undefined);
    const coverage = await this.reportCoverage(snapshot, connections);
    const input = {
      connections,
      health: await latestHealth(this.dataDir, connections),
      ...(snapshot ? { snapshot } : {}),
      ...(coverage ? { coverage, series: await this.coverageSeries(coverage.organizationId) } : {}),
      ...(options.revealExternalId ? { revealExternalId: options.revealExternalId } : {}),
    };
    if (options.format === 'xlsx') return renderXlsxReport(input);
    if (options.format === 'csv') return Buffer.from(renderCsvReport(input), 'utf8');
    return Buffer.from(renderJsonReport(input), 'utf8');
  }

  /**
   * A report's coverage: from a discovery when there is one, else the newest coverage a round of checks saved for
   * the reported connections' Organization (so a report needs no AWS call to list every account).
   */
  private async reportCoverage(
    snapshot: OrganizationSnapshot | undefined,
    connections: readonly Connection[],
  ): Promise<Coverage | undefined> {
    if (snapshot) return coverageFromDataDir(this.dataDir, snapshot);
    const managementIds = new Set(connections.map((c) => c.managementAccountId));
    const saved = await createCoverageHistory(this.dataDir).latestCoverages();
    return saved.find((coverage) => managementIds.has(coverage.managementAccountId));
  }

  /** The IAM Identity Center portal of an SSO profile, built on first use (for the identity-center access mode). */
  private ssoPortalFor(profile: string): () => Promise<SsoPortal> {
    let portal: Promise<SsoPortal> | undefined;
    return () =>
      (portal ??= (async () => {
        const target = ssoTargetForProfile(await this.listProfiles(), profile);
        const factory = await this.clientFactory(profile);
        const [endpoint, oidcEndpoint] = await Promise.all([
          factory.resolveEndpoint('SSO'),
          factory.resolveEndpoint('SSO OIDC'),
        ]);
        return createSsoPortal(target, {
          env: this.env,
          profile,
          ...(endpoint === undefined ? {} : { endpoint }),
          ...(oidcEndpoint === undefined ? {} : { oidcEndpoint }),
        });
      })());
  }

  /** One factory per management profile, so several Organizations can be worked on side by side. */
  clientFactory(profile: string): Promise<AwsClientFactory> {
    let factory = this.factories.get(profile);
    if (factory === undefined) {
      factory = createClientFactory(profile, {
        env: this.env,
        ...(this.host.mfaCodeProvider ? { mfaCodeProvider: this.host.mfaCodeProvider } : {}),
      });
      // A failed resolution (say, a typo in the config) must not stick once the user fixes the file.
      factory.catch(() => this.factories.delete(profile));
      this.factories.set(profile, factory);
    }
    return factory;
  }

  /** Forget built clients, e.g. after the AWS config files changed on disk. */
  resetClients(): void {
    this.factories.clear();
  }
}

export interface HealthCheckOptions {
  runId?: string;
  accessRoleName?: string;
  checks?: CheckOptions;
}

/** One connection's latest result, as a Health table row, with its Organization and whether it changed. */
export interface HealthRowResult {
  organizationId: string;
  row: HealthRow;
  /** The overall health or a check's status differs from the connection's previous result. */
  changed: boolean;
  /** The previous result's overall health; undefined the first time a connection is checked. */
  previousOverall?: ConnectionHealth['overall'];
}

function rowResultListener(
  connections: ReadonlyMap<string, Connection>,
  snapshot: () => OrganizationSnapshot,
  onResult: (result: HealthRowResult) => void,
): (current: ConnectionHealth, changed: boolean, previous?: ConnectionHealth) => void {
  return (current, changed, previous) => {
    const connection = connections.get(current.connectionKey);
    if (connection === undefined) return;
    onResult({
      organizationId: snapshot().organization.id,
      row: healthRow(connection, current),
      changed,
      ...(previous === undefined ? {} : { previousOverall: previous.overall }),
    });
  };
}
