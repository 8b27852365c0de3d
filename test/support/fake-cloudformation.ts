/**
 * A stateful stand-in for one account's CloudFormation, for what moto cannot do: stacks that stay
 * IN_PROGRESS, creates that roll back, throttling, and credentials that expire. It answers the SDK's own
 * command objects and throws the SDK's own exception type with AWS's error names and messages, so the code
 * under test cannot tell it from the real client. Each status change is driven by scripts:
 *
 *   fake.script('orgconnect-resource', 'create', ['CREATE_IN_PROGRESS', { status: 'CREATE_IN_PROGRESS', forMs: 60_000 }, 'ROLLBACK_COMPLETE'],
 *               { logicalId: 'Role', reason: 'Role already exists' })
 *
 * A string step lasts one DescribeStacks; `{ status, forMs }` lasts until that much (virtual) time has passed.
 */
import { randomUUID } from 'node:crypto';
import { CloudFormationServiceException, type Stack, type StackEvent } from '@aws-sdk/client-cloudformation';
import type { Clock } from '../../main/core/clock.js';
import type { CredentialsProvider } from '../../main/core/onboarding/account-credentials.js';
import type { CloudFormationSender } from '../../main/core/onboarding/stack-deployer.js';

export type ScriptStep = string | { status: string; forMs: number };
export type Operation = 'create' | 'update' | 'delete';

export interface ScriptedFailure {
  logicalId: string;
  resourceType?: string;
  reason: string;
  /** Failures that happen after the root cause (e.g. a DELETE_FAILED during rollback); newer events. */
  later?: { logicalId: string; resourceType?: string; status: string; reason: string }[];
}

interface Script {
  steps: ScriptStep[];
  failure?: ScriptedFailure | undefined;
}

export interface FakeStack {
  stackId: string;
  stackName: string;
  templateBody: string;
  parameters: Record<string, string>;
  tags: Record<string, string>;
  status: string;
  steps: ScriptStep[];
  stepIndex: number;
  stepStartedAt: number;
  failure: ScriptedFailure | undefined;
  operation: Operation;
  events: StackEvent[];
  deleted: boolean;
  shown: boolean;
}

export interface SentCall {
  command: string;
  input: Record<string, unknown>;
  accessKeyId?: string;
}

export function awsError(
  name: string,
  message: string,
  httpStatusCode = 400,
): CloudFormationServiceException {
  return new CloudFormationServiceException({
    name,
    $fault: httpStatusCode >= 500 ? 'server' : 'client',
    message,
    $metadata: { httpStatusCode },
  });
}

export const throttling = (): CloudFormationServiceException => awsError('Throttling', 'Rate exceeded');

const DEFAULT_SCRIPTS: Record<Operation, ScriptStep[]> = {
  create: ['CREATE_IN_PROGRESS', 'CREATE_COMPLETE'],
  update: ['UPDATE_IN_PROGRESS', 'UPDATE_COMPLETE_CLEANUP_IN_PROGRESS', 'UPDATE_COMPLETE'],
  delete: ['DELETE_IN_PROGRESS', 'DELETE_COMPLETE'],
};

export class FakeCloudFormation {
  readonly calls: SentCall[] = [];
  private readonly stacks: FakeStack[] = [];
  private readonly scripts = new Map<string, Script[]>();
  private readonly queuedErrors = new Map<string, Error[]>();
  /** Runs before every command (after the credential check); a test may pause/cancel a run from here. */
  beforeSend: ((command: string, input: Record<string, unknown>) => void | Promise<void>) | undefined;

  constructor(
    readonly accountId: string,
    private readonly clock: Clock,
    private readonly region = 'us-east-1',
  ) {}

  /** The next `operation` on `stackName` follows these steps (scripts queue up, one per operation). */
  script(stackName: string, operation: Operation, steps: ScriptStep[], failure?: ScriptedFailure): this {
    const key = `${stackName}/${operation}`;
    this.scripts.set(key, [...(this.scripts.get(key) ?? []), { steps, failure }]);
    return this;
  }

  /** The next calls of `command` (e.g. 'CreateStack') throw these errors, in order, before doing anything. */
  failNext(command: string, ...errors: Error[]): this {
    this.queuedErrors.set(command, [...(this.queuedErrors.get(command) ?? []), ...errors]);
    return this;
  }

  /** A stack that already exists before the test starts. */
  seed(stack: {
    stackName: string;
    status: string;
    /** Further steps after `status` (e.g. an update that is still running when the test starts). */
    then?: ScriptStep[];
    tags?: Record<string, string>;
    parameters?: Record<string, string>;
    templateBody?: string;
  }): FakeStack {
    const seeded = this.newStack(
      stack.stackName,
      stack.templateBody ?? '{}',
      stack.parameters ?? {},
      stack.tags ?? {},
    );
    seeded.status = stack.status;
    seeded.steps = [stack.status, ...(stack.then ?? [])];
    if (stack.status.startsWith('UPDATE')) seeded.operation = 'update';
    seeded.events.unshift(this.stackEvent(seeded, stack.status));
    return seeded;
  }

  count(command: string): number {
    return this.calls.filter((call) => call.command === command).length;
  }

  live(stackName: string): FakeStack | undefined {
    return this.stacks.find((stack) => stack.stackName === stackName && !stack.deleted);
  }

  /** A client for the code under test; with `credentials`, every call resolves them and rejects expired ones, as AWS does. */
  client(credentials?: CredentialsProvider): CloudFormationSender {
    const send = async (command: {
      input: Record<string, unknown>;
      constructor: { name: string };
    }): Promise<unknown> => {
      const name = command.constructor.name.replace(/Command$/, '');
      const call: SentCall = { command: name, input: command.input };
      this.calls.push(call);
      if (credentials) {
        const identity = await credentials();
        call.accessKeyId = identity.accessKeyId;
        if (identity.expiration && identity.expiration.getTime() <= this.clock.now()) {
          throw awsError('ExpiredToken', 'The security token included in the request is expired');
        }
      }
      await this.beforeSend?.(name, command.input);
      const queued = this.queuedErrors.get(name);
      const error = queued?.shift();
      if (error) throw error;
      return this.handle(name, command.input);
    };
    return { send } as unknown as CloudFormationSender;
  }

  private handle(name: string, input: Record<string, unknown>): unknown {
    const metadata = { $metadata: { httpStatusCode: 200 } };
    switch (name) {
      case 'DescribeStacks': {
        const stack = this.find(String(input['StackName']));
        this.advance(stack);
        return { ...metadata, Stacks: [this.view(stack)] };
      }
      case 'CreateStack': {
        const stackName = String(input['StackName']);
        if (this.live(stackName))
          throw awsError('AlreadyExistsException', `Stack [${stackName}] already exists`);
        const templateBody = String(input['TemplateBody']);
        const capabilities = (input['Capabilities'] as string[] | undefined) ?? [];
        if (
          /AWS::IAM::/.test(templateBody) &&
          !capabilities.some((c) => c === 'CAPABILITY_NAMED_IAM' || c === 'CAPABILITY_IAM')
        ) {
          throw awsError(
            'InsufficientCapabilitiesException',
            'Requires capabilities : [CAPABILITY_NAMED_IAM]',
          );
        }
        const stack = this.newStack(stackName, templateBody, parameterMap(input), tagMap(input));
        this.begin(stack, 'create');
        return { ...metadata, StackId: stack.stackId };
      }
      case 'UpdateStack': {
        const stack = this.find(String(input['StackName']));
        if (stack.deleted)
          throw awsError('ValidationError', `Stack with id ${String(input['StackName'])} does not exist`);
        if (stack.status.endsWith('_IN_PROGRESS')) {
          throw awsError(
            'ValidationError',
            `Stack:${stack.stackId} is in ${stack.status} state and can not be updated.`,
          );
        }
        const templateBody = String(input['TemplateBody']);
        const parameters = parameterMap(input);
        const tags = tagMap(input);
        if (
          templateBody === stack.templateBody &&
          same(parameters, stack.parameters) &&
          same(tags, stack.tags)
        ) {
          throw awsError('ValidationError', 'No updates are to be performed.');
        }
        Object.assign(stack, { templateBody, parameters, tags });
        this.begin(stack, 'update');
        return { ...metadata, StackId: stack.stackId };
      }
      case 'DeleteStack': {
        const stack = this.find(String(input['StackName']));
        if (!stack.deleted) this.begin(stack, 'delete');
        return metadata;
      }
      case 'DescribeStackEvents': {
        const stack = this.find(String(input['StackName']));
        return { ...metadata, StackEvents: [...stack.events] };
      }
      default:
        throw new Error(`FakeCloudFormation does not implement ${name}`);
    }
  }

  private newStack(
    stackName: string,
    templateBody: string,
    parameters: Record<string, string>,
    tags: Record<string, string>,
  ): FakeStack {
    const stack: FakeStack = {
      stackId: `arn:aws:cloudformation:${this.region}:${this.accountId}:stack/${stackName}/${randomUUID()}`,
      stackName,
      templateBody,
      parameters,
      tags,
      status: '',
      steps: [],
      stepIndex: 0,
      stepStartedAt: this.clock.now(),
      failure: undefined,
      operation: 'create',
      events: [],
      deleted: false,
      shown: false,
    };
    this.stacks.push(stack);
    return stack;
  }

  private begin(stack: FakeStack, operation: Operation): void {
    const key = `${stack.stackName}/${operation}`;
    const script = this.scripts.get(key)?.shift() ?? { steps: DEFAULT_SCRIPTS[operation] };
    stack.operation = operation;
    stack.steps = script.steps;
    stack.failure = script.failure;
    stack.stepIndex = 0;
    stack.stepStartedAt = this.clock.now();
    stack.shown = false;
    stack.status = stepStatus(script.steps[0]);
    stack.events.unshift(this.stackEvent(stack, stack.status, 'User Initiated'));
  }

  /** A string step is seen by exactly one DescribeStacks; a timed step lasts until its time has passed. */
  private advance(stack: FakeStack): void {
    const step = stack.steps[stack.stepIndex];
    const last = stack.stepIndex >= stack.steps.length - 1;
    const done =
      typeof step === 'string'
        ? stack.shown
        : step !== undefined && this.clock.now() - stack.stepStartedAt >= step.forMs;
    if (!last && done) {
      stack.stepIndex += 1;
      stack.stepStartedAt = this.clock.now();
      stack.shown = false;
      const status = stepStatus(stack.steps[stack.stepIndex]);
      const terminal = stack.stepIndex === stack.steps.length - 1;
      if (terminal && stack.failure) {
        const failed = `${stack.operation.toUpperCase()}_FAILED`;
        // What real stacks show: the resource that broke, then the others CloudFormation cancelled because of it.
        stack.events.unshift(
          this.resourceEvent(
            stack,
            stack.failure.logicalId,
            stack.failure.resourceType ?? 'AWS::IAM::Role',
            failed,
            stack.failure.reason,
          ),
        );
        stack.events.unshift(
          this.resourceEvent(stack, 'Policy', 'AWS::IAM::Policy', failed, 'Resource creation cancelled'),
        );
        for (const later of stack.failure.later ?? []) {
          stack.events.unshift(
            this.resourceEvent(
              stack,
              later.logicalId,
              later.resourceType ?? 'AWS::IAM::Policy',
              later.status,
              later.reason,
            ),
          );
        }
      }
      stack.status = status;
      stack.events.unshift(this.stackEvent(stack, status));
      if (status === 'DELETE_COMPLETE') stack.deleted = true;
    }
    stack.shown = true;
  }

  private find(nameOrId: string): FakeStack {
    const stack = nameOrId.startsWith('arn:')
      ? this.stacks.find((candidate) => candidate.stackId === nameOrId)
      : this.live(nameOrId);
    if (!stack) throw awsError('ValidationError', `Stack with id ${nameOrId} does not exist`);
    return stack;
  }

  private view(stack: FakeStack): Stack {
    const complete = /_COMPLETE$/.test(stack.status) && !/ROLLBACK|DELETE/.test(stack.status);
    return {
      StackId: stack.stackId,
      StackName: stack.stackName,
      StackStatus: stack.status as Stack['StackStatus'],
      CreationTime: new Date(this.clock.now()),
      // DescribeStacks masks NoEcho parameters; this fake masks ExternalId the same way.
      Parameters: Object.entries(stack.parameters).map(([ParameterKey, value]) => ({
        ParameterKey,
        ParameterValue: ParameterKey === 'ExternalId' ? '****' : value,
      })),
      Tags: Object.entries(stack.tags).map(([Key, Value]) => ({ Key, Value })),
      Outputs: complete
        ? [
            {
              OutputKey: 'RoleArn',
              OutputValue: `arn:aws:iam::${this.accountId}:role/${stack.parameters['RoleName'] ?? 'orgconnect-role'}`,
            },
          ]
        : [],
    };
  }

  private stackEvent(stack: FakeStack, status: string, reason?: string): StackEvent {
    return {
      StackId: stack.stackId,
      StackName: stack.stackName,
      EventId: randomUUID(),
      LogicalResourceId: stack.stackName,
      PhysicalResourceId: stack.stackId,
      ResourceType: 'AWS::CloudFormation::Stack',
      ResourceStatus: status as StackEvent['ResourceStatus'],
      ...(reason === undefined ? {} : { ResourceStatusReason: reason }),
      Timestamp: new Date(this.clock.now()),
    };
  }

  private resourceEvent(
    stack: FakeStack,
    logicalId: string,
    type: string,
    status: string,
    reason: string,
  ): StackEvent {
    return {
      StackId: stack.stackId,
      StackName: stack.stackName,
      EventId: randomUUID(),
      LogicalResourceId: logicalId,
      ResourceType: type,
      ResourceStatus: status as StackEvent['ResourceStatus'],
      ResourceStatusReason: reason,
      Timestamp: new Date(this.clock.now()),
    };
  }
}

function stepStatus(step: ScriptStep | undefined): string {
  if (step === undefined) return 'CREATE_COMPLETE';
  return typeof step === 'string' ? step : step.status;
}

function parameterMap(input: Record<string, unknown>): Record<string, string> {
  const list =
    (input['Parameters'] as { ParameterKey?: string; ParameterValue?: string }[] | undefined) ?? [];
  return Object.fromEntries(list.map((p) => [p.ParameterKey ?? '', p.ParameterValue ?? '']));
}

function tagMap(input: Record<string, unknown>): Record<string, string> {
  const list = (input['Tags'] as { Key?: string; Value?: string }[] | undefined) ?? [];
  return Object.fromEntries(list.map((t) => [t.Key ?? '', t.Value ?? '']));
}

function same(a: Record<string, string>, b: Record<string, string>): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((key) => a[key] === b[key]);
}

/**
 * The STS side of the same fake accounts, for what moto cannot do: credentials that expire on the test's
 * virtual clock (moto stamps real wall-clock expiry) and a missing access role (moto lets anyone assume any
 * role name). Real AssumeRole against moto is covered by the integration tests.
 */
export class FakeSts {
  readonly assumed: string[] = [];
  /** Accounts whose access role is missing: AssumeRole answers AccessDenied, as AWS does. */
  readonly missingRole = new Set<string>();
  private issued = 0;
  private readonly queuedErrors: Error[] = [];
  /** Holds AssumeRole answers until released (to prove concurrent callers share one call). */
  hold: Promise<void> | undefined;

  constructor(
    readonly managementAccountId: string,
    private readonly clock: Clock,
  ) {}

  failNext(...errors: Error[]): this {
    this.queuedErrors.push(...errors);
    return this;
  }

  client(): { send: (command: unknown) => Promise<unknown> } {
    const send = async (command: unknown): Promise<unknown> => {
      const { input, constructor } = command as {
        input: Record<string, unknown>;
        constructor: { name: string };
      };
      if (constructor.name === 'GetCallerIdentityCommand') {
        return {
          Account: this.managementAccountId,
          Arn: `arn:aws:iam::${this.managementAccountId}:user/admin`,
        };
      }
      if (constructor.name !== 'AssumeRoleCommand')
        throw new Error(`FakeSts does not implement ${constructor.name}`);
      const roleArn = String(input['RoleArn']);
      const accountId = roleArn.split(':')[4] ?? '';
      this.assumed.push(accountId);
      if (this.hold) await this.hold;
      const error = this.queuedErrors.shift();
      if (error) throw error;
      if (this.missingRole.has(accountId)) {
        throw awsError(
          'AccessDenied',
          `User: arn:aws:iam::${this.managementAccountId}:user/admin is not authorized to perform: sts:AssumeRole on resource: ${roleArn}`,
          403,
        );
      }
      const n = ++this.issued;
      const seconds = Number(input['DurationSeconds'] ?? 3600);
      return {
        Credentials: {
          AccessKeyId: `ASIA${accountId}${String(n).padStart(4, '0')}`,
          SecretAccessKey: `secret-${n}`,
          SessionToken: `token-${n}`,
          Expiration: new Date(this.clock.now() + seconds * 1000),
        },
      };
    };
    return { send };
  }
}
