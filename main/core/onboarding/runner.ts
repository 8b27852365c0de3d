/**
 * A deploy run: connects every planned account by deploying its stack, billing (management account) first,
 * then the member accounts with bounded concurrency. Every state change is appended to the run's journal
 * (fsynced) *before* anyone is told about it, so what the UI showed is always what a resume will read.
 *
 * The billing gate: resource items start only once every billing item is connected (or skipped). If billing
 * fails, resource items are recorded `cancelled` with code BILLING_FAILED instead of being attempted. The member
 * roles do not technically depend on the billing stack, but (1) the platform attaches resource connections to
 * the billing connection, so members without it are not usable, and (2) a billing failure is usually systemic
 * (wrong parameters, a template the organization's SCPs reject, missing permissions) and would fail every member
 * the same way, leaving N broken stacks to clean up instead of one. The cost is that a management-only problem
 * holds the members back; `retryFailed()` therefore re-runs failed accounts *and* those cancelled by the gate.
 *
 * Control: `pause()` starts no new account (in-flight ones finish); `cancel()` starts no new account, in-flight
 * ones finish, the rest become `cancelled`; `stop()` is for a process that must exit now: in-flight waits are
 * aborted and those accounts recorded `unknown` (pending ones stay pending), so `resumeRun` reconciles them.
 * A crash is the same as `stop()` without the `unknown` lines: resume treats `deploying` like `unknown`.
 *
 * Resume never redeploys blindly: each non-terminal account goes through `deployStack`, which starts with
 * DescribeStacks — a stack already complete with the same input tags is recorded connected without a write,
 * one in progress is waited for, an absent one is created.
 */
import { setMaxListeners } from 'node:events';
import pLimit from 'p-limit';
import { OrgConnectError } from '../errors.js';
import type { AccountCredentials, CredentialsProvider } from './account-credentials.js';
import { systemClock, type Clock } from '../clock.js';
import { ensureDataDirWritable } from './data-dir.js';
import {
  createJournal,
  newRunId,
  openJournal,
  readRunState,
  type JournalOptions,
  type RunJournal,
} from './journal.js';
import { cloudFormationFailure, type RetryPolicy } from './retry.js';
import {
  isTerminalState,
  type AccountStateEvent,
  type DeployItem,
  type RunEvent,
  type RunRegistrationSettings,
  type RunSettingsRecord,
} from './run-events.js';
import {
  deleteRunSecrets,
  externalIdFingerprint,
  readRunSecrets,
  writeRunSecrets,
  type RunSecrets,
} from './run-secrets.js';
import { accountKey, applyRunEvent, type AccountRunState, type RunState } from './run-state.js';
import {
  deployStack,
  StackDeployError,
  type CloudFormationSender,
  type DeployProgress,
  type PollPolicy,
} from './stack-deployer.js';

import { connectedResult, RegistrationStep, type RegistrationStepOptions } from './registration-step.js';
import { deployResourceStackSet, type DeployStackSetInput } from './stackset-deployer.js';
import { DEFAULT_ROLE_NAMES } from './templates.js';
import type { PlatformRecord } from '../platform/platform-profile.js';

export const DEFAULT_CONCURRENCY = 8;

/**
 * stacksets mode: Resource accounts go through one service-managed StackSet in the management account instead of
 * a stack per account (the Billing stack stays a direct stack). Built by the host from discovery and the plan.
 */
export type StackSetEngineOptions = Pick<
  DeployStackSetInput,
  'cloudformation' | 'organizations' | 'targets' | 'regions' | 'preferences' | 'callAs' | 'knownUnits'
>;

/** What a run deploys with. The External ID lives only in memory and in the run's secrets file. */
export interface RunSettings {
  platformAccountId: string;
  platform?: PlatformRecord;
  externalId: string;
  accessRoleName: string;
  region: string;
  roleName?: string;
  rolePath?: string;
  mode?: 'stacks' | 'stacksets';
  namePrefix?: string;
  costAndUsageReportBucket?: string;
  accessMode?: 'access-role' | 'identity-center';
  ssoRoleName?: string;
  /** Where connections are registered with the platform, or why they are not. */
  registration?: RunRegistrationSettings;
  source?: 'manual';
}

export interface StackSource {
  templateBody: string;
  parameters: Record<string, string>;
  tags?: Record<string, string>;
}

/** The template body + parameters for an item; the External ID comes in `secrets`, never from the journal. */
export type TemplateFor = (item: DeployItem, secrets: RunSecrets) => StackSource | Promise<StackSource>;

/** A CloudFormation client for an account; give the provider to the client so it refreshes credentials itself. */
export type CloudFormationFor = (accountId: string, credentials: CredentialsProvider) => CloudFormationSender;

export interface AccountProgress extends DeployProgress {
  accountId: string;
  kind: DeployItem['kind'];
}

export type RunEventListener = (event: RunEvent, state: RunState) => void;
export type ProgressListener = (progress: AccountProgress) => void;

interface EngineOptions {
  dataDir: string;
  credentialsFor: (accountId: string) => Promise<AccountCredentials>;
  cloudFormationFor: CloudFormationFor;
  templateFor: TemplateFor;
  /** Default: the run's recorded concurrency, else 8. */
  concurrency?: number;
  clock?: Clock;
  /** Attached before the first event, so a host sees run-started and every planned account. */
  onEvent?: RunEventListener;
  onProgress?: ProgressListener;
  deploy?: { retry?: Partial<RetryPolicy>; poll?: Partial<PollPolicy> };
  /** Required when the run's mode is `stacksets`. */
  stackSet?: StackSetEngineOptions;
  journal?: JournalOptions;
  registration?: RegistrationStepOptions;
  /** An adopt run (`source: manual`): each account's hand-made role is verified instead of a stack deployed. */
  verifyAccount?: VerifyAccount;
}

/** Resolves with the verified role's ARN, or throws an OrgConnectError (code, reason, fix) the account fails with. */
export type VerifyAccount = (
  item: AccountRunState,
  secrets: RunSecrets,
  signal: AbortSignal,
) => Promise<{ roleArn: string }>;

export interface StartRunOptions extends EngineOptions {
  runId?: string;
  items: readonly DeployItem[];
  settings: RunSettings;
  managementAccountId: string;
  profile: string | null;
}

export interface ResumeRunOptions extends EngineOptions {
  runId: string;
  /** Needed when the run's secrets file is gone (RUN_SECRET_MISSING); checked against the journal's sha256. */
  externalId?: string;
}

interface Gate {
  promise: Promise<void>;
  release: () => void;
}

function openGate(): Gate {
  let release = (): void => undefined;
  const promise = new Promise<void>((resolve) => {
    release = resolve;
  });
  return { promise, release };
}

/**
 * Errors that mean "the management session is gone, sign in again" (an expired Identity Center token, or the
 * management credentials rejected as expired), found on the error or its causes (the SDK wraps provider errors).
 */
const SIGN_IN_CODES = new Set(['SSO_LOGIN_REQUIRED', 'SSO_REFRESH_FAILED', 'MANAGEMENT_CREDENTIALS_INVALID']);

function signInRequired(error: unknown): OrgConnectError | undefined {
  for (let current: unknown = error, depth = 0; current !== undefined && depth < 5; depth++) {
    if (current instanceof OrgConnectError && SIGN_IN_CODES.has(current.code)) return current;
    current = current instanceof Error ? current.cause : undefined;
  }
  return undefined;
}

export class DeployRun {
  private state: RunState;
  private readonly listeners = new Set<RunEventListener>();
  private readonly progressListeners = new Set<ProgressListener>();
  private readonly abort = new AbortController();
  private readonly clock: Clock;
  private readonly concurrency: number;
  private pauseGate: Gate | undefined;
  private active: Promise<RunState> | undefined;
  private stopped = false;
  private fatal: unknown;
  private needsResumeEvent: boolean;
  private readonly registration: RegistrationStep;

  /** Use `startRun` or `resumeRun`. */
  constructor(
    private readonly journal: RunJournal,
    initial: RunState,
    private readonly secrets: RunSecrets,
    private readonly options: EngineOptions,
    resumed: boolean,
  ) {
    this.state = initial;
    this.clock = options.clock ?? systemClock;
    // Every in-flight account waits (poll, backoff) on this one signal; dozens of listeners are expected, not a leak.
    setMaxListeners(0, this.abort.signal);
    this.concurrency = Math.max(
      1,
      options.concurrency ?? initial.settings.concurrency ?? DEFAULT_CONCURRENCY,
    );
    this.needsResumeEvent = resumed;
    this.registration = new RegistrationStep({
      dataDir: options.dataDir,
      state: () => this.state,
      externalId: secrets.externalId,
      clock: this.clock,
      signal: this.abort.signal,
      ...(options.registration ? { options: options.registration } : {}),
    });
    if (options.onEvent) this.listeners.add(options.onEvent);
    if (options.onProgress) this.progressListeners.add(options.onProgress);
  }

  get runId(): string {
    return this.journal.runId;
  }

  get snapshot(): RunState {
    return this.state;
  }

  get running(): boolean {
    return this.active !== undefined;
  }

  onEvent(listener: RunEventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  onProgress(listener: ProgressListener): () => void {
    this.progressListeners.add(listener);
    return () => this.progressListeners.delete(listener);
  }

  /** Deploys every account not yet in a final state; resolves with the final state. */
  start(): Promise<RunState> {
    this.assertIdle();
    const targets = this.state.accounts.filter((account) => !isTerminalState(account.state));
    if (targets.length === 0 && this.state.status === 'finished') return Promise.resolve(this.state);
    const resumeEvent = this.needsResumeEvent;
    this.needsResumeEvent = false;
    return this.execute(targets, { force: false, resumeReason: resumeEvent ? 'restart' : undefined });
  }

  /** Re-runs the failed accounts and those the billing gate cancelled; everything else is left as it is. */
  retryFailed(): Promise<RunState> {
    this.assertIdle();
    const targets = this.state.accounts.filter(
      (account) =>
        account.state === 'failed' ||
        (account.state === 'cancelled' && account.stateCode === 'BILLING_FAILED'),
    );
    if (targets.length === 0) return Promise.resolve(this.state);
    this.needsResumeEvent = false;
    return this.execute(targets, { force: true, resumeReason: 'retry-failed' });
  }

  /**
   * `orgconnect register`: sends the registrations that failed or never happened for connected accounts (Billing
   * first), journaled like a deploy's. A finished run is marked finished again afterwards.
   */
  registerPending(): Promise<RunState> {
    this.assertIdle();
    const candidates = this.state.accounts.filter(
      (account) => account.state === 'connected' && account.registration?.status !== 'registered',
    );
    if (candidates.length === 0 || !this.registration.enabled) return Promise.resolve(this.state);
    const finishedStatus = this.state.status === 'finished' ? this.state.finishedStatus : undefined;
    const pass = (async (): Promise<RunState> => {
      await writeRunSecrets(this.options.dataDir, this.runId, this.secrets);
      const limit = pLimit(this.concurrency);
      // A newer run may have registered the same connection since; it is not sent twice.
      const targets: AccountRunState[] = [];
      for (const account of candidates)
        if (await this.registration.needsRegistration(account)) targets.push(account);
      for (const kind of ['billing', 'resource'] as const) {
        const batch = targets.filter((account) => account.kind === kind);
        await Promise.all(
          batch.map((account) => limit(() => this.recordConnected(account, connectedResult(account)))),
        );
      }
      if (finishedStatus !== undefined && !this.stopped) {
        await this.record({
          type: 'run-finished',
          at: this.now(),
          status: finishedStatus,
          counts: this.state.counts,
        });
        await deleteRunSecrets(this.options.dataDir, this.runId);
      }
      return this.state;
    })();
    return this.track(pass);
  }

  async pause(): Promise<void> {
    if (!this.active || this.pauseGate || this.stopped || this.state.cancelRequested) return;
    this.pauseGate = openGate();
    await this.record({ type: 'run-paused', at: this.now(), reason: 'user' });
  }

  async resume(): Promise<void> {
    const gate = this.pauseGate;
    if (!gate) return;
    this.pauseGate = undefined;
    await this.record({ type: 'run-resumed', at: this.now(), reason: 'user' });
    gate.release();
  }

  /** No new account starts; in-flight ones finish; the rest are recorded cancelled. No-op when nothing runs. */
  async cancel(): Promise<void> {
    if (!this.active || this.state.cancelRequested || this.stopped) return;
    await this.record({ type: 'run-cancel-requested', at: this.now() });
    this.releasePause();
  }

  /**
   * For a process that must exit: aborts in-flight waits (those accounts become `unknown`), starts nothing else
   * and leaves the run resumable. Resolves once every in-flight account has been recorded.
   */
  async stop(): Promise<RunState> {
    this.stopped = true;
    this.abort.abort();
    this.releasePause();
    if (this.active) await this.active.catch(() => undefined);
    return this.state;
  }

  async close(): Promise<void> {
    if (this.active) await this.stop();
    await this.journal.close();
  }

  private assertIdle(): void {
    if (this.active) throw new OrgConnectError('RUN_BUSY', `Run ${this.runId} is already deploying.`);
    if (this.stopped) {
      throw new OrgConnectError('RUN_STOPPED', `Run ${this.runId} was stopped in this process.`, {
        fix: 'Resume it (it is reconciled with CloudFormation first).',
      });
    }
  }

  private releasePause(): void {
    const gate = this.pauseGate;
    this.pauseGate = undefined;
    gate?.release();
  }

  private now(): string {
    return new Date(this.clock.now()).toISOString();
  }

  private execute(
    targets: AccountRunState[],
    options: { force: boolean; resumeReason: 'restart' | 'retry-failed' | undefined },
  ): Promise<RunState> {
    const pass = (async (): Promise<RunState> => {
      // Rewritten on every pass: a retry after the run finished (secrets deleted) must be resumable too.
      await writeRunSecrets(this.options.dataDir, this.runId, this.secrets);
      if (options.resumeReason)
        await this.record({ type: 'run-resumed', at: this.now(), reason: options.resumeReason });
      const limit = pLimit(this.concurrency);
      const runAll = async (accounts: AccountRunState[]): Promise<void> => {
        await Promise.allSettled(
          accounts.map((account) => limit(() => this.runAccount(account, options.force))),
        );
        if (this.fatal !== undefined) throw this.fatal;
      };

      await runAll(targets.filter((account) => account.kind === 'billing'));
      const resources = targets.filter((account) => account.kind === 'resource');
      if (!this.stopped) {
        const billing = this.state.accounts.filter((account) => account.kind === 'billing');
        const blocker = billing.find(
          (account) => account.state !== 'connected' && account.state !== 'skipped',
        );
        if (blocker === undefined || this.state.cancelRequested) {
          if (this.state.settings.mode === 'stacksets') await this.runStackSet(resources, options.force);
          else await runAll(resources);
        } else {
          for (const account of resources) {
            await this.recordAccount(account, {
              state: 'cancelled',
              code: 'BILLING_FAILED',
              reason: `billing connection failed (management account ${blocker.accountId} is ${blocker.state})`,
              fix: 'Fix the billing connection, then retry the failed accounts; these accounts are retried with it.',
            });
          }
        }
      }
      if (!this.stopped) {
        await this.record({
          type: 'run-finished',
          at: this.now(),
          status: this.state.cancelRequested ? 'cancelled' : 'completed',
          counts: this.state.counts,
        });
        await deleteRunSecrets(this.options.dataDir, this.runId);
        // A pause that outlived the pass (everything was already in flight) must not block the next pass.
        this.pauseGate = undefined;
      }
      return this.state;
    })();
    return this.track(pass);
  }

  /** The pass in flight: `running` is true and a second pass is refused until it settles. */
  private track(pass: Promise<RunState>): Promise<RunState> {
    this.active = pass;
    const clear = (): void => {
      if (this.active === pass) this.active = undefined;
    };
    pass.then(clear, clear);
    return pass;
  }

  private async waitWhilePaused(): Promise<void> {
    while (this.pauseGate && !this.stopped && !this.state.cancelRequested) await this.pauseGate.promise;
  }

  private async runAccount(planned: AccountRunState, force: boolean): Promise<void> {
    if (await this.skipsAsPlanned(planned, force)) {
      await this.recordAccount(planned, {
        state: 'skipped',
        reason: planned.reason ?? 'already connected as planned',
      });
      return;
    }
    if (!force && planned.attempt === 0 && planned.action === 'blocked') {
      await this.recordAccount(planned, {
        state: 'failed',
        code: planned.code ?? 'ACCOUNT_BLOCKED',
        reason: planned.reason ?? 'blocked by preflight',
        ...(planned.fix === undefined ? {} : { fix: planned.fix }),
      });
      return;
    }
    await this.waitWhilePaused();
    if (this.stopped) return;
    if (this.state.cancelRequested) {
      await this.recordAccount(planned, {
        state: 'cancelled',
        code: 'RUN_CANCELLED',
        reason: 'the run was cancelled before this account started',
      });
      return;
    }
    // Loops only when the management session expired mid-deploy: the account waits for a sign-in, then goes again.
    for (;;) {
      const retryAfterSignIn = await this.deployAccount(planned);
      if (!retryAfterSignIn) return;
      await this.waitWhilePaused();
      if (this.stopped) return;
      if (this.state.cancelRequested) {
        await this.recordAccount(planned, {
          state: 'cancelled',
          code: 'RUN_CANCELLED',
          reason: 'the run was cancelled while it waited for a sign-in',
        });
        return;
      }
    }
  }

  /** One attempt at one account. True when it stopped for a sign-in (recorded unknown, run paused). */
  private async deployAccount(planned: AccountRunState): Promise<boolean> {
    const { accountId, kind } = planned;
    const current =
      this.state.accounts.find((account) => accountKey(account) === accountKey(planned)) ?? planned;
    const attempt = current.attempt + 1;
    await this.recordAccount(planned, { state: 'deploying', attempt });
    let stackId: string | undefined;
    try {
      // Resolve once up front so a missing access role fails here, with its own code, before any client exists.
      await this.options.credentialsFor(accountId);
      if (this.options.verifyAccount) {
        const verified = await this.options.verifyAccount(planned, this.secrets, this.abort.signal);
        await this.recordConnected(planned, { outcome: 'unchanged', roleArn: verified.roleArn, attempt });
        return false;
      }
      const cloudformation = this.options.cloudFormationFor(accountId, () =>
        this.options.credentialsFor(accountId),
      );
      const source = await this.options.templateFor(planned, this.secrets);
      const result = await deployStack({
        cloudformation,
        stackName: planned.stackName,
        templateBody: source.templateBody,
        parameters: source.parameters,
        ...(source.tags === undefined ? {} : { tags: source.tags }),
        ...(planned.replace === true ? { replace: true } : {}),
        clock: this.clock,
        signal: this.abort.signal,
        accountId,
        onProgress: (progress) => this.emitProgress({ ...progress, accountId, kind }),
        ...(this.options.deploy?.retry === undefined ? {} : { retry: this.options.deploy.retry }),
        ...(this.options.deploy?.poll === undefined ? {} : { poll: this.options.deploy.poll }),
      });
      stackId = result.stackId;
      const roleArn = result.outputs['RoleArn'];
      await this.recordConnected(planned, {
        outcome: result.outcome,
        stackId: result.stackId,
        ...(roleArn === undefined ? {} : { roleArn }),
        attempt,
      });
      return false;
    } catch (error) {
      if (this.fatal !== undefined) throw this.fatal;
      if (error instanceof StackDeployError) stackId = error.stackId ?? stackId;
      if (this.abort.signal.aborted) {
        await this.recordAccount(planned, {
          state: 'unknown',
          code: 'RUN_STOPPED',
          reason: 'stopped while deploying; checked against CloudFormation on resume',
          ...(stackId === undefined ? {} : { stackId }),
          attempt,
        });
        return false;
      }
      const signIn = signInRequired(error);
      if (signIn !== undefined && !this.state.cancelRequested) {
        // Not this account's fault: it is unknown (a stack may be in flight; a resume reconciles it) until the
        // person signs in again, and every other account would fail the same way, so the whole run pauses.
        await this.recordAccount(planned, {
          state: 'unknown',
          code: signIn.code,
          reason: `waiting for a sign-in: ${signIn.message}`,
          ...(signIn.fix === undefined ? {} : { fix: signIn.fix }),
          ...(stackId === undefined ? {} : { stackId }),
          attempt,
        });
        await this.pauseForSignIn(signIn);
        return true;
      }
      const failure = error instanceof OrgConnectError ? error : cloudFormationFailure(error, accountId);
      await this.recordAccount(planned, {
        state: 'failed',
        code: failure.code,
        reason: failure.message,
        ...(failure.fix === undefined ? {} : { fix: failure.fix }),
        ...(stackId === undefined ? {} : { stackId }),
        attempt,
      });
      return false;
    }
  }

  private async pauseForSignIn(cause: OrgConnectError): Promise<void> {
    if (this.pauseGate || this.stopped) return;
    this.pauseGate = openGate();
    await this.record({
      type: 'run-paused',
      at: this.now(),
      reason: 'sign-in-required',
      code: cause.code,
      message: cause.message,
      ...(cause.fix === undefined ? {} : { fix: cause.fix }),
    });
  }

  /**
   * Deploys the Resource accounts through the StackSet: one CreateStackInstances over their OUs, per-account states
   * from ListStackInstances. Idempotent, so resume simply calls it again.
   */
  private async runStackSet(resources: AccountRunState[], force: boolean): Promise<void> {
    const stackSet = this.options.stackSet;
    const targets: AccountRunState[] = [];
    for (const account of resources) {
      if (
        (await this.skipsAsPlanned(account, force)) ||
        (!force && account.attempt === 0 && account.action === 'blocked')
      ) {
        await this.runAccount(account, force); // records skipped / failed exactly as in stacks mode
      } else targets.push(account);
    }
    if (targets.length === 0) return;
    await this.waitWhilePaused();
    if (this.stopped) return;
    if (stackSet === undefined) {
      for (const account of targets) {
        await this.recordAccount(account, {
          state: 'failed',
          code: 'STACKSETS_NOT_CONFIGURED',
          reason: 'this run deploys through a StackSet, but no StackSet target was given',
          fix: 'Resume the run with the management profile so the Organization can be read again.',
        });
      }
      return;
    }
    const planned = new Map(targets.map((account) => [account.accountId, account]));
    const finished = new Set<string>();
    for (const account of targets)
      await this.recordAccount(account, { state: 'deploying', attempt: account.attempt + 1 });
    const settings = this.state.settings;
    const roleArnOf = (accountId: string): string =>
      `arn:aws:iam::${accountId}:role${settings.rolePath ?? '/'}${settings.roleName ?? DEFAULT_ROLE_NAMES.resource}`;
    // Journal writes are serialised through this chain so states land in the order the StackSet reported them.
    let writes: Promise<void> = Promise.resolve();
    const first = targets[0] as AccountRunState;
    try {
      const source = await this.options.templateFor(first, this.secrets);
      const result = await deployResourceStackSet({
        ...stackSet,
        templateBody: source.templateBody,
        parameters: source.parameters,
        // One StackSet serves every account, so it carries no per-account connection-name tag.
        tags: { 'orgconnect:kind': 'resource' },
        managementAccountId: this.state.managementAccountId,
        clock: this.clock,
        signal: this.abort.signal,
        onAccountState: (accountId, state, reason) => {
          const account = planned.get(accountId);
          if (account === undefined || state === 'deploying') return;
          finished.add(accountId);
          // Registered as soon as its instance is CURRENT, not when the whole StackSet operation ends.
          writes = writes.then(() =>
            state === 'connected'
              ? this.recordConnected(account, { attempt: account.attempt + 1, roleArn: roleArnOf(accountId) })
              : this.recordAccount(account, {
                  state,
                  attempt: account.attempt + 1,
                  code: 'STACKSET_INSTANCE_FAILED',
                  reason: reason ?? 'the StackSet instance failed',
                }),
          );
        },
      });
      await writes;
      for (const view of result.accounts) {
        const account = planned.get(view.accountId);
        if (account === undefined || finished.has(view.accountId) || view.state === 'deploying') continue;
        finished.add(view.accountId);
        if (view.state === 'connected') {
          await this.recordConnected(account, {
            attempt: account.attempt + 1,
            roleArn: roleArnOf(view.accountId),
          });
        } else {
          await this.recordAccount(account, {
            state: view.state,
            attempt: account.attempt + 1,
            code: 'STACKSET_INSTANCE_FAILED',
            reason: view.reason ?? 'the StackSet instance failed',
          });
        }
      }
      for (const account of targets) {
        if (finished.has(account.accountId)) continue;
        await this.recordAccount(account, {
          state: 'failed',
          code: 'STACKSET_NO_INSTANCE',
          reason: `the StackSet created no instance in ${account.accountId}`,
          fix: 'Check that the account is in one of the targeted OUs and that StackSets trusted access is enabled.',
          attempt: account.attempt + 1,
        });
      }
    } catch (error) {
      await writes.catch(() => undefined);
      if (this.fatal !== undefined) throw this.fatal;
      const aborted = this.abort.signal.aborted;
      const failure =
        error instanceof OrgConnectError
          ? error
          : cloudFormationFailure(error, this.state.managementAccountId);
      for (const account of targets) {
        if (finished.has(account.accountId)) continue;
        await this.recordAccount(
          account,
          aborted
            ? {
                state: 'unknown',
                code: 'RUN_STOPPED',
                reason: 'stopped while the StackSet deployed; checked on resume',
              }
            : {
                state: 'failed',
                code: failure.code,
                reason: failure.message,
                ...(failure.fix === undefined ? {} : { fix: failure.fix }),
              },
        );
      }
    }
  }

  /** The plan's "already connected" holds only if the platform has heard of it too; else it is deployed (a no-op) and registered. */
  private async skipsAsPlanned(account: AccountRunState, force: boolean): Promise<boolean> {
    if (force || account.attempt !== 0 || account.action !== 'skip') return false;
    return !(await this.registration.needsRegistration(account));
  }

  /**
   * The stack is complete: journal `registering`, tell the platform, journal `connected` with its answer. A stop
   * during the POST leaves the account `registering`, so resume sends it again.
   */
  private async recordConnected(
    account: Pick<DeployItem, 'accountId' | 'kind' | 'connectionName'>,
    result: Pick<AccountStateEvent, 'outcome' | 'stackId' | 'roleArn' | 'attempt'>,
  ): Promise<void> {
    if (this.registration.enabled) {
      await this.recordAccount(account, { state: 'registering', ...result });
      const registration = await this.registration.register(account, result.roleArn);
      if (registration === undefined) return;
      await this.recordAccount(account, { state: 'connected', ...result, registration });
      return;
    }
    const notSent = this.registration.notSent();
    await this.recordAccount(account, {
      state: 'connected',
      ...result,
      ...(notSent === undefined ? {} : { registration: notSent }),
    });
  }

  private recordAccount(
    account: Pick<DeployItem, 'accountId' | 'kind'>,
    change: Omit<AccountStateEvent, 'type' | 'at' | 'accountId' | 'kind'>,
  ): Promise<void> {
    return this.record({
      type: 'account-state',
      at: this.now(),
      accountId: account.accountId,
      kind: account.kind,
      ...change,
    });
  }

  /** Journal first, then state, then listeners: nobody hears of a change that would not survive a crash. */
  private async record(event: RunEvent): Promise<void> {
    try {
      await this.journal.append(event);
    } catch (error) {
      // Without a journal the run cannot promise anything; stop everything and surface the write error.
      this.fatal ??= error;
      this.stopped = true;
      this.abort.abort();
      this.releasePause();
      throw this.fatal;
    }
    this.state = applyRunEvent(this.state, event);
    for (const listener of this.listeners) {
      try {
        listener(event, this.state);
      } catch {
        // A broken listener (a closed window) must not stop the deploy.
      }
    }
  }

  private emitProgress(progress: AccountProgress): void {
    for (const listener of this.progressListeners) {
      try {
        listener(progress);
      } catch {
        // As above: progress is best effort.
      }
    }
  }
}

function assertUniqueItems(items: readonly DeployItem[]): void {
  const seen = new Set<string>();
  for (const item of items) {
    const key = accountKey(item);
    if (seen.has(key)) {
      throw new OrgConnectError(
        'PLAN_DUPLICATE_ACCOUNT',
        `Account ${item.accountId} is planned twice as ${item.kind}.`,
      );
    }
    seen.add(key);
  }
}

/**
 * Creates a run: checks the data directory is writable (before anything touches AWS), stores the External ID
 * in the run's secrets file, and journals run-started and every planned account. Call `start()` on the result.
 */
export async function startRun(options: StartRunOptions): Promise<DeployRun> {
  assertUniqueItems(options.items);
  if (!options.settings.externalId) {
    throw new OrgConnectError('EXTERNAL_ID_MISSING', 'A run needs the External ID from the platform.', {
      fix: 'Copy the External ID from the platform’s "Connect AWS" page.',
    });
  }
  const clock = options.clock ?? systemClock;
  await ensureDataDirWritable(options.dataDir);
  const runId = options.runId ?? newRunId(clock);
  const { externalId, ...rest } = options.settings;
  const settings: RunSettingsRecord = {
    ...rest,
    ...externalIdFingerprint(externalId),
    concurrency: Math.max(1, options.concurrency ?? DEFAULT_CONCURRENCY),
  };
  const journal = await createJournal(options.dataDir, runId, options.journal);
  try {
    await writeRunSecrets(options.dataDir, runId, { externalId });
    const at = new Date(clock.now()).toISOString();
    const started: RunEvent = {
      type: 'run-started',
      at,
      journalVersion: 1,
      runId,
      createdAt: at,
      managementAccountId: options.managementAccountId,
      profile: options.profile,
      settings,
    };
    await journal.append(started);
    let state = applyRunEvent(undefined, started);
    options.onEvent?.(started, state);
    for (const item of options.items) {
      const planned: RunEvent = { ...item, type: 'account-planned', at };
      await journal.append(planned);
      state = applyRunEvent(state, planned);
      options.onEvent?.(planned, state);
    }
    return new DeployRun(journal, state, { externalId }, options, false);
  } catch (error) {
    await journal.close().catch(() => undefined);
    throw error;
  }
}

/**
 * Picks up a run after a crash, a stop or in a new process: folds its journal, takes the External ID from the
 * secrets file (or `externalId`, checked against the journal's fingerprint) and returns a run whose `start()`
 * reconciles every non-final account with CloudFormation before deploying anything.
 */
export async function resumeRun(options: ResumeRunOptions): Promise<DeployRun> {
  const state = await readRunState(options.dataDir, options.runId);
  const secrets: RunSecrets =
    options.externalId === undefined
      ? await readRunSecrets(options.dataDir, options.runId)
      : { externalId: options.externalId };
  if (externalIdFingerprint(secrets.externalId).externalIdSha256 !== state.settings.externalIdSha256) {
    throw new OrgConnectError(
      'RUN_SECRET_MISMATCH',
      `That is not the External ID run ${options.runId} was started with.`,
      {
        fix: `Enter the External ID ending in "${state.settings.externalIdLast4}".`,
      },
    );
  }
  await ensureDataDirWritable(options.dataDir);
  const journal = await openJournal(options.dataDir, options.runId, options.journal);
  return new DeployRun(journal, state, secrets, options, true);
}
