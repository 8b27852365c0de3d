/**
 * Run control, shared by deploy and disconnect runs: the pass over the accounts (one kind first, then the gate,
 * then the other kind), pause / resume / cancel / stop, and the journal. Every state change is appended to the
 * run's journal (fsynced) *before* anyone is told about it, so what the UI showed is always what a resume reads.
 *
 * What happens to an account is an engine's job (run-engine.ts); run control only decides which accounts an engine
 * gets and when, and gives it a narrow context to record them through.
 *
 * Control: `pause()` starts no new account (in-flight ones finish); `cancel()` starts no new account, in-flight
 * ones finish, the rest become `cancelled`; `stop()` is for a process that must exit now: in-flight waits are
 * aborted and those accounts recorded `unknown` (pending ones stay pending), so a resume reconciles them.
 * A crash is the same as `stop()` without the `unknown` lines: resume treats an unfinished account like `unknown`.
 * Pause and cancel are protected: only the runs whose engines honour them (deploy) make them public.
 */
import { setMaxListeners } from 'node:events';
import { systemClock, type Clock } from '../clock.js';
import { OrgConnectError } from '../errors.js';
import type { RunJournal } from './journal.js';
import { isTerminalState, type ConnectionKind, type DeployItem, type RunEvent } from './run-events.js';
import { deleteRunSecrets, writeRunSecrets, type RunSecrets } from './run-secrets.js';
import { applyRunEvent, type AccountRunState, type RunState } from './run-state.js';
import {
  DEFAULT_CONCURRENCY,
  type AccountChange,
  type AccountProgress,
  type ProgressListener,
  type RunContext,
  type RunEngine,
  type RunEventListener,
} from './run-engine.js';

export interface RunControlOptions {
  dataDir: string;
  /** Default: the run's recorded concurrency, else 8. */
  concurrency?: number;
  clock?: Clock;
  /** Attached before the first event, so a host sees run-started and every planned account. */
  onEvent?: RunEventListener;
  onProgress?: ProgressListener;
}

/** How a kind of run orders its pass. */
export interface RunPolicy {
  /** What RUN_BUSY says the run is busy doing ("deploying"). */
  doing: string;
  /** The kind that goes first; the other kind waits for the gate. */
  first: ConnectionKind;
  /** The code the gate cancels the other kind with; `retryFailed()` runs those accounts again. */
  gateCode: string;
  /** Once the first kind is done: what to record for each account of the other kind instead of running it. */
  holdBack(state: RunState): AccountChange | undefined;
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

export abstract class RunControl {
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
  /** What the engines see of this run. */
  protected readonly context: RunContext;

  protected constructor(
    private readonly journal: RunJournal,
    initial: RunState,
    private readonly secrets: RunSecrets,
    private readonly controlOptions: RunControlOptions,
    resumed: boolean,
    private readonly policy: RunPolicy,
  ) {
    this.state = initial;
    this.clock = controlOptions.clock ?? systemClock;
    // Every in-flight account waits (poll, backoff) on this one signal; dozens of listeners are expected, not a leak.
    setMaxListeners(0, this.abort.signal);
    this.concurrency = Math.max(
      1,
      controlOptions.concurrency ?? initial.settings.concurrency ?? DEFAULT_CONCURRENCY,
    );
    this.needsResumeEvent = resumed;
    this.context = this.engineContext();
    if (controlOptions.onEvent) this.listeners.add(controlOptions.onEvent);
    if (controlOptions.onProgress) this.progressListeners.add(controlOptions.onProgress);
  }

  /** The engine that takes accounts of this kind to a final state. */
  protected abstract engineFor(kind: ConnectionKind): RunEngine;

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

  /** Runs every account not yet in a final state; resolves with the final state. */
  start(): Promise<RunState> {
    this.assertIdle();
    const targets = this.state.accounts.filter((account) => !isTerminalState(account.state));
    if (targets.length === 0 && this.state.status === 'finished') return Promise.resolve(this.state);
    const resumeReason = this.needsResumeEvent ? 'restart' : undefined;
    this.needsResumeEvent = false;
    return this.execute(targets, { force: false, resumeReason });
  }

  /** Runs again the failed accounts and those the gate held back; everything else is left as it is. */
  retryFailed(): Promise<RunState> {
    this.assertIdle();
    const targets = this.state.accounts.filter(
      (account) =>
        account.state === 'failed' ||
        (account.state === 'cancelled' && account.stateCode === this.policy.gateCode),
    );
    if (targets.length === 0) return Promise.resolve(this.state);
    this.needsResumeEvent = false;
    return this.execute(targets, { force: true, resumeReason: 'retry-failed' });
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

  protected async pause(): Promise<void> {
    if (!this.active || this.pauseGate || this.stopped || this.state.cancelRequested) return;
    this.pauseGate = openGate();
    await this.record({ type: 'run-paused', at: this.now(), reason: 'user' });
  }

  protected async resume(): Promise<void> {
    const gate = this.pauseGate;
    if (!gate) return;
    this.pauseGate = undefined;
    await this.record({ type: 'run-resumed', at: this.now(), reason: 'user' });
    gate.release();
  }

  /** No new account starts; in-flight ones finish; the rest are recorded cancelled. No-op when nothing runs. */
  protected async cancel(): Promise<void> {
    if (!this.active || this.state.cancelRequested || this.stopped) return;
    await this.record({ type: 'run-cancel-requested', at: this.now() });
    this.releasePause();
  }

  protected assertIdle(): void {
    if (this.active)
      throw new OrgConnectError('RUN_BUSY', `Run ${this.runId} is already ${this.policy.doing}.`);
    if (this.stopped) {
      throw new OrgConnectError('RUN_STOPPED', `Run ${this.runId} was stopped in this process.`, {
        fix: 'Resume it (it is reconciled with CloudFormation first).',
      });
    }
  }

  /** Rewritten on every pass: a retry after the run finished (secrets deleted) must be resumable too. */
  protected saveSecrets(): Promise<void> {
    return writeRunSecrets(this.controlOptions.dataDir, this.runId, this.secrets);
  }

  /** Journals run-finished and deletes the run's secrets file (a resume would ask for the External ID again). */
  protected async finish(status: 'completed' | 'cancelled'): Promise<void> {
    await this.record({ type: 'run-finished', at: this.now(), status, counts: this.state.counts });
    await deleteRunSecrets(this.controlOptions.dataDir, this.runId);
  }

  /** The pass in flight: `running` is true and a second pass is refused until it settles. */
  protected track(pass: Promise<RunState>): Promise<RunState> {
    this.active = pass;
    const clear = (): void => {
      if (this.active === pass) this.active = undefined;
    };
    pass.then(clear, clear);
    return pass;
  }

  private execute(
    targets: AccountRunState[],
    options: { force: boolean; resumeReason: 'restart' | 'retry-failed' | undefined },
  ): Promise<RunState> {
    const pass = (async (): Promise<RunState> => {
      await this.saveSecrets();
      if (options.resumeReason)
        await this.record({ type: 'run-resumed', at: this.now(), reason: options.resumeReason });
      const { first } = this.policy;
      const second: ConnectionKind = first === 'billing' ? 'resource' : 'billing';
      await this.engineFor(first).run(
        targets.filter((account) => account.kind === first),
        options.force,
      );
      const waiting = targets.filter((account) => account.kind === second);
      if (!this.stopped) {
        const held = this.policy.holdBack(this.state);
        if (held === undefined) await this.engineFor(second).run(waiting, options.force);
        else for (const account of waiting) await this.recordAccount(account, held);
      }
      if (!this.stopped) {
        await this.finish(this.state.cancelRequested ? 'cancelled' : 'completed');
        // A pause that outlived the pass (everything was already in flight) must not block the next pass.
        this.pauseGate = undefined;
      }
      return this.state;
    })();
    return this.track(pass);
  }

  private releasePause(): void {
    const gate = this.pauseGate;
    this.pauseGate = undefined;
    gate?.release();
  }

  private async waitWhilePaused(): Promise<void> {
    while (this.pauseGate && !this.stopped && !this.state.cancelRequested) await this.pauseGate.promise;
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

  private now(): string {
    return new Date(this.clock.now()).toISOString();
  }

  private recordAccount(
    account: Pick<DeployItem, 'accountId' | 'kind'>,
    change: AccountChange,
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
        // A broken listener (a closed window) must not stop the run.
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

  private engineContext(): RunContext {
    const state = (): RunState => this.state;
    const stopped = (): boolean => this.stopped;
    const fatal = (): unknown => this.fatal;
    return {
      get state() {
        return state();
      },
      get stopped() {
        return stopped();
      },
      get fatal() {
        return fatal();
      },
      secrets: this.secrets,
      clock: this.clock,
      signal: this.abort.signal,
      concurrency: this.concurrency,
      recordAccount: (account, change) => this.recordAccount(account, change),
      emitProgress: (progress) => this.emitProgress(progress),
      waitWhilePaused: () => this.waitWhilePaused(),
      pauseForSignIn: (cause) => this.pauseForSignIn(cause),
    };
  }
}
