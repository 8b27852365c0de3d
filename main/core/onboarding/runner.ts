/**
 * A deploy run: connects every planned account by deploying its stack, billing (management account) first,
 * then the member accounts with bounded concurrency. Run control (run-control.ts) owns the pass, pause / cancel /
 * stop and the journal; the engines (run-engine.ts) do the accounts: a stack per account (stacks-engine.ts), one
 * StackSet for the members (stackset-engine.ts), or verifying adopted roles (verify-engine.ts).
 *
 * The billing gate: resource items start only once every billing item is connected (or skipped). If billing
 * fails, resource items are recorded `cancelled` with code BILLING_FAILED instead of being attempted. The member
 * roles do not technically depend on the billing stack, but (1) the platform attaches resource connections to
 * the billing connection, so members without it are not usable, and (2) a billing failure is usually systemic
 * (wrong parameters, a template the organization's SCPs reject, missing permissions) and would fail every member
 * the same way, leaving N broken stacks to clean up instead of one. The cost is that a management-only problem
 * holds the members back; `retryFailed()` therefore re-runs failed accounts *and* those cancelled by the gate.
 *
 * Resume never redeploys blindly: each non-terminal account goes through `deployStack`, which starts with
 * DescribeStacks — a stack already complete with the same input tags is recorded connected without a write,
 * one in progress is waited for, an absent one is created.
 */
import pLimit from 'p-limit';
import { OrgConnectError } from '../errors.js';
import type { AccountCredentials } from './account-credentials.js';
import { systemClock } from '../clock.js';
import { ensureDataDirWritable } from './data-dir.js';
import { newRunId, openJournal, readRunState, type JournalOptions, type RunJournal } from './journal.js';
import type { RetryPolicy } from './retry.js';
import type { ConnectionKind, DeployItem, RunRegistrationSettings, RunSettingsRecord } from './run-events.js';
import { externalIdFingerprint, readRunSecrets, type RunSecrets } from './run-secrets.js';
import { type AccountRunState, type RunState } from './run-state.js';
import { connectionKey } from './connection-key.js';
import { assertRunExternalId, beginRun } from './run-start.js';
import type { PollPolicy } from './stack-deployer.js';
import { connectedResult, RegistrationStep, type RegistrationStepOptions } from './registration-step.js';
import { registrationHook, type RegistrationHook } from './registration-hook.js';
import { RunControl, type RunControlOptions, type RunPolicy } from './run-control.js';
import { DEFAULT_CONCURRENCY, type CloudFormationFor, type RunEngine } from './run-engine.js';
import { stacksEngine, type TemplateFor } from './stacks-engine.js';
import { stackSetEngine, type StackSetEngineOptions } from './stackset-engine.js';
import { verifyEngine, type VerifyAccount } from './verify-engine.js';
import type { PlatformRecord } from '../platform/platform-profile.js';

export {
  DEFAULT_CONCURRENCY,
  type AccountProgress,
  type CloudFormationFor,
  type ProgressListener,
  type RunEventListener,
} from './run-engine.js';
export type { StackSource, TemplateFor } from './stacks-engine.js';
export type { StackSetEngineOptions } from './stackset-engine.js';
export type { VerifyAccount } from './verify-engine.js';

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

interface EngineOptions extends RunControlOptions {
  credentialsFor: (accountId: string) => Promise<AccountCredentials>;
  cloudFormationFor: CloudFormationFor;
  templateFor: TemplateFor;
  deploy?: { retry?: Partial<RetryPolicy>; poll?: Partial<PollPolicy> };
  /** Required when the run's mode is `stacksets`. */
  stackSet?: StackSetEngineOptions;
  journal?: JournalOptions;
  registration?: RegistrationStepOptions;
  /** An adopt run (`source: manual`): each account's hand-made role is verified instead of a stack deployed. */
  verifyAccount?: VerifyAccount;
}

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

/** Billing first; the members wait for it unless the run is being cancelled (then they are cancelled anyway). */
const DEPLOY_POLICY: RunPolicy = {
  doing: 'deploying',
  first: 'billing',
  gateCode: 'BILLING_FAILED',
  holdBack(state) {
    const billing = state.accounts.filter((account) => account.kind === 'billing');
    const blocker = billing.find((account) => account.state !== 'connected' && account.state !== 'skipped');
    if (blocker === undefined || state.cancelRequested) return undefined;
    return {
      state: 'cancelled',
      code: 'BILLING_FAILED',
      reason: `billing connection failed (management account ${blocker.accountId} is ${blocker.state})`,
      fix: 'Fix the billing connection, then retry the failed accounts; these accounts are retried with it.',
    };
  },
};

export class DeployRun extends RunControl {
  private readonly registration: RegistrationStep;
  private readonly hook: RegistrationHook;
  private readonly engines: Record<ConnectionKind, RunEngine>;

  /** Use `startRun` or `resumeRun`. */
  constructor(
    journal: RunJournal,
    initial: RunState,
    secrets: RunSecrets,
    options: EngineOptions,
    resumed: boolean,
  ) {
    super(journal, initial, secrets, options, resumed, DEPLOY_POLICY);
    const run = this.context;
    this.registration = new RegistrationStep({
      dataDir: options.dataDir,
      state: () => run.state,
      externalId: secrets.externalId,
      clock: run.clock,
      signal: run.signal,
      ...(options.registration ? { options: options.registration } : {}),
    });
    this.hook = registrationHook(run, this.registration);
    const perAccount = options.verifyAccount
      ? verifyEngine(run, this.hook, options.credentialsFor, options.verifyAccount)
      : stacksEngine(run, this.hook, options);
    this.engines = {
      billing: perAccount,
      resource:
        initial.settings.mode === 'stacksets'
          ? stackSetEngine(run, this.hook, options.templateFor, options.stackSet)
          : perAccount,
    };
  }

  protected engineFor(kind: ConnectionKind): RunEngine {
    return this.engines[kind];
  }

  /**
   * `orgconnect register`: sends the registrations that failed or never happened for connected accounts (Billing
   * first), journaled like a deploy's. A finished run is marked finished again afterwards.
   */
  registerPending(): Promise<RunState> {
    this.assertIdle();
    const candidates = this.snapshot.accounts.filter(
      (account) => account.state === 'connected' && account.registration?.status !== 'registered',
    );
    if (candidates.length === 0 || !this.registration.enabled) return Promise.resolve(this.snapshot);
    const finishedStatus = this.snapshot.status === 'finished' ? this.snapshot.finishedStatus : undefined;
    const pass = (async (): Promise<RunState> => {
      await this.saveSecrets();
      const limit = pLimit(this.context.concurrency);
      // A newer run may have registered the same connection since; it is not sent twice.
      const targets: AccountRunState[] = [];
      for (const account of candidates)
        if (await this.registration.needsRegistration(account)) targets.push(account);
      for (const kind of ['billing', 'resource'] as const) {
        const batch = targets.filter((account) => account.kind === kind);
        await Promise.all(
          batch.map((account) => limit(() => this.hook.recordConnected(account, connectedResult(account)))),
        );
      }
      if (finishedStatus !== undefined && !this.context.stopped) await this.finish(finishedStatus);
      return this.snapshot;
    })();
    return this.track(pass);
  }

  /** No new account starts (in-flight ones finish) until `resume()`. */
  override pause(): Promise<void> {
    return super.pause();
  }

  override resume(): Promise<void> {
    return super.resume();
  }

  /** No new account starts; in-flight ones finish; the rest are recorded cancelled. No-op when nothing runs. */
  override cancel(): Promise<void> {
    return super.cancel();
  }
}

function assertUniqueItems(items: readonly DeployItem[]): void {
  const seen = new Set<string>();
  for (const item of items) {
    const key = connectionKey(item);
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
  return beginRun(
    { ...options, runId, externalId, settings, clock },
    (journal, state) => new DeployRun(journal, state, { externalId }, options, false),
  );
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
  assertRunExternalId(options.runId, state, secrets);
  await ensureDataDirWritable(options.dataDir);
  const journal = await openJournal(options.dataDir, options.runId, options.journal);
  return new DeployRun(journal, state, secrets, options, true);
}
