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
import { createHash } from 'node:crypto';
import {
  CreateStackCommand,
  DeleteStackCommand,
  DescribeStackEventsCommand,
  DescribeStacksCommand,
  UpdateStackCommand,
  type Capability,
  type CloudFormationClient,
  type Stack,
  type StackEvent,
} from '@aws-sdk/client-cloudformation';
import { OrgConnectError, awsErrorName } from '../errors.js';
import { type Clock } from './clock.js';
import { backoffDelay, cloudFormationFailure, withRetry, type RetryPolicy } from './retry.js';
import { operationResult, stackPhase, type StackOperation } from './stack-status.js';

/** What the deployer needs from a CloudFormation client; the real `CloudFormationClient` is one. */
export type CloudFormationSender = Pick<CloudFormationClient, 'send'>;

export const TEMPLATE_SHA_TAG = 'orgconnect:template-sha256';
export const INPUTS_SHA_TAG = 'orgconnect:inputs-sha256';

export type DeployOutcome = 'created' | 'updated' | 'unchanged';

export interface DeployProgress {
  stackName: string;
  step: 'describe' | 'create' | 'update' | 'delete' | 'wait' | 'retry';
  status?: string;
  message: string;
}

export interface PollPolicy {
  baseMs: number;
  capMs: number;
  /** Give up waiting for one operation after this long (the stack keeps going; a later run reconciles it). */
  timeoutMs: number;
}

/**
 * Each member stack lives in its own account, so polls spend that account's CloudFormation quota, not a shared
 * one: a low cap is affordable. A 20 s IAM stack is seen settled ~1–2 s late (polls at ≈0.75, 2.25, 5.25, 9,
 * 12.75, 16.5, 20.25 s) where a 15 s cap would see it at ≈22.5 s.
 */
export const DEFAULT_POLL_POLICY: PollPolicy = { baseMs: 1000, capMs: 5000, timeoutMs: 60 * 60_000 };

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
}

export interface DeployStackResult {
  outcome: DeployOutcome;
  stackId: string;
  status: string;
  outputs: Record<string, string>;
}

/** A failed deploy: an OrgConnectError that also says which stack (if one exists) to look at. */
export class StackDeployError extends OrgConnectError {
  readonly stackId: string | undefined;
  constructor(
    code: string,
    message: string,
    options: { fix?: string; stackId?: string; cause?: unknown } = {},
  ) {
    super(code, message, options);
    this.name = 'StackDeployError';
    this.stackId = options.stackId;
  }
}

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

function canonicalPairs(record: Readonly<Record<string, string>>): [string, string][] {
  return Object.keys(record)
    .sort()
    .map((key) => [key, record[key] ?? '']);
}

/**
 * The two tags that identify what a stack was deployed with. Exported so the plan can tell "update" from
 * "skip" exactly the way the deployer will.
 */
export function stackInputTags(input: {
  templateBody: string;
  parameters: Readonly<Record<string, string>>;
  tags?: Readonly<Record<string, string>>;
}): Record<string, string> {
  const inputs = JSON.stringify({
    parameters: canonicalPairs(input.parameters),
    tags: canonicalPairs(input.tags ?? {}),
  });
  return { [TEMPLATE_SHA_TAG]: sha256Hex(input.templateBody), [INPUTS_SHA_TAG]: sha256Hex(inputs) };
}

/** True when the stack carries the same input tags (so it was deployed from the same template and inputs). */
export function stackMatchesInputs(stack: Pick<Stack, 'Tags'>, expected: Record<string, string>): boolean {
  const tags = new Map((stack.Tags ?? []).map((tag) => [tag.Key, tag.Value]));
  return (
    tags.get(TEMPLATE_SHA_TAG) === expected[TEMPLATE_SHA_TAG] &&
    tags.get(INPUTS_SHA_TAG) === expected[INPUTS_SHA_TAG]
  );
}

export function stackOutputs(stack: Pick<Stack, 'Outputs'>): Record<string, string> {
  const outputs: Record<string, string> = {};
  for (const output of stack.Outputs ?? []) {
    if (output.OutputKey !== undefined) outputs[output.OutputKey] = output.OutputValue ?? '';
  }
  return outputs;
}

function isMissingStack(error: unknown): boolean {
  return awsErrorName(error) === 'ValidationError' && /does not exist/i.test((error as Error).message ?? '');
}

function isNoUpdates(error: unknown): boolean {
  return (
    awsErrorName(error) === 'ValidationError' &&
    /no updates are to be performed/i.test((error as Error).message ?? '')
  );
}

function isBusy(error: unknown): boolean {
  return (
    awsErrorName(error) === 'ValidationError' &&
    /state and can ?not be updated/i.test((error as Error).message ?? '')
  );
}

/** A fix for the stack-event reasons people actually hit. */
function fixForReason(reason: string): string | undefined {
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

const MAX_DECISIONS = 6;

export async function deployStack(input: DeployStackInput): Promise<DeployStackResult> {
  const { cloudformation, stackName, clock, signal, accountId } = input;
  const poll = { ...DEFAULT_POLL_POLICY, ...input.poll };
  const where = accountId ? ` in ${accountId}` : '';
  const desiredTags = { ...input.tags, ...stackInputTags(input) };
  const tagList = Object.entries(desiredTags).map(([Key, Value]) => ({ Key, Value }));
  const parameterList = Object.entries(input.parameters).map(([ParameterKey, ParameterValue]) => ({
    ParameterKey,
    ParameterValue,
  }));
  const capabilities = input.capabilities ?? ['CAPABILITY_NAMED_IAM'];
  const progress = (step: DeployProgress['step'], message: string, status?: string): void => {
    input.onProgress?.(
      status === undefined ? { stackName, step, message } : { stackName, step, message, status },
    );
  };

  const call = async <T>(operation: () => Promise<T>): Promise<T> =>
    withRetry(operation, {
      clock,
      signal,
      policy: input.retry,
      onRetry: ({ kind, delayMs }) =>
        progress('retry', `${kind} — retrying in ${Math.round(delayMs / 100) / 10} s`),
    });

  const describe = async (nameOrId: string): Promise<Stack | undefined> => {
    try {
      const out = await call(() => cloudformation.send(new DescribeStacksCommand({ StackName: nameOrId })));
      return out.Stacks?.[0];
    } catch (error) {
      if (isMissingStack(error)) return undefined;
      throw cloudFormationFailure(error, accountId);
    }
  };

  /** Polls until the stack leaves *_IN_PROGRESS; returns the settled stack (undefined once deleted). */
  const waitUntilSettled = async (stackId: string): Promise<Stack | undefined> => {
    const deadline = clock.now() + poll.timeoutMs;
    for (let attempt = 0; ; attempt++) {
      const stack = await describe(stackId);
      const status = stack?.StackStatus;
      if (stackPhase(status) !== 'in-progress') return status === 'DELETE_COMPLETE' ? undefined : stack;
      progress('wait', `${status}`, status);
      if (clock.now() >= deadline) {
        throw new StackDeployError('STACK_WAIT_TIMEOUT', `Stack ${stackName}${where} is still ${status}.`, {
          fix: 'Let CloudFormation finish, then retry the failed accounts; the stack is picked up where it is.',
          stackId,
        });
      }
      await clock.sleep(
        backoffDelay(attempt, poll, () => clock.random()),
        signal,
      );
    }
  };

  const failureReason = async (stackId: string, fallback: Stack | undefined): Promise<string> => {
    const window: StackEvent[] = [];
    let nextToken: string | undefined;
    try {
      // Events come newest first; read back to the start of the latest user-initiated operation.
      pages: for (let page = 0; page < 5; page++) {
        const out = await call(() =>
          cloudformation.send(new DescribeStackEventsCommand({ StackName: stackId, NextToken: nextToken })),
        );
        for (const event of out.StackEvents ?? []) {
          window.push(event);
          const isStackStart =
            event.ResourceType === 'AWS::CloudFormation::Stack' &&
            (event.ResourceStatus === 'CREATE_IN_PROGRESS' ||
              event.ResourceStatus === 'UPDATE_IN_PROGRESS') &&
            event.ResourceStatusReason === 'User Initiated';
          if (isStackStart) break pages;
        }
        nextToken = out.NextToken;
        if (!nextToken) break;
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
  };

  /** Waits for `operation` to finish and throws a StackDeployError with the first failing resource if it failed. */
  const finish = async (operation: StackOperation, stackId: string): Promise<Stack | undefined> => {
    const stack = await waitUntilSettled(stackId);
    const status = stack?.StackStatus ?? 'DELETE_COMPLETE';
    if (operationResult(operation, status) === 'succeeded') return stack;
    const reason = await failureReason(stackId, stack);
    const code = {
      create: 'STACK_CREATE_FAILED',
      update: 'STACK_UPDATE_FAILED',
      delete: 'STACK_DELETE_FAILED',
    }[operation];
    const fix = fixForReason(reason);
    throw new StackDeployError(
      code,
      `Stack ${stackName}${where} ${operation} failed (${status}): ${reason}`,
      {
        stackId,
        ...(fix === undefined ? {} : { fix }),
      },
    );
  };

  const result = (outcome: DeployOutcome, stack: Stack): DeployStackResult => ({
    outcome,
    stackId: stack.StackId ?? '',
    status: stack.StackStatus ?? '',
    outputs: stackOutputs(stack),
  });

  for (let decision = 0; decision < MAX_DECISIONS; decision++) {
    progress('describe', 'checking the stack');
    const stack = await describe(stackName);
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
              Parameters: parameterList,
              Capabilities: capabilities,
              Tags: tagList,
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
        throw new StackDeployError(
          'STACK_CREATE_FAILED',
          `Stack ${stackName}${where} vanished while being created.`,
          { stackId },
        );
      return result('created', created);
    }

    const stackId = stack?.StackId ?? stackName;
    if (phase === 'in-progress') {
      progress('wait', `waiting for ${stack?.StackStatus ?? ''} to finish`, stack?.StackStatus);
      await waitUntilSettled(stackId);
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
      throw new StackDeployError(
        'STACK_NEEDS_ATTENTION',
        `Stack ${stackName}${where} is in ${stack?.StackStatus ?? 'an unknown state'} and needs a person.`,
        {
          fix: 'In the CloudFormation console continue the update rollback or delete the stack, then retry the failed accounts.',
          stackId,
        },
      );
    }

    if (stackMatchesInputs(stack, desiredTags)) return result('unchanged', stack);

    progress('update', 'updating the stack');
    try {
      await call(() =>
        cloudformation.send(
          new UpdateStackCommand({
            StackName: stackId,
            TemplateBody: input.templateBody,
            Parameters: parameterList,
            Capabilities: capabilities,
            Tags: tagList,
          }),
        ),
      );
    } catch (error) {
      if (isNoUpdates(error)) return result('unchanged', stack);
      if (isBusy(error)) continue;
      throw cloudFormationFailure(error, accountId);
    }
    const updated = await finish('update', stackId);
    if (updated === undefined)
      throw new StackDeployError(
        'STACK_UPDATE_FAILED',
        `Stack ${stackName}${where} vanished while being updated.`,
        { stackId },
      );
    return result('updated', updated);
  }
  throw new StackDeployError('STACK_DID_NOT_SETTLE', `Stack ${stackName}${where} kept changing under us.`, {
    fix: 'Another tool may be changing this stack; stop it and retry the failed accounts.',
  });
}
