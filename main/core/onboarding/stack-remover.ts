/**
 * Removes one orgconnect stack and waits for DELETE_COMPLETE. Safe to call again at any moment (after a crash,
 * a stop or a retry): it starts from DescribeStacks, waits out an operation in flight, and treats a stack that is
 * already gone as removed. It refuses a stack without orgconnect's tags, every time it looks.
 */
import type { Stack } from '@aws-sdk/client-cloudformation';
import {
  DeployError,
  deleteStack,
  describeStack,
  stackPhase,
  waitForStack,
  type CloudFormationContext,
  type PollPolicy,
} from '../cloudformation/index.js';
import { stackOwnershipProblem } from './stack-ownership.js';
import type { TemplateKind } from './templates.js';

export interface RemoveStackInput {
  stackName: string;
  kind: TemplateKind;
  accountId: string;
  poll: PollPolicy;
  /** Told once the stack is found and checked, before the delete starts (to journal its id and role). */
  onFound?: (stack: Stack) => Promise<void>;
  onWait?: (status: string | undefined) => void;
}

const MAX_DECISIONS = 4;

/** Reads the stack and checks it is orgconnect's; undefined when there is none. */
export async function ownedStack(
  context: CloudFormationContext,
  input: Pick<RemoveStackInput, 'stackName' | 'kind' | 'accountId'>,
): Promise<Stack | undefined> {
  const stack = await describeStack(context, input.stackName);
  if (stack === undefined) return undefined;
  const problem = stackOwnershipProblem(stack, input.kind, input.accountId);
  if (problem) throw problem;
  return stack;
}

/** Deletes the stack if it exists; resolves once it is gone. */
export async function removeStack(context: CloudFormationContext, input: RemoveStackInput): Promise<void> {
  let told = false;
  for (let decision = 0; decision < MAX_DECISIONS; decision++) {
    const stack = await ownedStack(context, input);
    if (stack === undefined) return;
    if (!told) {
      told = true;
      await input.onFound?.(stack);
    }
    const stackId = stack.StackId ?? input.stackName;
    const wait = {
      stackId,
      stackName: input.stackName,
      poll: input.poll,
      ...(input.onWait ? { onWait: input.onWait } : {}),
    };
    if (stackPhase(stack.StackStatus) === 'in-progress') {
      await waitForStack(context, wait);
      continue;
    }
    await deleteStack(context, wait);
    return;
  }
  throw new DeployError(
    'STACK_DID_NOT_SETTLE',
    `Stack ${input.stackName} in ${input.accountId} kept changing under us.`,
    { fix: 'Another tool may be changing this stack; stop it and retry the failed accounts.' },
  );
}
