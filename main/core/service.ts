/**
 * The one façade over the core: every operation the CLI, the browser host and the desktop app perform.
 * Hosts inject what only they can do (ask for an MFA code, open a browser, choose the data directory);
 * the core never reaches for a terminal or a window itself.
 *
 * Each operation lives in main/core/service/ by job (session, deploy, billing, disconnect, sync, adopt, health,
 * reports); this class only holds the session they share and hands it to them.
 */
import type { AdoptRequest } from './adopt/adopt.js';
import type { AwsClientFactory } from './aws/client-factory.js';
import type { LocalAwsConfig } from './aws/config/index.js';
import type { Identity } from './identity.js';
import type { DiscoveryProgress, OrganizationSnapshot } from './org/index.js';
import type { OnboardingRequest, RunHooks } from './onboarding/onboarding.js';
import type { Plan } from './onboarding/plan.js';
import type { DeregisterFor, DisconnectPlanResult, DisconnectRequest } from './onboarding/disconnect.js';
import type { DisconnectPlan } from './onboarding/disconnect-plan.js';
import type { DisconnectRun } from './onboarding/disconnect-run.js';
import type { DeployRun } from './onboarding/runner.js';
import type { RunListing } from './onboarding/journal.js';
import type { RunState } from './onboarding/run-state.js';
import type { Connection } from './health/connection.js';
import type { ConnectionHealth } from './health/check-result.js';
import type { HealthMonitor } from './health/monitor.js';
import type { Coverage } from './health/coverage.js';
import type { CoveragePoint } from './health/coverage-history.js';
import type { CostAndUsageReportStatus } from './onboarding/cur-detection.js';
import type { CurSetupPlan, CurSetupResult } from './billing/cur-setup.js';
import type { EnableRegionOutcome, RegionGap } from './regions/region-readiness.js';
import type { PlatformDescription } from './platform/platform-description.js';
import {
  ServiceSession,
  type LoginOptions,
  type LoginResult,
  type PlanProgress,
  type ServiceOptions,
} from './service/session.js';
import * as billing from './service/billing-operations.js';
import * as deploy from './service/deploy-operations.js';
import * as disconnect from './service/disconnect-operations.js';
import * as sync from './service/sync-operations.js';
import * as adopt from './service/adopt-operations.js';
import * as health from './service/health-operations.js';
import * as reports from './service/report-operations.js';

export type { HostServices, PlanProgress, ServiceOptions } from './service/session.js';
export type { DeployPlanned, DeployPlanOptions, RegistrationPreview } from './service/deploy-operations.js';
export type { SyncPlanned } from './service/sync-operations.js';
export type { HealthCheckOptions, HealthRowResult } from './service/health-operations.js';

export class OrgConnectService {
  private readonly session: ServiceSession;
  readonly dataDir: string;

  constructor(options: ServiceOptions = {}) {
    this.session = new ServiceSession(options);
    this.dataDir = this.session.dataDir;
  }

  // Profiles, sign-in and discovery (service/session.ts).

  listProfiles(): Promise<LocalAwsConfig> {
    return this.session.listProfiles();
  }

  whoAmI(profile: string): Promise<Identity> {
    return this.session.whoAmI(profile);
  }

  /** Signs in to IAM Identity Center for an SSO profile (auth-code flow for sso-session profiles, else device code). */
  login(profile: string, options: LoginOptions = {}): Promise<LoginResult> {
    return this.session.login(profile, options);
  }

  /** The whole Organization seen from a management (or delegated administrator) profile. */
  discover(
    profile: string,
    options: { onProgress?: (progress: DiscoveryProgress) => void; signal?: AbortSignal } = {},
  ): Promise<OrganizationSnapshot> {
    return this.session.discover(profile, options);
  }

  /** One factory per management profile, so several Organizations can be worked on side by side. */
  clientFactory(profile: string): Promise<AwsClientFactory> {
    return this.session.clientFactory(profile);
  }

  /** Forget built clients, e.g. after the AWS config files changed on disk. */
  resetClients(): void {
    this.session.resetClients();
  }

  /** ORGCONNECT_PLATFORM_URL / ORGCONNECT_NO_REGISTER=1 stand in for the flags, in every host. */
  withPlatformDefaults<R extends Pick<OnboardingRequest, 'platformUrl' | 'register'>>(request: R): R {
    return this.session.withPlatformDefaults(request);
  }

  // The Cost and Usage Report (service/billing-operations.ts).

  /** Is a Cost and Usage Report usable by the platform, and its bucket. Reads only. */
  costAndUsageReport(profile: string): Promise<CostAndUsageReportStatus> {
    return billing.costAndUsageReport(this.session, profile);
  }

  /** What a CUR 2.0 set-up would write; refused when a usable report exists or the APIs cannot tell. */
  planCostAndUsageReportSetup(profile: string, options: { bucket?: string } = {}): Promise<CurSetupPlan> {
    return billing.planCostAndUsageReportSetup(this.session, profile, options);
  }

  /** Writes a planned CUR set-up in the management account, once agreed. */
  setUpCostAndUsageReport(profile: string, setup: CurSetupPlan): Promise<CurSetupResult> {
    return billing.setUpCostAndUsageReport(this.session, profile, setup);
  }

  // Connecting accounts (service/deploy-operations.ts).

  /** Discover, preflight every selected account and plan. Reads AWS only; deploy `request` of the result as it is. */
  plan(
    profile: string,
    request: OnboardingRequest,
    options: deploy.DeployPlanOptions = {},
  ): Promise<deploy.DeployPlanned> {
    return deploy.planDeploy(this.session, profile, request, options);
  }

  /** Writes: account:EnableRegion from the management account for each planned Region, once agreed. */
  enableRegions(
    profile: string,
    managementAccountId: string,
    gaps: readonly RegionGap[],
  ): Promise<EnableRegionOutcome[]> {
    return deploy.enableRegions(this.session, profile, managementAccountId, gaps);
  }

  /** Settings' Platform section: the profile and where this host registers. */
  describePlatform(platform: 'cloudzero' | 'custom' = 'cloudzero'): PlatformDescription {
    return deploy.describePlatform(this.session, platform);
  }

  /** The deregistration a host's disconnect runs use: the platform's, or none with ORGCONNECT_NO_REGISTER=1. */
  deregisterForHost(): DeregisterFor {
    return deploy.deregisterForHost(this.session);
  }

  /** Journals a new run for a confirmed plan (the data directory is checked before anything is written to AWS). */
  createRun(
    profile: string,
    request: OnboardingRequest,
    planned: { plan: Plan; snapshot: OrganizationSnapshot },
    hooks: Omit<RunHooks, 'dataDir'> = {},
  ): Promise<DeployRun> {
    return deploy.createRun(this.session, profile, request, planned, hooks);
  }

  /** Re-opens a run from its journal (after a crash, kill -9 or a closed window). */
  openRun(runId: string, options: deploy.OpenRunOptions = {}): Promise<DeployRun> {
    return deploy.openRun(this.session, runId, options);
  }

  /** The runs holding connections the platform does not have, oldest first (`orgconnect register`). */
  runsWithUnregisteredConnections(): Promise<string[]> {
    return deploy.runsWithUnregisteredConnections(this.session);
  }

  listRuns(): Promise<RunListing[]> {
    return this.session.listRuns();
  }

  runState(runId: string): Promise<RunState> {
    return this.session.runState(runId);
  }

  // Sync, disconnect and adopt (service/sync-operations.ts, disconnect-operations.ts, adopt-operations.ts).

  /** Sync: one discovery, the deploy plan of what changed and the disconnect plan of what is gone. */
  planSync(
    profile: string,
    request: OnboardingRequest,
    options: PlanProgress & { detectCurBucket?: boolean } = {},
  ): Promise<sync.SyncPlanned> {
    return sync.planSync(this.session, profile, request, options);
  }

  /** Plan a disconnect: what is deleted where and what is deregistered. Reads AWS only. */
  planDisconnect(
    profile: string,
    request: DisconnectRequest,
    options: PlanProgress = {},
  ): Promise<DisconnectPlanResult & { snapshot: OrganizationSnapshot }> {
    return disconnect.planDisconnect(this.session, profile, request, options);
  }

  /** Journals a disconnect run for a plan the user has confirmed; `deregisterFor` is the host's platform wiring. */
  createDisconnectRun(
    profile: string,
    request: DisconnectRequest,
    planned: { plan: DisconnectPlan; snapshot: OrganizationSnapshot },
    hooks: disconnect.DisconnectHooks,
  ): Promise<DisconnectRun> {
    return disconnect.createDisconnectRun(this.session, profile, request, planned, hooks);
  }

  /** Re-opens a disconnect run from its journal (after a crash or a stop). */
  openDisconnectRun(runId: string, options: disconnect.OpenDisconnectRunOptions): Promise<DisconnectRun> {
    return disconnect.openDisconnectRun(this.session, runId, options);
  }

  /** `adopt`: journals a run that verifies and registers hand-made roles (with `reviewed`, Review's snapshot). */
  createAdoptRun(
    profile: string,
    request: AdoptRequest,
    hooks: Omit<RunHooks, 'dataDir'> = {},
    reviewed?: { plan: Plan; snapshot: OrganizationSnapshot },
  ): Promise<DeployRun> {
    return adopt.createAdoptRun(this.session, profile, request, hooks, reviewed);
  }

  /** Review for `adopt`: each account's role verified now, as a plan (`create` = verified, `blocked` = why not). */
  planAdopt(profile: string, request: AdoptRequest): Promise<adopt.AdoptPlanned> {
    return adopt.planAdopt(this.session, profile, request);
  }

  // Health and coverage (service/health-operations.ts).

  /** Connections recorded by runs (of one run, or the newest per account across runs). */
  connections(options: { runId?: string; managementAccountId?: string } = {}): Promise<Connection[]> {
    return this.session.connections(options);
  }

  /** A health monitor for a management profile's connections; every change is an event and lands in the history. */
  healthMonitor(
    profile: string,
    options: health.HealthMonitorOptions = {},
  ): Promise<{ monitor: HealthMonitor; snapshot: OrganizationSnapshot }> {
    return health.healthMonitor(this.session, profile, options);
  }

  /** Checks every connection of the profile's Organization once; `onResult` hears each result as it is known. */
  checkHealth(
    profile: string,
    options: health.HealthCheckOptions & { onResult?: (result: health.HealthRowResult) => void } = {},
  ): Promise<health.HealthChecked> {
    return health.checkHealth(this.session, profile, options);
  }

  /** Coverage against the recorded connections and, after a round of checks, the day's point of its series. */
  recordCoverage(
    snapshot: OrganizationSnapshot,
    results: readonly ConnectionHealth[],
  ): Promise<{ coverage: Coverage; series: CoveragePoint[] }> {
    return health.recordCoverage(this.session, snapshot, results);
  }

  /** The Organization's coverage now: discovery plus the recorded connections and deploy attempts. */
  coverage(profile: string): Promise<Coverage> {
    return health.coverage(this.session, profile);
  }

  /** The Organization's daily series (oldest first), as recorded by rounds of checks. */
  coverageSeries(organizationId: string): Promise<CoveragePoint[]> {
    return health.coverageSeries(this.session, organizationId);
  }

  /** One connection's kept results, oldest first (the timeline of its checks). */
  connectionHistory(key: string): Promise<ConnectionHealth[]> {
    return health.connectionHistory(this.session, key);
  }

  /** Checks now and then every `intervalMs`, re-reading the connections each round. Returns the stop function. */
  watchHealth(profile: string, options: health.WatchHealthOptions): Promise<() => void> {
    return health.watchHealth(this.session, profile, options);
  }

  // Reports (service/report-operations.ts).

  /** A report of the recorded connections with their latest health; reads only the data directory. */
  report(options: reports.ReportOptions): Promise<Buffer> {
    return reports.report(this.session, options);
  }
}
