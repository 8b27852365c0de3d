/**
 * One account of a disconnect run: check the stack is orgconnect's, delete it (unless the stacks are kept) and wait
 * for DELETE_COMPLETE, then deregister the connection. Every state change goes through `record` (the run journals
 * it); a stop mid-way records the account `unknown` for resume to pick up.
 */
import { cloudFormationFailure, DEFAULT_POLL_POLICY, stackOutputs } from '../cloudformation/index.js';
import type { PollPolicy, RetryPolicy } from '../cloudformation/index.js';
import type { Clock } from '../clock.js';
import { OrgConnectError } from '../errors.js';
import type { AccountCredentials } from './account-credentials.js';
import type { AccountStateEvent, ConnectionKind } from './run-events.js';
import type { AccountRunState } from './run-state.js';
import type { AccountProgress, CloudFormationFor } from './run-engine.js';
import { ownedStack, removeStack } from './stack-remover.js';

/** The connection the platform is told about. */
export interface DisconnectedConnection {
  accountId: string;
  kind: ConnectionKind;
  connectionName: string;
  roleArn: string;
}

export interface DeregisterOutcome {
  /** not-registered: the platform has no such connection (or no registration client is wired); not a failure. */
  status: 'deregistered' | 'not-registered' | 'failed';
  message?: string;
  code?: string;
  fix?: string;
}

export type Deregister = (
  connection: DisconnectedConnection,
  signal: AbortSignal,
) => Promise<DeregisterOutcome>;

export interface DisconnectAccountDeps {
  options: {
    credentialsFor: (accountId: string) => Promise<AccountCredentials>;
    cloudFormationFor: CloudFormationFor;
    deregister: Deregister;
    deploy?: { retry?: Partial<RetryPolicy>; poll?: Partial<PollPolicy> } | undefined;
  };
  clock: Clock;
  signal: AbortSignal;
  /** The account as the run knows it now (attempts, stack id and role ARN recorded so far). */
  current: AccountRunState;
  keepStacks: boolean;
  /** The role ARN the plan read from the stack (a fresh run; resume has it in `current`). */
  planRoleArn: string | undefined;
  record: (change: Omit<AccountStateEvent, 'type' | 'at' | 'accountId' | 'kind'>) => Promise<void>;
  emitProgress: (progress: AccountProgress) => void;
  /** A journal write that failed stops everything: rethrown instead of recorded. */
  fatal: () => unknown;
}

export async function disconnectAccount(
  deps: DisconnectAccountDeps,
  planned: AccountRunState,
): Promise<void> {
  const { accountId, kind } = planned;
  const current = deps.current;
  const attempt = current.attempt + 1;
  const keepStacks = deps.keepStacks || planned.action === 'deregister';
  let stackId = current.stackId;
  let roleArn = current.roleArn ?? deps.planRoleArn;
  const progress = (step: AccountProgress['step'], message: string, status?: string): void =>
    deps.emitProgress({
      accountId,
      kind,
      stackName: planned.stackName,
      step,
      message,
      ...(status === undefined ? {} : { status }),
    });
  // A deregister-only account that cannot be reached (closed, or gone from the Organization) is still
  // deregistered: the platform must stop using the role; the note says the stack was not looked at.
  let unreachableNote: string | undefined;
  try {
    const context = {
      cloudformation: deps.options.cloudFormationFor(accountId, () => deps.options.credentialsFor(accountId)),
      clock: deps.clock,
      signal: deps.signal,
      retry: deps.options.deploy?.retry,
      accountId,
      onRetry: ({ kind: errorKind, delayMs }: { kind: string; delayMs: number }) =>
        progress('retry', `${errorKind} — retrying in ${Math.round(delayMs / 100) / 10} s`),
    };
    const found = (stack: {
      StackId?: string | undefined;
      Outputs?: { OutputKey?: string; OutputValue?: string }[];
    }) => {
      stackId = stack.StackId ?? stackId;
      roleArn = stackOutputs(stack)['RoleArn'] ?? roleArn;
    };
    if (keepStacks) {
      try {
        await deps.options.credentialsFor(accountId);
        const stack = await ownedStack(context, { stackName: planned.stackName, kind, accountId });
        if (stack) found(stack);
      } catch (error) {
        const ownership = error instanceof OrgConnectError && error.code === 'STACK_NOT_ORGCONNECT';
        if (deps.signal.aborted || ownership || roleArn === undefined || deps.fatal() !== undefined)
          throw error;
        unreachableNote = `the stack could not be reached (${errorMessage(error)}); deregistered anyway`;
      }
    } else {
      await deps.options.credentialsFor(accountId);
      await removeStack(context, {
        stackName: planned.stackName,
        kind,
        accountId,
        poll: { ...DEFAULT_POLL_POLICY, ...deps.options.deploy?.poll },
        onFound: async (stack) => {
          found(stack);
          await deps.record({
            state: 'deleting',
            attempt,
            ...(stackId === undefined ? {} : { stackId }),
            ...(roleArn === undefined ? {} : { roleArn }),
          });
        },
        onWait: (status) => progress('wait', `${status}`, status),
      });
    }
    await deps.record({
      state: 'deregistering',
      attempt,
      ...(stackId === undefined ? {} : { stackId }),
      ...(roleArn === undefined ? {} : { roleArn }),
    });
    const outcome = await deregisterSafely(deps, {
      accountId,
      kind,
      connectionName: planned.connectionName,
      roleArn: roleArn ?? '',
    });
    const deregistration = {
      status: outcome.status,
      ...(outcome.message === undefined ? {} : { message: outcome.message }),
    };
    if (deps.signal.aborted) throw new OrgConnectError('CANCELLED_ABORTED', 'Stopped.');
    if (outcome.status === 'failed') {
      await deps.record({
        state: 'failed',
        attempt,
        code: outcome.code ?? 'DEREGISTER_FAILED',
        reason: `${keepStacks ? 'the stack was kept' : 'the stack was deleted'}, but the platform did not deregister the connection: ${outcome.message ?? 'no reason given'}`,
        fix: outcome.fix ?? 'Retry the failed accounts; only the deregistration is repeated.',
        deregistration,
      });
      return;
    }
    const notes = [unreachableNote, outcome.status === 'not-registered' ? outcome.message : undefined].filter(
      (note) => note !== undefined && note !== '',
    );
    await deps.record({
      state: 'disconnected',
      attempt,
      ...(notes.length > 0 ? { reason: notes.join('; ') } : {}),
      deregistration,
    });
  } catch (error) {
    const fatal = deps.fatal();
    if (fatal !== undefined) throw fatal;
    if (deps.signal.aborted) {
      await deps.record({
        state: 'unknown',
        code: 'RUN_STOPPED',
        reason: 'stopped while disconnecting; checked against CloudFormation on resume',
        attempt,
      });
      return;
    }
    const failure = error instanceof OrgConnectError ? error : cloudFormationFailure(error, accountId);
    await deps.record({
      state: 'failed',
      code: failure.code,
      reason: failure.message,
      ...(failure.fix === undefined ? {} : { fix: failure.fix }),
      attempt,
    });
  }
}

/** A deregister that throws is a failed outcome, not a crashed run. */
async function deregisterSafely(
  deps: DisconnectAccountDeps,
  connection: DisconnectedConnection,
): Promise<DeregisterOutcome> {
  try {
    return await deps.options.deregister(connection, deps.signal);
  } catch (error) {
    if (deps.signal.aborted) throw error;
    return {
      status: 'failed',
      message: error instanceof Error ? error.message : String(error),
      ...(error instanceof OrgConnectError
        ? { code: error.code, ...(error.fix ? { fix: error.fix } : {}) }
        : {}),
    };
  }
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
