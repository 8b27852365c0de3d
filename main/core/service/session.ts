/**
 * What every operation of the service shares: the host's injected abilities, the data directory, one AWS client
 * factory per profile, sign-in, discovery, and the platform defaults the environment sets. The operation modules
 * beside this file take a session; `OrgConnectService` (../service.ts) is the façade over them.
 */
import { createClientFactory, type AwsClientFactory } from '../aws/client-factory.js';
import { loadLocalAwsConfig, resolveClientConfig, type LocalAwsConfig } from '../aws/config/index.js';
import {
  createSsoPortal,
  loginWithAuthCode,
  loginWithDeviceCode,
  type SsoPortal,
  type SsoPrompt,
} from '../aws/sso/index.js';
import { ssoTargetForProfile } from '../aws/sso-target.js';
import { whoAmI, type Identity } from '../identity.js';
import { discoverOrganization, type DiscoveryProgress, type OrganizationSnapshot } from '../org/index.js';
import type { OnboardingRequest } from '../onboarding/onboarding.js';
import type { PreflightResult } from '../onboarding/preflight.js';
import { listRuns, readRunState, type RunListing } from '../onboarding/journal.js';
import { resolveDataDir } from '../onboarding/data-dir.js';
import type { RunState } from '../onboarding/run-state.js';
import { OrgConnectError } from '../errors.js';
import { loadConnections } from '../health/health-service.js';
import type { Connection } from '../health/connection.js';

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

export interface LoginOptions {
  deviceCode?: boolean;
  onPrompt?: (prompt: SsoPrompt) => void;
  signal?: AbortSignal;
}

export interface LoginResult {
  profile: string;
  startUrl: string;
  expiresAt: string;
  flow: 'auth-code' | 'device-code';
}

export class ServiceSession {
  readonly env: NodeJS.ProcessEnv;
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
  async login(profile: string, options: LoginOptions = {}): Promise<LoginResult> {
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

  /** Discovers the Organization and checks the profile is its management account (deploy and disconnect need it). */
  async managementSnapshot(
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

  runProfile(runId: string, profile: string | null): string {
    if (profile === null) {
      throw new OrgConnectError('USAGE_PROFILE_REQUIRED', `Run ${runId} does not record its profile.`, {
        fix: 'Pass --profile with the management profile the run was started with.',
      });
    }
    return profile;
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

  /** What the onboarding engines need to work on a profile's Organization. */
  async runContext(profile: string, snapshot: OrganizationSnapshot) {
    const factory = await this.clientFactory(profile);
    return { profile, factory, snapshot, ssoPortal: this.ssoPortalFor(profile) };
  }

  /** The IAM Identity Center portal of an SSO profile, built on first use (for the identity-center access mode). */
  ssoPortalFor(profile: string): () => Promise<SsoPortal> {
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
