/**
 * StackSets mode: the Resource template reaches every member account of the chosen OUs through one
 * service-managed StackSet in the management (or delegated administrator) account, instead of one stack per
 * account through the access role. AWS Organizations deploys it with its own service-linked roles, so members
 * need no access role, and AutoDeployment connects accounts that join those OUs later.
 *
 * The flow: check the inputs against the discovered organization and trusted access (before CloudFormation is
 * called at all), create the StackSet or update it when the template or inputs changed (decided by the same two
 * sha256 tags the stack deployer writes, because DescribeStackSet masks the NoEcho External ID), then
 * CreateStackInstances for the OU targets, and follow each operation with DescribeStackSetOperation while
 * reporting each account's progress from ListStackInstances.
 *
 * The management account never gets an instance: service-managed StackSets do not deploy to it in AWS (its
 * Billing stack stays a direct stack). moto 5.2.5 does deploy there when its OU (the root) is targeted, so any
 * management-account instance is dropped from what is reported and counted in `ignoredManagementInstances`.
 *
 * An operation that ends FAILED or STOPPED is a result, not an exception: the per-account states say which
 * accounts failed and why. Exceptions are for the inputs, preconditions and API errors.
 */
import { randomUUID } from 'node:crypto';
import {
  CreateStackInstancesCommand,
  CreateStackSetCommand,
  UpdateStackSetCommand,
  type StackSetOperationPreferences,
} from '@aws-sdk/client-cloudformation';
import { awsErrorName } from '../errors.js';
import type { Clock } from '../clock.js';
import {
  callWithRetry,
  cloudFormationFailure,
  DEFAULT_POLL_POLICY,
  DeployError,
  describeStackSet,
  followStackSetOperation,
  parameterList,
  StackSetInstanceWatch,
  startStackSetOperation,
  stackInputTags,
  stackMatchesInputs,
  tagList,
  type AccountStateListener,
  type CloudFormationContext,
  type CloudFormationSender,
  type PollPolicy,
  type RetryPolicy,
  type StackSetAccountView,
  type StackSetCallAs,
  type StackSetOperationSummary,
} from '../cloudformation/index.js';
import type { DeployOutcome } from './stack-deployer.js';
import {
  DEFAULT_STACKSET_NAME,
  DEFAULT_STACKSET_PREFERENCES,
  operationPreferences,
  type OrganizationsSender,
  type StackSetPreferences,
  type StackSetTargets,
} from './stackset-inputs.js';
import {
  assertServiceManaged,
  autoDeploymentDrifted,
  checkStackSetPreconditions,
} from './stackset-preconditions.js';

export type { StackSetCallAs, StackSetOperationSummary } from '../cloudformation/index.js';
/** The one deploy error type, under the name the StackSet deployer's callers know. */
export { DeployError as StackSetDeployError } from '../cloudformation/index.js';
export {
  DEFAULT_STACKSET_NAME,
  DEFAULT_STACKSET_PREFERENCES,
  operationPreferences,
  type AccountFilterType,
  type OrganizationsSender,
  type StackSetPreferences,
  type StackSetTargets,
} from './stackset-inputs.js';
export {
  checkStackSetsTrustedAccess,
  checkStackSetTargets,
  STACKSETS_SERVICE_PRINCIPAL,
} from './stackset-preconditions.js';

export interface StackSetProgress {
  step: 'check' | 'create' | 'update' | 'instances' | 'wait' | 'busy' | 'retry';
  message: string;
  operationId?: string;
  status?: string;
}

export interface DeployStackSetInput {
  /** A client in the management account (callAs SELF) or the delegated administrator account. */
  cloudformation: CloudFormationSender;
  /** Same account, for the trusted-access check. */
  organizations: OrganizationsSender;
  stackSetName?: string;
  templateBody: string;
  parameters: Readonly<Record<string, string>>;
  tags?: Readonly<Record<string, string>>;
  targets: StackSetTargets;
  regions: readonly string[];
  preferences?: StackSetPreferences;
  callAs?: StackSetCallAs;
  /** Never reported: AWS does not deploy service-managed instances there (moto does). */
  managementAccountId: string;
  /** The roots and OUs discovery found; every target must be one of them (moto accepts any well-formed id). */
  knownUnits: readonly { id: string }[];
  clock: Clock;
  signal?: AbortSignal;
  /** Called when an account's state changes (first seen, deploying → connected / failed). */
  onAccountState?: AccountStateListener;
  onProgress?: (progress: StackSetProgress) => void;
  retry?: Partial<RetryPolicy>;
  poll?: Partial<PollPolicy>;
}

export interface StackSetDeployResult {
  stackSetId: string;
  /** What happened to the StackSet definition itself; instances are in `accounts`. */
  outcome: DeployOutcome;
  /** SUCCEEDED, FAILED or STOPPED: how the last operation ended. */
  status: string;
  operations: StackSetOperationSummary[];
  accounts: StackSetAccountView[];
  ignoredManagementInstances: number;
}

const MAX_DECISIONS = 4;

export async function deployResourceStackSet(input: DeployStackSetInput): Promise<StackSetDeployResult> {
  const deployment = new StackSetDeployment(input);
  return deployment.run();
}

/** One deploy of the Resource StackSet: the definition first, then the instances for the OU targets. */
class StackSetDeployment {
  private readonly context: CloudFormationContext;
  private readonly ref: { stackSetName: string; callAs: StackSetCallAs };
  private readonly poll: PollPolicy;
  private readonly preferences: StackSetOperationPreferences;
  private readonly desiredTags: Record<string, string>;
  private readonly operations: StackSetOperationSummary[] = [];
  // Per-account reporting from ListStackInstances, without the management account; only changes are told.
  private readonly watch: StackSetInstanceWatch;
  private stackSetId = '';

  constructor(private readonly input: DeployStackSetInput) {
    this.ref = { stackSetName: input.stackSetName ?? DEFAULT_STACKSET_NAME, callAs: input.callAs ?? 'SELF' };
    this.poll = { ...DEFAULT_POLL_POLICY, ...input.poll };
    this.preferences = operationPreferences(input.preferences ?? DEFAULT_STACKSET_PREFERENCES);
    this.desiredTags = { ...input.tags, ...stackInputTags(input) };
    this.context = {
      cloudformation: input.cloudformation,
      clock: input.clock,
      signal: input.signal,
      retry: input.retry,
      onRetry: ({ kind, delayMs }) =>
        this.progress('retry', `${kind} — retrying in ${Math.round(delayMs / 100) / 10} s`),
    };
    this.watch = new StackSetInstanceWatch(
      this.context,
      this.ref,
      input.managementAccountId,
      input.onAccountState,
    );
  }

  async run(): Promise<StackSetDeployResult> {
    const { input } = this;
    await checkStackSetPreconditions({ ...input, callAs: this.ref.callAs }, () =>
      this.progress('check', 'checking trusted access for StackSets'),
    );
    const definition = await this.applyDefinition();
    if (definition.status !== undefined) return this.result(definition.outcome, definition.status);
    const create = await this.createInstances();
    return this.result(definition.outcome, create.status);
  }

  private progress(
    step: StackSetProgress['step'],
    message: string,
    extra: Partial<StackSetProgress> = {},
  ): void {
    this.input.onProgress?.({ step, message, ...extra });
  }

  private result(outcome: DeployOutcome, status: string): StackSetDeployResult {
    return {
      stackSetId: this.stackSetId,
      outcome,
      status,
      operations: this.operations,
      accounts: this.watch.accounts,
      ignoredManagementInstances: this.watch.leftOutInstances,
    };
  }

  private definition() {
    const { input } = this;
    return {
      StackSetName: this.ref.stackSetName,
      TemplateBody: input.templateBody,
      Parameters: parameterList(input.parameters),
      Capabilities: ['CAPABILITY_NAMED_IAM' as const],
      Tags: tagList(this.desiredTags),
      PermissionModel: 'SERVICE_MANAGED' as const,
      // Accounts that join a targeted OU get the role; accounts that leave the organization lose it.
      AutoDeployment: { Enabled: true, RetainStacksOnAccountRemoval: false },
      CallAs: this.ref.callAs,
    };
  }

  /**
   * 1. The StackSet definition: create, update or leave it. `status` is set when an update did not succeed:
   * the template did not apply, and adding instances with it would only spread the failure.
   */
  private async applyDefinition(): Promise<{ outcome: DeployOutcome; status?: string }> {
    const { stackSetName } = this.ref;
    for (let decision = 0; decision < MAX_DECISIONS; decision++) {
      this.progress('check', `looking for StackSet ${stackSetName}`);
      const existing = await describeStackSet(this.context, this.ref);
      if (existing === undefined) {
        this.progress('create', `creating StackSet ${stackSetName}`);
        try {
          const out = await callWithRetry(this.context, () =>
            this.context.cloudformation.send(
              new CreateStackSetCommand({ ...this.definition(), ClientRequestToken: randomUUID() }),
            ),
          );
          this.stackSetId = out.StackSetId ?? stackSetName;
          return { outcome: 'created' };
        } catch (error) {
          // Created meanwhile (another run, or our own request whose answer was lost): look again.
          if (awsErrorName(error) === 'NameAlreadyExistsException') continue;
          throw cloudFormationFailure(error);
        }
      }
      this.stackSetId = existing.StackSetId ?? stackSetName;
      assertServiceManaged(existing, stackSetName);
      if (stackMatchesInputs(existing, this.desiredTags) && !autoDeploymentDrifted(existing)) {
        return { outcome: 'unchanged' };
      }
      this.progress('update', `updating StackSet ${stackSetName} (template or settings changed)`);
      const operationId = await this.startOperation('the StackSet update', (id) =>
        this.context.cloudformation.send(
          new UpdateStackSetCommand({
            ...this.definition(),
            OperationPreferences: this.preferences,
            OperationId: id,
          }),
        ),
      );
      const update = await this.follow(operationId, 'UPDATE');
      return update.status === 'SUCCEEDED'
        ? { outcome: 'updated' }
        : { outcome: 'updated', status: update.status };
    }
    throw new DeployError('STACKSET_DID_NOT_SETTLE', `StackSet ${stackSetName} kept changing under us.`, {
      fix: 'Another tool may be changing this StackSet; stop it and retry.',
    });
  }

  /** 2. Instances for the OU targets. Always asked for: new OUs may be targeted, and AWS skips instances that exist. */
  private async createInstances(): Promise<StackSetOperationSummary> {
    const { input } = this;
    this.progress(
      'instances',
      `deploying to ${input.targets.organizationalUnitIds.length} OU(s) in ${input.regions.join(', ')}`,
    );
    const filter = input.targets.accountFilter;
    const operationId = await this.startOperation('adding stack instances', (id) =>
      this.context.cloudformation.send(
        new CreateStackInstancesCommand({
          StackSetName: this.ref.stackSetName,
          DeploymentTargets: {
            OrganizationalUnitIds: [...input.targets.organizationalUnitIds],
            ...(filter === undefined || filter.type === 'NONE'
              ? {}
              : { AccountFilterType: filter.type, Accounts: [...filter.accounts] }),
          },
          Regions: [...input.regions],
          OperationPreferences: this.preferences,
          OperationId: id,
          CallAs: this.ref.callAs,
        }),
      ),
    );
    return this.follow(operationId, 'CREATE');
  }

  private startOperation(
    what: string,
    send: (operationId: string) => Promise<{ OperationId?: string | undefined }>,
  ): Promise<string> {
    return startStackSetOperation(this.context, {
      stackSetName: this.ref.stackSetName,
      what,
      poll: this.poll,
      send,
      onBusy: (delayMs) =>
        this.progress(
          'busy',
          `another StackSet operation is running; ${what} waits ${Math.round(delayMs / 100) / 10} s`,
        ),
    });
  }

  private async follow(
    operationId: string,
    action: StackSetOperationSummary['action'],
  ): Promise<StackSetOperationSummary> {
    const summary = await followStackSetOperation(this.context, {
      ...this.ref,
      operationId,
      action,
      poll: this.poll,
      watch: this.watch,
      onWait: (status) => this.progress('wait', `${action} operation ${status}`, { operationId, status }),
    });
    this.operations.push(summary);
    return summary;
  }
}
