/**
 * Deploys one CloudFormation stack idempotently: look first, then create, update, replace or leave it alone,
 * and wait for the result by polling with backoff. Safe to call again for the same stack at any moment — after
 * a crash, a timeout or a retry — because every decision starts from DescribeStacks.
 *
 * "Unchanged" is decided from two tags the deployer writes on the stack: the sha256 of the template body and
 * the sha256 of the inputs (parameters + caller tags). DescribeStacks masks NoEcho parameters (the External
 * ID) as `****`, so comparing parameter values directly cannot work; a hash can. The hash of a low-entropy
 * External ID could be guessed offline by someone who can read the stack's tags in that account — the same
 * exposure the run journal's fingerprint has, and far less than the template's own parameter.
 */
import {
  CreateStackCommand,
  DeleteStackCommand,
  UpdateStackCommand,
  type Capability,
  type Stack,
} from '@aws-sdk/client-cloudformation';
import { awsErrorName } from '../errors.js';
import { type Clock } from '../clock.js';
import {
  cloudFormationFailure,
  withRetry,
  DEFAULT_POLL_POLICY,
  DeployError,
  describeStack,
  finishStackOperation,
  isNoUpdates,
  isStackBusy,
  parameterList,
  stackInputTags,
  stackMatchesInputs,
  stackOutputs,
  stackPhase,
  tagList,
  waitForStack,
  type CloudFormationContext,
  type CloudFormationSender,
  type PollPolicy,
  type RetryPolicy,
  type StackOperation,
} from '../cloudformation/index.js';

// The deployer's vocabulary lives in core/cloudformation; these keep its callers' imports short.
export {
  DEFAULT_POLL_POLICY,
  INPUTS_SHA_TAG,
  sha256Hex,
  stackInputTags,
  stackMatchesInputs,
  stackOutputs,
  TEMPLATE_SHA_TAG,
  type CloudFormationSender,
  type PollPolicy,
} from '../cloudformation/index.js';
/** The one deploy error type, under the name the stack deployer's callers know. */
export { DeployError as StackDeployError } from '../cloudformation/index.js';

export type DeployOutcome = 'created' | 'updated' | 'unchanged';

export interface DeployProgress {
  stackName: string;
  step: 'describe' | 'create' | 'update' | 'delete' | 'wait' | 'retry';
  status?: string;
  message: string;
}

export interface DeployStackInput {
  cloudformation: CloudFormationSender;
  stackName: string;
  templateBody: string;
  parameters: Readonly<Record<string, string>>;
  tags?: Readonly<Record<string, string>>;
  capabilities?: Capability[];
  clock: Clock;
  signal?: AbortSignal;
  onProgress?: (progress: DeployProgress) => void;
  /** Only for messages ("... in 111122223333"). */
  accountId?: string;
  retry?: Partial<RetryPolicy>;
  poll?: Partial<PollPolicy>;
  /**
   * Delete a stable stack and create it again, even when it matches (sync's repair): CloudFormation does not
   * restore a role changed outside it on an update that changes nothing.
   */
  replace?: boolean;
}

export interface DeployStackResult {
  outcome: DeployOutcome;
  stackId: string;
  status: string;
  outputs: Record<string, string>;
}

const MAX_DECISIONS = 6;

export async function deployStack(input: DeployStackInput): Promise<DeployStackResult> {
  const { cloudformation, stackName, clock, signal, accountId } = input;
  const poll = { ...DEFAULT_POLL_POLICY, ...input.poll };
  const where = accountId ? ` in ${accountId}` : '';
  const desiredTags = { ...input.tags, ...stackInputTags(input) };
  const tags = tagList(desiredTags);
  const parameters = parameterList(input.parameters);
  const capabilities = input.capabilities ?? ['CAPABILITY_NAMED_IAM'];
  const progress = (step: DeployProgress['step'], message: string, status?: string): void => {
    input.onProgress?.(
      status === undefined ? { stackName, step, message } : { stackName, step, message, status },
    );
  };
  const context: CloudFormationContext = {
    cloudformation,
    clock,
    signal,
    retry: input.retry,
    accountId,
    onRetry: ({ kind, delayMs }) =>
      progress('retry', `${kind} — retrying in ${Math.round(delayMs / 100) / 10} s`),
  };
  const call = <T>(operation: () => Promise<T>): Promise<T> =>
    withRetry(operation, { clock, signal, policy: input.retry, onRetry: context.onRetry });
  const waitInput = (stackId: string) => ({
    stackId,
    stackName,
    poll,
    onWait: (status: string | undefined) => progress('wait', `${status}`, status),
  });
  const finish = (operation: StackOperation, stackId: string): Promise<Stack | undefined> =>
    finishStackOperation(context, operation, waitInput(stackId));

  const result = (outcome: DeployOutcome, stack: Stack): DeployStackResult => ({
    outcome,
    stackId: stack.StackId ?? '',
    status: stack.StackStatus ?? '',
    outputs: stackOutputs(stack),
  });

  let replaced = input.replace !== true;
  for (let decision = 0; decision < MAX_DECISIONS; decision++) {
    progress('describe', 'checking the stack');
    const stack = await describeStack(context, stackName);
    const phase = stackPhase(stack?.StackStatus);

    if (phase === 'absent') {
      progress('create', 'creating the stack');
      let stackId: string;
      try {
        const out = await call(() =>
          cloudformation.send(
            new CreateStackCommand({
              StackName: stackName,
              TemplateBody: input.templateBody,
              Parameters: parameters,
              Capabilities: capabilities,
              Tags: tags,
            }),
          ),
        );
        stackId = out.StackId ?? stackName;
      } catch (error) {
        // Someone (another run, or our own earlier attempt whose answer was lost) created it meanwhile.
        if (awsErrorName(error) === 'AlreadyExistsException') continue;
        throw cloudFormationFailure(error, accountId);
      }
      const created = await finish('create', stackId);
      if (created === undefined)
        throw new DeployError(
          'STACK_CREATE_FAILED',
          `Stack ${stackName}${where} vanished while being created.`,
          { stackId },
        );
      return result('created', created);
    }

    const stackId = stack?.StackId ?? stackName;
    if (phase === 'in-progress') {
      progress('wait', `waiting for ${stack?.StackStatus ?? ''} to finish`, stack?.StackStatus);
      await waitForStack(context, waitInput(stackId));
      continue;
    }

    if (phase === 'replaceable') {
      // CloudFormation allows nothing but delete on a create that never succeeded; replace it.
      progress('delete', `replacing a stack left in ${stack?.StackStatus ?? ''}`, stack?.StackStatus);
      try {
        await call(() => cloudformation.send(new DeleteStackCommand({ StackName: stackId })));
      } catch (error) {
        throw cloudFormationFailure(error, accountId);
      }
      await finish('delete', stackId);
      continue;
    }

    if (phase === 'needs-attention' || stack === undefined) {
      throw new DeployError(
        'STACK_NEEDS_ATTENTION',
        `Stack ${stackName}${where} is in ${stack?.StackStatus ?? 'an unknown state'} and needs a person.`,
        {
          fix: 'In the CloudFormation console continue the update rollback or delete the stack, then retry the failed accounts.',
          stackId,
        },
      );
    }

    if (!replaced) {
      replaced = true;
      progress('delete', 'replacing the stack to restore what was changed outside CloudFormation');
      try {
        await call(() => cloudformation.send(new DeleteStackCommand({ StackName: stackId })));
      } catch (error) {
        throw cloudFormationFailure(error, accountId);
      }
      await finish('delete', stackId);
      continue;
    }

    if (stackMatchesInputs(stack, desiredTags)) return result('unchanged', stack);

    progress('update', 'updating the stack');
    try {
      await call(() =>
        cloudformation.send(
          new UpdateStackCommand({
            StackName: stackId,
            TemplateBody: input.templateBody,
            Parameters: parameters,
            Capabilities: capabilities,
            Tags: tags,
          }),
        ),
      );
    } catch (error) {
      if (isNoUpdates(error)) return result('unchanged', stack);
      if (isStackBusy(error)) continue;
      throw cloudFormationFailure(error, accountId);
    }
    const updated = await finish('update', stackId);
    if (updated === undefined)
      throw new DeployError(
        'STACK_UPDATE_FAILED',
        `Stack ${stackName}${where} vanished while being updated.`,
        { stackId },
      );
    return result('updated', updated);
  }
  throw new DeployError('STACK_DID_NOT_SETTLE', `Stack ${stackName}${where} kept changing under us.`, {
    fix: 'Another tool may be changing this stack; stop it and retry the failed accounts.',
  });
}
