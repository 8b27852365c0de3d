/**
 * StackSets: read one, start an operation on it (idempotently, waiting out another running operation), follow
 * an operation to its end, and list its instances. The StackSet deployer is built from these; health and
 * disconnect read StackSets through them too.
 */
import { randomUUID } from 'node:crypto';
import {
  CloudFormationClient,
  DescribeStackSetCommand,
  DescribeStackSetOperationCommand,
  paginateListStackInstances,
  type StackInstanceSummary,
  type StackSet,
  type StackSetOperation,
} from '@aws-sdk/client-cloudformation';
import { awsErrorName } from '../errors.js';
import { backoffDelay, cloudFormationFailure } from './call-with-retry.js';
import { DeployError } from './deploy-error.js';
import { collectPages, pagingClient } from './paging.js';
import { pollUntil, type PollPolicy } from './poll-until.js';
import { callWithRetry, type CloudFormationContext } from './stacks.js';

/** SELF: the caller is the management account. DELEGATED_ADMIN: a registered StackSets delegated administrator. */
export type StackSetCallAs = 'SELF' | 'DELEGATED_ADMIN';

export interface StackSetRef {
  stackSetName: string;
  callAs: StackSetCallAs;
}

const TERMINAL_OPERATION = new Set(['SUCCEEDED', 'FAILED', 'STOPPED']);

export function isOperationEnded(status: string | undefined): boolean {
  return status !== undefined && TERMINAL_OPERATION.has(status);
}

/** The StackSet, or undefined when there is none (or it was deleted). */
export async function describeStackSet(
  context: CloudFormationContext,
  ref: StackSetRef,
): Promise<StackSet | undefined> {
  try {
    const out = await callWithRetry(context, () =>
      context.cloudformation.send(
        new DescribeStackSetCommand({ StackSetName: ref.stackSetName, CallAs: ref.callAs }),
      ),
    );
    return out.StackSet?.Status === 'DELETED' ? undefined : out.StackSet;
  } catch (error) {
    if (awsErrorName(error) === 'StackSetNotFoundException') return undefined;
    throw cloudFormationFailure(error);
  }
}

/** Every instance of the StackSet, through the SDK's paginator. */
export async function listStackInstances(
  context: CloudFormationContext,
  ref: StackSetRef,
): Promise<StackInstanceSummary[]> {
  const client = pagingClient(CloudFormationClient, context.cloudformation, {
    clock: context.clock,
    signal: context.signal,
    policy: context.retry,
    onRetry: context.onRetry,
  });
  try {
    return await collectPages(
      paginateListStackInstances({ client }, { StackSetName: ref.stackSetName, CallAs: ref.callAs }),
      (page) => page.Summaries,
    );
  } catch (error) {
    throw cloudFormationFailure(error);
  }
}

type StartAttempt = { operationId: string } | { busy: true };

/**
 * Runs a write that starts an operation. The OperationId is ours and stays the same across retries, so an
 * answer lost after AWS accepted the request shows up as OperationIdAlreadyExistsException and is adopted
 * instead of starting a second operation. Another operation on the StackSet (one runs at a time) is waited
 * out with backoff until the poll deadline.
 */
export async function startStackSetOperation(
  context: CloudFormationContext,
  input: {
    stackSetName: string;
    /** For messages: "the StackSet update", "adding stack instances". */
    what: string;
    poll: PollPolicy;
    send: (operationId: string) => Promise<{ OperationId?: string | undefined }>;
    onBusy?: (delayMs: number) => void;
  },
): Promise<string> {
  const operationId = randomUUID();
  let nextDelayMs = 0;
  const started = await pollUntil<StartAttempt>({
    read: async () => {
      try {
        const out = await callWithRetry(context, () => input.send(operationId));
        return { operationId: out.OperationId ?? operationId };
      } catch (error) {
        if (awsErrorName(error) === 'OperationIdAlreadyExistsException') return { operationId };
        if (awsErrorName(error) !== 'OperationInProgressException') throw cloudFormationFailure(error);
        return { busy: true };
      }
    },
    done: (attempt) => 'operationId' in attempt,
    clock: context.clock,
    policy: input.poll,
    signal: context.signal,
    delayMs: () => nextDelayMs,
    onWait: (_attempt, attempt) => {
      nextDelayMs = backoffDelay(attempt, input.poll, () => context.clock.random());
      input.onBusy?.(nextDelayMs);
    },
    onTimeout: () => {
      throw new DeployError(
        'STACKSET_BUSY',
        `Another operation on StackSet ${input.stackSetName} kept running; ${input.what} did not start.`,
        {
          fix: 'Wait for the running StackSet operation to finish (CloudFormation console > StackSets > Operations), then retry.',
        },
      );
    },
  });
  return (started as { operationId: string }).operationId;
}

/**
 * Follows the operation until it ends. `onRead` is called after every read (with whether it ended), e.g. to
 * report each account's progress from ListStackInstances.
 */
export async function waitForStackSetOperation(
  context: CloudFormationContext,
  input: StackSetRef & {
    operationId: string;
    poll: PollPolicy;
    onRead?: (operation: StackSetOperation | undefined, ended: boolean) => Promise<void>;
    onWait?: (status: string) => void;
  },
): Promise<StackSetOperation | undefined> {
  const { stackSetName, operationId, callAs } = input;
  const final = await pollUntil<StackSetOperation | undefined>({
    read: async () => {
      let operation: StackSetOperation | undefined;
      try {
        const out = await callWithRetry(context, () =>
          context.cloudformation.send(
            new DescribeStackSetOperationCommand({
              StackSetName: stackSetName,
              OperationId: operationId,
              CallAs: callAs,
            }),
          ),
        );
        operation = out.StackSetOperation;
      } catch (error) {
        throw cloudFormationFailure(error);
      }
      await input.onRead?.(operation, isOperationEnded(operation?.Status));
      return operation;
    },
    done: (operation) => isOperationEnded(operation?.Status),
    clock: context.clock,
    policy: input.poll,
    signal: context.signal,
    onWait: (operation) => input.onWait?.(operation?.Status ?? 'UNKNOWN'),
    onTimeout: (operation) => {
      throw new DeployError(
        'STACKSET_WAIT_TIMEOUT',
        `StackSet ${stackSetName} operation ${operationId} is still ${operation?.Status ?? 'UNKNOWN'}.`,
        {
          fix: 'Let CloudFormation finish, then run the deploy again; it picks the StackSet up where it is.',
          operationId,
        },
      );
    },
  });
  return final;
}
