/**
 * The per-account flow deploy engines share (a stack per account, or verifying an adopted role): an account the
 * plan skips or blocks is recorded as planned; the others wait out a pause, honour a cancel, are journaled
 * `deploying`, and one attempt's work runs. Its failure is recorded on the account, with two exceptions: a stop
 * records it `unknown` (resume reconciles it), and an expired management session records it `unknown` and
 * pauses the whole run until the person signs in again, then the account goes again.
 */
import { OrgConnectError } from '../errors.js';
import { cloudFormationFailure } from './retry.js';
import { type AccountRunState } from './run-state.js';
import { connectionKey } from './connection-key.js';
import { accountByAccount, failedAsBlocked, type RunContext, type RunEngine } from './run-engine.js';
import type { RegistrationHook } from './registration-hook.js';
import { StackDeployError } from './stack-deployer.js';

/**
 * One attempt at an account already journaled `deploying`: records it connected (through the registration hook)
 * or throws. `noteStackId` keeps the stack id for the failure or `unknown` record if a later step throws.
 */
export type AccountAttempt = (
  planned: AccountRunState,
  attempt: number,
  noteStackId: (stackId: string) => void,
) => Promise<void>;

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

/**
 * Records an account the plan skips (`skipped`) or blocks (`failed`, on its first attempt only) and says so; false
 * when the account is to be deployed.
 */
export async function settleAsPlanned(
  run: RunContext,
  hook: RegistrationHook,
  planned: AccountRunState,
  force: boolean,
): Promise<boolean> {
  if (await hook.skipsAsPlanned(planned, force)) {
    await run.recordAccount(planned, {
      state: 'skipped',
      reason: planned.reason ?? 'already connected as planned',
    });
    return true;
  }
  return failedAsBlocked(run, planned, force, 'blocked by preflight');
}

/** An engine that runs `attempt` for each account, up to the run's concurrency at once. */
export function accountEngine(run: RunContext, hook: RegistrationHook, attempt: AccountAttempt): RunEngine {
  const runAccount = async (planned: AccountRunState, force: boolean): Promise<void> => {
    if (await settleAsPlanned(run, hook, planned, force)) return;
    // Waits out a pause; true when the account is not to go (now): the run stopped, or it is cancelled (recorded).
    const heldBack = async (cancelledReason: string): Promise<boolean> => {
      await run.waitWhilePaused();
      if (run.stopped) return true;
      if (!run.state.cancelRequested) return false;
      await run.recordAccount(planned, {
        state: 'cancelled',
        code: 'RUN_CANCELLED',
        reason: cancelledReason,
      });
      return true;
    };
    if (await heldBack('the run was cancelled before this account started')) return;
    // Loops only when the management session expired mid-deploy: the account waits for a sign-in, then goes again.
    for (;;) {
      const retryAfterSignIn = await attemptAccount(run, planned, attempt);
      if (!retryAfterSignIn) return;
      if (await heldBack('the run was cancelled while it waited for a sign-in')) return;
    }
  };
  return accountByAccount(run, runAccount);
}

/** One attempt at one account. True when it stopped for a sign-in (recorded unknown, run paused). */
async function attemptAccount(
  run: RunContext,
  planned: AccountRunState,
  work: AccountAttempt,
): Promise<boolean> {
  const { accountId } = planned;
  const current =
    run.state.accounts.find((account) => connectionKey(account) === connectionKey(planned)) ?? planned;
  const attempt = current.attempt + 1;
  await run.recordAccount(planned, { state: 'deploying', attempt });
  let stackId: string | undefined;
  try {
    await work(planned, attempt, (id) => {
      stackId = id;
    });
    return false;
  } catch (error) {
    if (run.fatal !== undefined) throw run.fatal;
    if (error instanceof StackDeployError) stackId = error.stackId ?? stackId;
    if (run.signal.aborted) {
      await run.recordAccount(planned, {
        state: 'unknown',
        code: 'RUN_STOPPED',
        reason: 'stopped while deploying; checked against CloudFormation on resume',
        ...(stackId === undefined ? {} : { stackId }),
        attempt,
      });
      return false;
    }
    const signIn = signInRequired(error);
    if (signIn !== undefined && !run.state.cancelRequested) {
      // Not this account's fault: it is unknown (a stack may be in flight; a resume reconciles it) until the
      // person signs in again, and every other account would fail the same way, so the whole run pauses.
      await run.recordAccount(planned, {
        state: 'unknown',
        code: signIn.code,
        reason: `waiting for a sign-in: ${signIn.message}`,
        ...(signIn.fix === undefined ? {} : { fix: signIn.fix }),
        ...(stackId === undefined ? {} : { stackId }),
        attempt,
      });
      await run.pauseForSignIn(signIn);
      return true;
    }
    const failure = error instanceof OrgConnectError ? error : cloudFormationFailure(error, accountId);
    await run.recordAccount(planned, {
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
