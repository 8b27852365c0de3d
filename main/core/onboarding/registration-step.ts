/**
 * The registration step of a run: once an account's stack (or StackSet instance) is complete, the platform is
 * sent the link message for it, and what it answered is journaled on the account's `connected` event. The
 * runner calls `register` between its `registering` and `connected` records, so a crash in between leaves the
 * account `registering` — not final — and resume sends that registration again; a `connected` account's
 * outcome is on disk and is never re-sent.
 *
 * An account the plan skips (its stack is already as asked) is still registered when no earlier run of this
 * data directory registered that role with this External ID at this endpoint: "deployed but the platform never
 * heard of it" is the gap this step exists to close.
 */
import { notifyPlatform, type RegistrationRetryPolicy } from '../platform/registration-client.js';
import type { Clock } from './clock.js';
import { listRuns, readRunState } from './journal.js';
import type {
  AccountStateEvent,
  DeployItem,
  RegistrationRecord,
  RunRegistrationSettings,
} from './run-events.js';
import type { AccountRunState, RunState } from './run-state.js';
import { connectionKey } from './connection-key.js';

export interface RegistrationStepOptions {
  /**
   * Where to register instead of what the run recorded (`--platform-url` on resume or `register`, or a run that
   * was started with registration off and is registered later).
   */
  settings?: EnabledSettings;
  /** Test hooks: the HTTP client and the retry policy (backoff runs on the run's clock). */
  fetch?: typeof fetch;
  retry?: Partial<RegistrationRetryPolicy>;
}

export interface RegistrationContext {
  dataDir: string;
  state: () => RunState;
  externalId: string;
  clock: Clock;
  signal: AbortSignal;
  options?: RegistrationStepOptions;
}

export type EnabledSettings = Extract<RunRegistrationSettings, { endpoint: string }>;

export class RegistrationStep {
  private registeredElsewhere: Promise<Map<string, string>> | undefined;

  constructor(private readonly context: RegistrationContext) {}

  private get settings(): RunRegistrationSettings | undefined {
    return this.context.options?.settings ?? this.context.state().settings.registration;
  }

  private enabledSettings(): EnabledSettings | undefined {
    const settings = this.settings;
    return settings !== undefined && 'endpoint' in settings ? settings : undefined;
  }

  /** True when a skipped account must still go through deploy-and-register (the platform never got it). */
  async needsRegistration(account: Pick<DeployItem, 'accountId' | 'kind'>): Promise<boolean> {
    const settings = this.enabledSettings();
    if (settings === undefined) return false;
    const state = this.context.state();
    this.registeredElsewhere ??= registeredConnections(this.context.dataDir, {
      managementAccountId: state.managementAccountId,
      externalIdSha256: state.settings.externalIdSha256,
      endpoint: settings.endpoint,
      exceptRunId: state.runId,
    });
    return !(await this.registeredElsewhere).has(connectionKey(account));
  }

  /** Undefined when the run registers nothing for a reason not worth recording (a run journaled before this step). */
  notSent(): RegistrationRecord | undefined {
    const settings = this.settings;
    if (settings === undefined || !('off' in settings)) return undefined;
    return { status: 'not-sent', at: this.now(), reason: settings.off };
  }

  get enabled(): boolean {
    return this.enabledSettings() !== undefined;
  }

  /** Sends the link message; undefined when the run was stopped before the platform answered (sent again on resume). */
  async register(
    account: Pick<DeployItem, 'accountId' | 'kind' | 'connectionName'>,
    roleArn: string | undefined,
  ): Promise<RegistrationRecord | undefined> {
    const settings = this.enabledSettings();
    if (settings === undefined) return this.notSent();
    const endpoint = settings.endpoint;
    if (roleArn === undefined) {
      return {
        status: 'failed',
        at: this.now(),
        endpoint,
        code: 'ROLE_ARN_MISSING',
        reason: 'the stack reported no RoleArn output, so there is no role to register',
        fix: 'Check the stack’s Outputs in CloudFormation, then run "orgconnect register".',
        attempts: 0,
      };
    }
    const run = this.context.state().settings;
    const outcome = await notifyPlatform(
      settings,
      {
        kind: account.kind,
        accountId: account.accountId,
        connectionName: account.connectionName,
        region: run.region,
        roleArn,
        ...(run.costAndUsageReportBucket ? { billingBucket: run.costAndUsageReportBucket } : {}),
      },
      this.context.externalId,
      'account-link-provisioned',
      {
        clock: this.context.clock,
        signal: this.context.signal,
        ...(this.context.options?.fetch ? { fetch: this.context.options.fetch } : {}),
        ...(this.context.options?.retry ? { retry: this.context.options.retry } : {}),
      },
    );
    if (outcome.ok) {
      return {
        status: 'registered',
        at: outcome.at,
        endpoint,
        httpStatus: outcome.httpStatus,
        roleArn,
        attempts: outcome.attempts,
      };
    }
    if (outcome.code === 'REGISTRATION_ABORTED') return undefined;
    return {
      status: 'failed',
      at: outcome.at,
      endpoint,
      code: outcome.code,
      reason: outcome.reason,
      fix: outcome.fix,
      ...(outcome.httpStatus === undefined ? {} : { httpStatus: outcome.httpStatus }),
      roleArn,
      attempts: outcome.attempts,
    };
  }

  private now(): string {
    return new Date(this.context.clock.now()).toISOString();
  }
}

/**
 * Connections (by account key → role ARN) whose newest record in another run of the same Organization and
 * External ID is a registration accepted by this endpoint.
 */
export async function registeredConnections(
  dataDir: string,
  scope: { managementAccountId: string; externalIdSha256: string; endpoint: string; exceptRunId?: string },
): Promise<Map<string, string>> {
  const registered = new Map<string, string>();
  const decided = new Set<string>();
  for (const listing of await listRuns(dataDir)) {
    if (listing.runId === scope.exceptRunId || listing.status === 'unreadable') continue;
    if (listing.managementAccountId !== scope.managementAccountId) continue;
    const run = await readRunState(dataDir, listing.runId).catch(() => undefined);
    if (run === undefined || run.settings.externalIdSha256 !== scope.externalIdSha256) continue;
    for (const account of run.accounts) {
      const key = connectionKey(account);
      if (account.state !== 'connected' || decided.has(key)) continue;
      decided.add(key);
      const registration = account.registration;
      if (registration?.status === 'registered' && registration.endpoint === scope.endpoint) {
        registered.set(key, registration.roleArn);
      }
    }
  }
  return registered;
}

/** What a `connected` account's events carried, to journal it again with a new registration. */
export function connectedResult(
  account: AccountRunState,
): Pick<AccountStateEvent, 'outcome' | 'stackId' | 'roleArn' | 'attempt'> {
  return {
    ...(account.outcome === undefined ? {} : { outcome: account.outcome }),
    ...(account.stackId === undefined ? {} : { stackId: account.stackId }),
    ...(account.roleArn === undefined ? {} : { roleArn: account.roleArn }),
    attempt: account.attempt,
  };
}
