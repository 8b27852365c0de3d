/**
 * Stacks: read one, wait for it to settle, explain why an operation failed (from its events), delete one.
 * The stack deployer, disconnect and the health checks all read stacks through these, so "missing", "settled"
 * and "failed because …" mean the same everywhere.
 */
import {
  CloudFormationClient,
  DeleteStackCommand,
  DescribeStacksCommand,
  paginateDescribeStackEvents,
  type Stack,
  type StackEvent,
} from '@aws-sdk/client-cloudformation';
import { awsErrorName } from '../errors.js';
import type { Clock } from '../clock.js';
import { cloudFormationFailure, withRetry, type RetryContext, type RetryPolicy } from './call-with-retry.js';
import { DeployError } from './deploy-error.js';
import { pagingClient } from './paging.js';
import { pollUntil, type PollPolicy } from './poll-until.js';
import { operationResult, stackPhase, type StackOperation } from './stack-status.js';

/** What the layer needs from a CloudFormation client; the real `CloudFormationClient` is one. */
export type CloudFormationSender = Pick<CloudFormationClient, 'send'>;

/** One account's CloudFormation, with how its calls are retried and named in messages. */
export interface CloudFormationContext {
  cloudformation: CloudFormationSender;
  clock: Clock;
  signal?: AbortSignal | undefined;
  retry?: Partial<RetryPolicy> | undefined;
  onRetry?: RetryContext['onRetry'];
  /** Only for messages ("... in 111122223333"). */
  accountId?: string | undefined;
}

function retryContext(context: CloudFormationContext): RetryContext {
  return {
    clock: context.clock,
    signal: context.signal,
    policy: context.retry,
    onRetry: context.onRetry,
  };
}

/** One call, retried on throttling, server trouble and IAM eventual consistency. */
export function callWithRetry<T>(context: CloudFormationContext, operation: () => Promise<T>): Promise<T> {
  return withRetry(operation, retryContext(context));
}

export function where(context: Pick<CloudFormationContext, 'accountId'>): string {
  return context.accountId ? ` in ${context.accountId}` : '';
}

export function isMissingStack(error: unknown): boolean {
  return awsErrorName(error) === 'ValidationError' && /does not exist/i.test((error as Error).message ?? '');
}

export function isNoUpdates(error: unknown): boolean {
  return (
    awsErrorName(error) === 'ValidationError' &&
    /no updates are to be performed/i.test((error as Error).message ?? '')
  );
}

export function isStackBusy(error: unknown): boolean {
  return (
    awsErrorName(error) === 'ValidationError' &&
    /state and can ?not be updated/i.test((error as Error).message ?? '')
  );
}

export function stackOutputs(stack: Pick<Stack, 'Outputs'>): Record<string, string> {
  const outputs: Record<string, string> = {};
  for (const output of stack.Outputs ?? []) {
    if (output.OutputKey !== undefined) outputs[output.OutputKey] = output.OutputValue ?? '';
  }
  return outputs;
}

/** The stack, or undefined when there is none by that name (a deleted stack's id still describes). */
export async function describeStack(
  context: CloudFormationContext,
  nameOrId: string,
): Promise<Stack | undefined> {
  try {
    const out = await callWithRetry(context, () =>
      context.cloudformation.send(new DescribeStacksCommand({ StackName: nameOrId })),
    );
    return out.Stacks?.[0];
  } catch (error) {
    if (isMissingStack(error)) return undefined;
    throw cloudFormationFailure(error, context.accountId);
  }
}

export interface WaitForStackInput {
  stackId: string;
  /** For messages. */
  stackName: string;
  poll: PollPolicy;
  onWait?: (status: string | undefined) => void;
}

/** Polls until the stack leaves *_IN_PROGRESS; returns the settled stack (undefined once deleted). */
export async function waitForStack(
  context: CloudFormationContext,
  input: WaitForStackInput,
): Promise<Stack | undefined> {
  const stack = await pollUntil({
    read: () => describeStack(context, input.stackId),
    done: (found) => stackPhase(found?.StackStatus) !== 'in-progress',
    clock: context.clock,
    policy: input.poll,
    signal: context.signal,
    onWait: (found) => input.onWait?.(found?.StackStatus),
    onTimeout: (found) => {
      throw new DeployError(
        'STACK_WAIT_TIMEOUT',
        `Stack ${input.stackName}${where(context)} is still ${found?.StackStatus}.`,
        {
          fix: 'Let CloudFormation finish, then retry the failed accounts; the stack is picked up where it is.',
          stackId: input.stackId,
        },
      );
    },
  });
  return stack?.StackStatus === 'DELETE_COMPLETE' ? undefined : stack;
}

/** Events are read back at most this many pages (newest first) to find the failing resource. */
const FAILURE_EVENT_PAGES = 5;

/** Why the latest operation on the stack failed: the first failing resource, else the stack's own reason. */
export async function stackFailureReason(
  context: CloudFormationContext,
  stackId: string,
  fallback: Stack | undefined,
): Promise<string> {
  const window: StackEvent[] = [];
  try {
    // Events come newest first; read back to the start of the latest user-initiated operation.
    const client = pagingClient(CloudFormationClient, context.cloudformation, retryContext(context));
    let pages = 0;
    pages: for await (const page of paginateDescribeStackEvents({ client }, { StackName: stackId })) {
      for (const event of page.StackEvents ?? []) {
        window.push(event);
        const isStackStart =
          event.ResourceType === 'AWS::CloudFormation::Stack' &&
          (event.ResourceStatus === 'CREATE_IN_PROGRESS' || event.ResourceStatus === 'UPDATE_IN_PROGRESS') &&
          event.ResourceStatusReason === 'User Initiated';
        if (isStackStart) break pages;
      }
      if (++pages >= FAILURE_EVENT_PAGES) break;
    }
  } catch {
    // The events are only for the message; the failure itself is already known.
  }
  const failed = window.filter(
    (event) =>
      event.ResourceStatus?.endsWith('_FAILED') && !/cancelled/i.test(event.ResourceStatusReason ?? ''),
  );
  const resourceFailures = failed.filter((event) => event.ResourceType !== 'AWS::CloudFormation::Stack');
  const first = resourceFailures.at(-1) ?? failed.at(-1);
  if (first) {
    return `${first.LogicalResourceId ?? '?'} (${first.ResourceType ?? '?'}): ${first.ResourceStatusReason ?? first.ResourceStatus}`;
  }
  return fallback?.StackStatusReason ?? `stack ended in ${fallback?.StackStatus ?? 'an unknown state'}`;
}

/** A fix for the stack-event reasons people actually hit. */
export function fixForReason(reason: string): string | undefined {
  if (/already exists/i.test(reason)) {
    return 'A resource with this name (usually the IAM role) already exists in the account outside this stack; delete it or choose another role name.';
  }
  if (/not authorized to perform: iam:/i.test(reason) || /AccessDenied/i.test(reason)) {
    return 'The access role cannot manage IAM in this account; give it iam:* on the platform role or choose another access role.';
  }
  if (/service control policy|explicit deny/i.test(reason)) {
    return 'A service control policy denies this; exempt the orgconnect stack and role from it.';
  }
  return undefined;
}

const FAILURE_CODES: Readonly<Record<StackOperation, string>> = {
  create: 'STACK_CREATE_FAILED',
  update: 'STACK_UPDATE_FAILED',
  delete: 'STACK_DELETE_FAILED',
};

/** Waits for `operation` to finish; throws a DeployError naming the first failing resource if it failed. */
export async function finishStackOperation(
  context: CloudFormationContext,
  operation: StackOperation,
  input: WaitForStackInput,
): Promise<Stack | undefined> {
  const stack = await waitForStack(context, input);
  const status = stack?.StackStatus ?? 'DELETE_COMPLETE';
  if (operationResult(operation, status) === 'succeeded') return stack;
  const reason = await stackFailureReason(context, input.stackId, stack);
  const fix = fixForReason(reason);
  throw new DeployError(
    FAILURE_CODES[operation],
    `Stack ${input.stackName}${where(context)} ${operation} failed (${status}): ${reason}`,
    { stackId: input.stackId, ...(fix === undefined ? {} : { fix }) },
  );
}

/** Deletes the stack (by id, so a namesake created meanwhile is never touched) and waits for DELETE_COMPLETE. */
export async function deleteStack(context: CloudFormationContext, input: WaitForStackInput): Promise<void> {
  try {
    await callWithRetry(context, () =>
      context.cloudformation.send(new DeleteStackCommand({ StackName: input.stackId })),
    );
  } catch (error) {
    throw cloudFormationFailure(error, context.accountId);
  }
  await finishStackOperation(context, 'delete', input);
}
