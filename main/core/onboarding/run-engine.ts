/**
 * The one interface between run control (run-control.ts: the pass, the gate, pause / cancel / stop, the journal)
 * and what actually takes accounts to a final state: stacks one per account, one StackSet, verifying adopted roles,
 * or removing stacks. An engine records every account it is given through the run's context and never touches the
 * journal, the listeners or the pass itself.
 */
import pLimit from 'p-limit';
import type { Clock } from '../clock.js';
import type { OrgConnectError } from '../errors.js';
import type { CredentialsProvider } from './account-credentials.js';
import type { AccountStateEvent, DeployItem, RunEvent } from './run-events.js';
import type { RunSecrets } from './run-secrets.js';
import type { AccountRunState, RunState } from './run-state.js';
import type { CloudFormationSender, DeployProgress } from './stack-deployer.js';

export const DEFAULT_CONCURRENCY = 8;

export interface AccountProgress extends DeployProgress {
  accountId: string;
  kind: DeployItem['kind'];
}

/** A CloudFormation client for an account; give the provider to the client so it refreshes credentials itself. */
export type CloudFormationFor = (accountId: string, credentials: CredentialsProvider) => CloudFormationSender;

export type RunEventListener = (event: RunEvent, state: RunState) => void;
export type ProgressListener = (progress: AccountProgress) => void;

/** What an account-state event changes; run control adds the type, the time and the account. */
export type AccountChange = Omit<AccountStateEvent, 'type' | 'at' | 'accountId' | 'kind'>;

/** What an engine may see and do of the run it serves; run control implements it. */
export interface RunContext {
  /** The run as folded from its journal so far. */
  readonly state: RunState;
  readonly secrets: RunSecrets;
  readonly clock: Clock;
  /** Aborted by `stop()` or a failed journal write: every wait (poll, backoff) listens to it. */
  readonly signal: AbortSignal;
  readonly concurrency: number;
  readonly stopped: boolean;
  /** A journal write that failed: the run cannot go on, so engines rethrow it instead of recording a failure. */
  readonly fatal: unknown;
  recordAccount(account: Pick<DeployItem, 'accountId' | 'kind'>, change: AccountChange): Promise<void>;
  emitProgress(progress: AccountProgress): void;
  /** Resolves once the run is not paused (or is stopped or cancelling). */
  waitWhilePaused(): Promise<void>;
  /** The management session is gone: the run pauses until the person signs in and resumes. */
  pauseForSignIn(cause: OrgConnectError): Promise<void>;
}

/** Takes the given accounts (all of one kind) to a final state, or as far as a pause, a cancel or a stop lets it. */
export interface RunEngine {
  run(accounts: AccountRunState[], force: boolean): Promise<void>;
}

/** An engine that takes one account at a time, up to the run's concurrency at once. */
export function accountByAccount(
  run: RunContext,
  runAccount: (account: AccountRunState, force: boolean) => Promise<void>,
): RunEngine {
  return {
    async run(accounts, force) {
      const limit = pLimit(run.concurrency);
      await Promise.allSettled(accounts.map((account) => limit(() => runAccount(account, force))));
      if (run.fatal !== undefined) throw run.fatal;
    },
  };
}

/**
 * An account the plan blocked is recorded `failed` with the plan's code and reason on its first attempt (a retry
 * tries it). True when it was recorded.
 */
export async function failedAsBlocked(
  run: RunContext,
  planned: AccountRunState,
  force: boolean,
  defaultReason: string,
): Promise<boolean> {
  if (force || planned.attempt !== 0 || planned.action !== 'blocked') return false;
  await run.recordAccount(planned, {
    state: 'failed',
    code: planned.code ?? 'ACCOUNT_BLOCKED',
    reason: planned.reason ?? defaultReason,
    ...(planned.fix === undefined ? {} : { fix: planned.fix }),
  });
  return true;
}
