/**
 * A disconnect run: for every planned account, delete its orgconnect stack (unless `keepStacks`), wait for
 * DELETE_COMPLETE, then deregister the connection from the platform. Resource accounts go first with bounded
 * concurrency; the Billing connection goes last and only once every Resource account of the run is
 * disconnected (else it is recorded cancelled with MEMBERS_NOT_DISCONNECTED and retried with them).
 *
 * Journaled like a deploy run (the same journal, events and fold; `settings.operation` is `disconnect`): every
 * state change is appended and fsynced before anyone is told. States: pending → deleting → deregistering →
 * disconnected (or failed / skipped / cancelled / unknown). Resume re-runs every account not in a final state
 * from DescribeStacks: a stack already gone counts as removed, one still deleting is waited for, and
 * deregistration is asked again (the platform treats a repeated deprovision as done).
 *
 * Deregistration is injected (`deregister`): the run does not know the platform's HTTP API.
 */
import { setMaxListeners } from 'node:events';
import pLimit from 'p-limit';

import type { PollPolicy, RetryPolicy } from '../cloudformation/index.js';
import { systemClock, type Clock } from '../clock.js';
import { OrgConnectError } from '../errors.js';
import type { AccountCredentials } from './account-credentials.js';
import { ensureDataDirWritable } from './data-dir.js';
import { createJournal, newRunId, openJournal, readRunState, type RunJournal } from './journal.js';
import {
  isTerminalState,
  type AccountStateEvent,
  type DeployItem,
  type RunEvent,
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
import type { AccountProgress, CloudFormationFor, ProgressListener, RunEventListener } from './runner.js';
import { DEFAULT_CONCURRENCY } from './runner.js';
import { disconnectAccount, type Deregister } from './disconnect-account.js';

export type { Deregister, DeregisterOutcome, DisconnectedConnection } from './disconnect-account.js';

/** What a disconnect run records; the External ID only as a fingerprint (its secrets file holds it for resume). */
export interface DisconnectSettings {
  platformAccountId: string;
  externalId: string;
  accessRoleName: string;
  accessMode?: 'access-role' | 'identity-center';
  ssoRoleName?: string;
  region: string;
  keepStacks: boolean;
  platformUrl?: string;
}

interface DisconnectEngineOptions {
  dataDir: string;
  credentialsFor: (accountId: string) => Promise<AccountCredentials>;
  cloudFormationFor: CloudFormationFor;
  deregister: Deregister;
  concurrency?: number;
  clock?: Clock;
  onEvent?: RunEventListener;
  onProgress?: ProgressListener;
  deploy?: { retry?: Partial<RetryPolicy>; poll?: Partial<PollPolicy> };
}

export interface StartDisconnectOptions extends DisconnectEngineOptions {
  runId?: string;
  /** Plan items; blocked and skipped ones are journaled too, so the run says why they were left alone. */
  items: readonly (DeployItem & { roleArn?: string })[];
  settings: DisconnectSettings;
  managementAccountId: string;
  profile: string | null;
}

export interface ResumeDisconnectOptions extends DisconnectEngineOptions {
  runId: string;
  /** From `disconnectSecrets`. */
  secrets: RunSecrets;
}

const GATE_CODE = 'MEMBERS_NOT_DISCONNECTED';

export class DisconnectRun {
  private state: RunState;
  private readonly listeners = new Set<RunEventListener>();
  private readonly progressListeners = new Set<ProgressListener>();
  private readonly abort = new AbortController();
  private readonly clock: Clock;
  private readonly concurrency: number;
  private readonly planRoleArns: ReadonlyMap<string, string>;
  private active: Promise<RunState> | undefined;
  private stopped = false;
  private fatal: unknown;
  private needsResumeEvent: boolean;

  /** Use `startDisconnect` or `resumeDisconnect`. */
  constructor(
    private readonly journal: RunJournal,
    initial: RunState,
    private readonly secrets: RunSecrets,
    private readonly options: DisconnectEngineOptions,
    resumed: boolean,
    planRoleArns: ReadonlyMap<string, string> = new Map(),
  ) {
    this.state = initial;
    this.clock = options.clock ?? systemClock;
    setMaxListeners(0, this.abort.signal);
    this.concurrency = Math.max(
      1,
      options.concurrency ?? initial.settings.concurrency ?? DEFAULT_CONCURRENCY,
    );
    this.needsResumeEvent = resumed;
    this.planRoleArns = planRoleArns;
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

  /** Disconnects every account not yet in a final state; resolves with the final state. */
  start(): Promise<RunState> {
    this.assertIdle();
    const targets = this.state.accounts.filter((account) => !isTerminalState(account.state));
    if (targets.length === 0 && this.state.status === 'finished') return Promise.resolve(this.state);
    const resumeReason = this.needsResumeEvent ? 'restart' : undefined;
    this.needsResumeEvent = false;
    return this.execute(targets, { force: false, resumeReason });
  }

  /** Runs again the failed accounts and a Billing connection the member gate held back. */
  retryFailed(): Promise<RunState> {
    this.assertIdle();
    const targets = this.state.accounts.filter(
      (account) =>
        account.state === 'failed' || (account.state === 'cancelled' && account.stateCode === GATE_CODE),
    );
    if (targets.length === 0) return Promise.resolve(this.state);
    this.needsResumeEvent = false;
    return this.execute(targets, { force: true, resumeReason: 'retry-failed' });
  }

  /** For a process that must exit: in-flight accounts become `unknown`; the run stays resumable. */
  async stop(): Promise<RunState> {
    this.stopped = true;
    this.abort.abort();
    if (this.active) await this.active.catch(() => undefined);
    return this.state;
  }

  async close(): Promise<void> {
    if (this.active) await this.stop();
    await this.journal.close();
  }

  private assertIdle(): void {
    if (this.active) throw new OrgConnectError('RUN_BUSY', `Run ${this.runId} is already running.`);
    if (this.stopped) {
      throw new OrgConnectError('RUN_STOPPED', `Run ${this.runId} was stopped in this process.`, {
        fix: 'Resume it (it is reconciled with CloudFormation first).',
      });
    }
  }

  private now(): string {
    return new Date(this.clock.now()).toISOString();
  }

  private execute(
    targets: AccountRunState[],
    options: { force: boolean; resumeReason: 'restart' | 'retry-failed' | undefined },
  ): Promise<RunState> {
    const pass = (async (): Promise<RunState> => {
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
      await runAll(targets.filter((account) => account.kind === 'resource'));
      const billing = targets.filter((account) => account.kind === 'billing');
      if (!this.stopped && billing.length > 0) {
        const holding = this.state.accounts.filter(
          (account) =>
            account.kind === 'resource' && account.state !== 'disconnected' && account.state !== 'skipped',
        );
        if (holding.length === 0) await runAll(billing);
        else {
          for (const account of billing) {
            await this.recordAccount(account, {
              state: 'cancelled',
              code: GATE_CODE,
              reason: `${holding.length} member account(s) of this run are not disconnected (e.g. ${holding[0]?.accountId}); the Billing connection goes last`,
              fix: 'Fix the failed member accounts, then retry the failed accounts; the Billing connection is retried with them.',
            });
          }
        }
      }
      if (!this.stopped) {
        await this.record({
          type: 'run-finished',
          at: this.now(),
          status: 'completed',
          counts: this.state.counts,
        });
        await deleteRunSecrets(this.options.dataDir, this.runId);
      }
      return this.state;
    })();
    this.active = pass;
    const clear = (): void => {
      if (this.active === pass) this.active = undefined;
    };
    pass.then(clear, clear);
    return pass;
  }

  private async runAccount(planned: AccountRunState, force: boolean): Promise<void> {
    if (this.stopped) return;
    if (!force && planned.attempt === 0 && planned.action === 'skip') {
      await this.recordAccount(planned, { state: 'skipped', reason: planned.reason ?? 'nothing to remove' });
      return;
    }
    if (!force && planned.attempt === 0 && planned.action === 'blocked') {
      await this.recordAccount(planned, {
        state: 'failed',
        code: planned.code ?? 'ACCOUNT_BLOCKED',
        reason: planned.reason ?? 'blocked by the plan',
        ...(planned.fix === undefined ? {} : { fix: planned.fix }),
      });
      return;
    }
    await this.disconnectAccount(planned);
  }

  private disconnectAccount(planned: AccountRunState): Promise<void> {
    return disconnectAccount(
      {
        options: this.options,
        clock: this.clock,
        signal: this.abort.signal,
        current:
          this.state.accounts.find((account) => accountKey(account) === accountKey(planned)) ?? planned,
        keepStacks: this.state.settings.keepStacks === true || planned.action === 'deregister',
        planRoleArn: this.planRoleArns.get(accountKey(planned)),
        record: (change) => this.recordAccount(planned, change),
        emitProgress: (progress) => this.emitProgress(progress),
        fatal: () => this.fatal,
      },
      planned,
    );
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

  /** Journal first, then state, then listeners (as in a deploy run). */
  private async record(event: RunEvent): Promise<void> {
    try {
      await this.journal.append(event);
    } catch (error) {
      this.fatal ??= error;
      this.stopped = true;
      this.abort.abort();
      throw this.fatal;
    }
    this.state = applyRunEvent(this.state, event);
    for (const listener of this.listeners) {
      try {
        listener(event, this.state);
      } catch {
        // A broken listener must not stop the run.
      }
    }
  }

  private emitProgress(progress: AccountProgress): void {
    for (const listener of this.progressListeners) {
      try {
        listener(progress);
      } catch {
        // Progress is best effort.
      }
    }
  }
}

/** Journals a new disconnect run for a plan the user has seen, ready to `start()`. */
export async function startDisconnect(options: StartDisconnectOptions): Promise<DisconnectRun> {
  const clock = options.clock ?? systemClock;
  await ensureDataDirWritable(options.dataDir);
  const runId = options.runId ?? newRunId(clock);
  const { externalId, keepStacks, ...rest } = options.settings;
  const settings: RunSettingsRecord = {
    ...rest,
    ...externalIdFingerprint(externalId),
    concurrency: Math.max(1, options.concurrency ?? DEFAULT_CONCURRENCY),
    operation: 'disconnect',
    keepStacks,
  };
  const journal = await createJournal(options.dataDir, runId);
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
    const roleArns = new Map<string, string>();
    for (const { roleArn, ...item } of options.items) {
      if (roleArn) roleArns.set(accountKey(item), roleArn);
      const planned: RunEvent = { ...item, type: 'account-planned', at };
      await journal.append(planned);
      state = applyRunEvent(state, planned);
      options.onEvent?.(planned, state);
    }
    return new DisconnectRun(journal, state, { externalId }, options, false, roleArns);
  } catch (error) {
    await journal.close().catch(() => undefined);
    throw error;
  }
}

/** Picks a disconnect run up after a crash or a stop; `start()` reconciles every unfinished account first. */
export async function resumeDisconnect(options: ResumeDisconnectOptions): Promise<DisconnectRun> {
  const state = await readRunState(options.dataDir, options.runId);
  if (state.settings.operation !== 'disconnect') {
    throw new OrgConnectError(
      'RUN_NOT_DISCONNECT',
      `Run ${options.runId} is a deploy run, not a disconnect.`,
    );
  }
  await ensureDataDirWritable(options.dataDir);
  const journal = await openJournal(options.dataDir, options.runId);
  return new DisconnectRun(journal, state, options.secrets, options, true);
}

/**
 * The External ID a run was started with: from its secrets file, or `externalId` (when that file is gone, e.g.
 * after the run finished) checked against the journal's fingerprint.
 */
export async function disconnectSecrets(
  dataDir: string,
  state: RunState,
  externalId: string | undefined,
): Promise<RunSecrets> {
  const secrets = externalId === undefined ? await readRunSecrets(dataDir, state.runId) : { externalId };
  if (externalIdFingerprint(secrets.externalId).externalIdSha256 !== state.settings.externalIdSha256) {
    throw new OrgConnectError(
      'RUN_SECRET_MISMATCH',
      `That is not the External ID run ${state.runId} was started with.`,
      {
        fix: `Enter the External ID ending in "${state.settings.externalIdLast4}".`,
      },
    );
  }
  return secrets;
}
