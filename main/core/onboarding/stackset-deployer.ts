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
  DescribeStackSetCommand,
  DescribeStackSetOperationCommand,
  ListStackInstancesCommand,
  UpdateStackSetCommand,
  type StackInstanceSummary,
  type StackSet,
  type StackSetOperation,
  type StackSetOperationPreferences,
} from '@aws-sdk/client-cloudformation';
import {
  ListAWSServiceAccessForOrganizationCommand,
  type OrganizationsClient,
} from '@aws-sdk/client-organizations';
import { OrgConnectError, awsErrorName } from '../errors.js';
import type { Clock } from './clock.js';
import { backoffDelay, cloudFormationFailure, withRetry, type RetryPolicy } from './retry.js';
import {
  DEFAULT_POLL_POLICY,
  stackInputTags,
  stackMatchesInputs,
  type CloudFormationSender,
  type DeployOutcome,
  type PollPolicy,
} from './stack-deployer.js';
import {
  accountViews,
  instanceView,
  type StackSetAccountState,
  type StackSetAccountView,
  type StackSetInstanceView,
} from './stackset-status.js';

export const DEFAULT_STACKSET_NAME = 'orgconnect-resource';
/** The principal Organizations lists once "trusted access with AWS Organizations" is on for StackSets. */
export const STACKSETS_SERVICE_PRINCIPAL = 'member.org.stacksets.cloudformation.amazonaws.com';

export type OrganizationsSender = Pick<OrganizationsClient, 'send'>;
/** SELF: the caller is the management account. DELEGATED_ADMIN: a registered StackSets delegated administrator. */
export type StackSetCallAs = 'SELF' | 'DELEGATED_ADMIN';
export type AccountFilterType = 'INTERSECTION' | 'DIFFERENCE' | 'NONE';

export interface StackSetTargets {
  /** OU ids (`ou-…`) or the root id (`r-…`); AWS includes every account below them, nested OUs too. */
  organizationalUnitIds: string[];
  /** INTERSECTION: only these accounts of the OUs; DIFFERENCE: the OUs without these accounts. */
  accountFilter?: { type: AccountFilterType; accounts: string[] };
}

export interface StackSetPreferences {
  /** At most one of maxConcurrentPercentage / maxConcurrentCount. */
  maxConcurrentPercentage?: number;
  maxConcurrentCount?: number;
  /** At most one of failureTolerancePercentage / failureToleranceCount. */
  failureTolerancePercentage?: number;
  failureToleranceCount?: number;
  regionConcurrencyType?: 'SEQUENTIAL' | 'PARALLEL';
  /**
   * STRICT (AWS's default) caps concurrency at failure tolerance + 1 — with tolerance 0 that is one account at a
   * time. SOFT keeps the asked concurrency, which is what makes StackSets fast for large organizations.
   */
  concurrencyMode?: 'STRICT_FAILURE_TOLERANCE' | 'SOFT_FAILURE_TOLERANCE';
}

/**
 * AWS's own defaults (one account at a time, stop at the first failure) would take hours for a thousand
 * accounts. A quarter in parallel with 10% tolerance finishes in a few waves and still stops a template that
 * fails everywhere early.
 */
export const DEFAULT_STACKSET_PREFERENCES: Readonly<StackSetPreferences> = {
  maxConcurrentPercentage: 25,
  failureTolerancePercentage: 10,
  regionConcurrencyType: 'PARALLEL',
  concurrencyMode: 'SOFT_FAILURE_TOLERANCE',
};

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
  onAccountState?: (accountId: string, state: StackSetAccountState, reason?: string) => void;
  onProgress?: (progress: StackSetProgress) => void;
  retry?: Partial<RetryPolicy>;
  poll?: Partial<PollPolicy>;
}

export interface StackSetOperationSummary {
  operationId: string;
  action: 'UPDATE' | 'CREATE';
  status: string;
  statusReason?: string;
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

export class StackSetDeployError extends OrgConnectError {
  readonly operationId: string | undefined;
  constructor(
    code: string,
    message: string,
    options: { fix?: string; operationId?: string; cause?: unknown } = {},
  ) {
    super(code, message, options);
    this.name = 'StackSetDeployError';
    this.operationId = options.operationId;
  }
}

const TERMINAL_OPERATION = new Set(['SUCCEEDED', 'FAILED', 'STOPPED']);
const MAX_DECISIONS = 4;

function invalid(message: string, fix?: string): OrgConnectError {
  return new OrgConnectError('STACKSET_INPUT_INVALID', message, fix === undefined ? {} : { fix });
}

/** The SDK's OperationPreferences, after checking the either/or pairs AWS would reject. */
export function operationPreferences(preferences: StackSetPreferences): StackSetOperationPreferences {
  const p = preferences;
  if (p.maxConcurrentCount !== undefined && p.maxConcurrentPercentage !== undefined)
    throw invalid('Give either maxConcurrentCount or maxConcurrentPercentage, not both.');
  if (p.failureToleranceCount !== undefined && p.failureTolerancePercentage !== undefined)
    throw invalid('Give either failureToleranceCount or failureTolerancePercentage, not both.');
  for (const [name, value] of [
    ['maxConcurrentPercentage', p.maxConcurrentPercentage],
    ['failureTolerancePercentage', p.failureTolerancePercentage],
  ] as const) {
    if (value !== undefined && !(Number.isInteger(value) && value >= 0 && value <= 100))
      throw invalid(`${name} must be a whole number from 0 to 100 (got ${value}).`);
  }
  if (
    p.maxConcurrentCount !== undefined &&
    !(Number.isInteger(p.maxConcurrentCount) && p.maxConcurrentCount >= 1)
  )
    throw invalid(`maxConcurrentCount must be a whole number of at least 1 (got ${p.maxConcurrentCount}).`);
  if (
    p.failureToleranceCount !== undefined &&
    !(Number.isInteger(p.failureToleranceCount) && p.failureToleranceCount >= 0)
  )
    throw invalid(
      `failureToleranceCount must be a whole number of at least 0 (got ${p.failureToleranceCount}).`,
    );
  const out: StackSetOperationPreferences = {};
  if (p.maxConcurrentCount !== undefined) out.MaxConcurrentCount = p.maxConcurrentCount;
  if (p.maxConcurrentPercentage !== undefined) out.MaxConcurrentPercentage = p.maxConcurrentPercentage;
  if (p.failureToleranceCount !== undefined) out.FailureToleranceCount = p.failureToleranceCount;
  if (p.failureTolerancePercentage !== undefined)
    out.FailureTolerancePercentage = p.failureTolerancePercentage;
  if (p.regionConcurrencyType !== undefined) out.RegionConcurrencyType = p.regionConcurrencyType;
  if (p.concurrencyMode !== undefined) out.ConcurrencyMode = p.concurrencyMode;
  return out;
}

/** Checks targets and regions against the discovered organization; pure, so it runs before any AWS call. */
export function checkStackSetTargets(
  targets: StackSetTargets,
  regions: readonly string[],
  knownUnits: readonly { id: string }[],
): void {
  if (targets.organizationalUnitIds.length === 0) {
    throw invalid(
      'A StackSet deploy needs at least one OU (or the root) as a target.',
      'Select one or more OUs.',
    );
  }
  const known = new Set(knownUnits.map((unit) => unit.id));
  const unknown = targets.organizationalUnitIds.filter((id) => !known.has(id));
  if (unknown.length > 0) {
    throw new OrgConnectError(
      'SELECTION_UNKNOWN',
      `Not in the discovered organization: ${unknown.join(', ')}.`,
      {
        fix: 'Discover the organization again and choose OUs from it; an OU may have been moved or deleted.',
      },
    );
  }
  if (regions.length === 0) throw invalid('A StackSet deploy needs at least one Region.');
  const filter = targets.accountFilter;
  if (filter !== undefined) {
    const bad = filter.accounts.filter((id) => !/^\d{12}$/.test(id));
    if (bad.length > 0) throw invalid(`Not AWS account ids: ${bad.join(', ')}.`);
    if (filter.type !== 'NONE' && filter.accounts.length === 0)
      throw invalid(`The ${filter.type} account filter needs at least one account.`);
  }
}

/** Throws STACKSETS_TRUSTED_ACCESS_DISABLED unless Organizations lists StackSets as a trusted service. */
export async function checkStackSetsTrustedAccess(input: {
  organizations: OrganizationsSender;
  callAs: StackSetCallAs;
  clock: Clock;
  signal?: AbortSignal | undefined;
  retry?: Partial<RetryPolicy> | undefined;
}): Promise<void> {
  const principals: string[] = [];
  let nextToken: string | undefined;
  try {
    do {
      const token = nextToken;
      const page = await withRetry(
        () => input.organizations.send(new ListAWSServiceAccessForOrganizationCommand({ NextToken: token })),
        { clock: input.clock, signal: input.signal, policy: input.retry },
      );
      for (const service of page.EnabledServicePrincipals ?? []) {
        if (service.ServicePrincipal) principals.push(service.ServicePrincipal);
      }
      nextToken = page.NextToken;
    } while (nextToken);
  } catch (error) {
    const name = awsErrorName(error);
    // Only the management account may list trusted services. A delegated administrator exists only once trusted
    // access was turned on (registering one requires it), so for it the check is moot; CloudFormation would say so.
    if (name === 'AccessDeniedException' && input.callAs === 'DELEGATED_ADMIN') return;
    if (name === 'AWSOrganizationsNotInUseException') {
      throw new OrgConnectError('ORG_NOT_IN_USE', 'This account is not in an AWS Organization.', {
        fix: 'StackSets mode needs AWS Organizations; use the management account profile or deploy with mode "stacks".',
        cause: error,
      });
    }
    if (name === 'AccessDeniedException') {
      throw new OrgConnectError(
        'ORG_ACCESS_DENIED',
        'Cannot check whether StackSets has trusted access (organizations:ListAWSServiceAccessForOrganization was denied).',
        {
          fix: 'Use the management account profile, or a StackSets delegated administrator with callAs DELEGATED_ADMIN.',
          cause: error,
        },
      );
    }
    throw cloudFormationFailure(error);
  }
  if (!principals.includes(STACKSETS_SERVICE_PRINCIPAL)) {
    throw new OrgConnectError(
      'STACKSETS_TRUSTED_ACCESS_DISABLED',
      'CloudFormation StackSets does not have trusted access to AWS Organizations, so service-managed StackSets cannot deploy.',
      {
        fix: 'In the management account open CloudFormation > StackSets and choose "Activate trusted access" (or run `aws cloudformation activate-organizations-access`), then retry.',
      },
    );
  }
}

function isOperationInProgress(error: unknown): boolean {
  return awsErrorName(error) === 'OperationInProgressException';
}

export async function deployResourceStackSet(input: DeployStackSetInput): Promise<StackSetDeployResult> {
  const { cloudformation, clock, signal } = input;
  const stackSetName = input.stackSetName ?? DEFAULT_STACKSET_NAME;
  const callAs = input.callAs ?? 'SELF';
  const poll = { ...DEFAULT_POLL_POLICY, ...input.poll };
  const preferences = operationPreferences(input.preferences ?? DEFAULT_STACKSET_PREFERENCES);
  checkStackSetTargets(input.targets, input.regions, input.knownUnits);

  const progress = (
    step: StackSetProgress['step'],
    message: string,
    extra: Partial<StackSetProgress> = {},
  ): void => input.onProgress?.({ step, message, ...extra });
  const call = <T>(operation: () => Promise<T>): Promise<T> =>
    withRetry(operation, {
      clock,
      signal,
      policy: input.retry,
      onRetry: ({ kind, delayMs }) =>
        progress('retry', `${kind} — retrying in ${Math.round(delayMs / 100) / 10} s`),
    });

  progress('check', 'checking trusted access for StackSets');
  await checkStackSetsTrustedAccess({
    organizations: input.organizations,
    callAs,
    clock,
    signal,
    retry: input.retry,
  });

  const desiredTags = { ...input.tags, ...stackInputTags(input) };
  const tagList = Object.entries(desiredTags).map(([Key, Value]) => ({ Key, Value }));
  const parameterList = Object.entries(input.parameters).map(([ParameterKey, ParameterValue]) => ({
    ParameterKey,
    ParameterValue,
  }));
  const definition = {
    StackSetName: stackSetName,
    TemplateBody: input.templateBody,
    Parameters: parameterList,
    Capabilities: ['CAPABILITY_NAMED_IAM' as const],
    Tags: tagList,
    PermissionModel: 'SERVICE_MANAGED' as const,
    // Accounts that join a targeted OU get the role; accounts that leave the organization lose it.
    AutoDeployment: { Enabled: true, RetainStacksOnAccountRemoval: false },
    CallAs: callAs,
  };

  const describe = async (): Promise<StackSet | undefined> => {
    try {
      const out = await call(() =>
        cloudformation.send(new DescribeStackSetCommand({ StackSetName: stackSetName, CallAs: callAs })),
      );
      return out.StackSet?.Status === 'DELETED' ? undefined : out.StackSet;
    } catch (error) {
      if (awsErrorName(error) === 'StackSetNotFoundException') return undefined;
      throw cloudFormationFailure(error);
    }
  };

  /**
   * Runs a write that starts an operation. The OperationId is ours and stays the same across retries, so an
   * answer lost after AWS accepted the request shows up as OperationIdAlreadyExistsException and is adopted
   * instead of starting a second operation. Another operation on the StackSet (one runs at a time) is waited
   * out with backoff until the poll deadline.
   */
  const startOperation = async (
    what: string,
    send: (operationId: string) => Promise<{ OperationId?: string | undefined }>,
  ): Promise<string> => {
    const operationId = randomUUID();
    const deadline = clock.now() + poll.timeoutMs;
    for (let attempt = 0; ; attempt++) {
      try {
        const out = await call(() => send(operationId));
        return out.OperationId ?? operationId;
      } catch (error) {
        if (awsErrorName(error) === 'OperationIdAlreadyExistsException') return operationId;
        if (!isOperationInProgress(error)) throw cloudFormationFailure(error);
        if (clock.now() >= deadline) {
          throw new StackSetDeployError(
            'STACKSET_BUSY',
            `Another operation on StackSet ${stackSetName} kept running; ${what} did not start.`,
            {
              fix: 'Wait for the running StackSet operation to finish (CloudFormation console > StackSets > Operations), then retry.',
            },
          );
        }
        const delayMs = backoffDelay(attempt, poll, () => clock.random());
        progress(
          'busy',
          `another StackSet operation is running; ${what} waits ${Math.round(delayMs / 100) / 10} s`,
        );
        await clock.sleep(delayMs, signal);
      }
    }
  };

  // Per-account reporting from ListStackInstances; only changes are told.
  const told = new Map<string, string>();
  let ignoredManagementInstances = 0;
  let lastAccounts: StackSetAccountView[] = [];
  const listInstances = async (): Promise<StackInstanceSummary[]> => {
    const all: StackInstanceSummary[] = [];
    let nextToken: string | undefined;
    do {
      const token = nextToken;
      const page = await call(() =>
        cloudformation.send(
          new ListStackInstancesCommand({ StackSetName: stackSetName, CallAs: callAs, NextToken: token }),
        ),
      ).catch((error: unknown) => {
        throw cloudFormationFailure(error);
      });
      all.push(...(page.Summaries ?? []));
      nextToken = page.NextToken;
    } while (nextToken);
    return all;
  };
  const report = async (operationEnded: boolean): Promise<void> => {
    const summaries = await listInstances();
    const views: StackSetInstanceView[] = [];
    let management = 0;
    for (const summary of summaries) {
      if (summary.Account === input.managementAccountId) {
        management++;
        continue;
      }
      views.push(instanceView(summary, operationEnded));
    }
    ignoredManagementInstances = management;
    lastAccounts = accountViews(views);
    for (const account of lastAccounts) {
      const key = `${account.state}\u0000${account.reason ?? ''}`;
      if (told.get(account.accountId) === key) continue;
      told.set(account.accountId, key);
      input.onAccountState?.(
        account.accountId,
        account.state,
        ...(account.reason === undefined ? [] : [account.reason]),
      );
    }
  };

  const waitForOperation = async (
    operationId: string,
    action: StackSetOperationSummary['action'],
  ): Promise<StackSetOperationSummary> => {
    const deadline = clock.now() + poll.timeoutMs;
    for (let attempt = 0; ; attempt++) {
      let operation: StackSetOperation | undefined;
      try {
        const out = await call(() =>
          cloudformation.send(
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
      const status = operation?.Status ?? 'UNKNOWN';
      const ended = TERMINAL_OPERATION.has(status);
      await report(ended);
      if (ended) {
        return {
          operationId,
          action,
          status,
          ...(operation?.StatusReason ? { statusReason: operation.StatusReason } : {}),
        };
      }
      progress('wait', `${action} operation ${status}`, { operationId, status });
      if (clock.now() >= deadline) {
        throw new StackSetDeployError(
          'STACKSET_WAIT_TIMEOUT',
          `StackSet ${stackSetName} operation ${operationId} is still ${status}.`,
          {
            fix: 'Let CloudFormation finish, then run the deploy again; it picks the StackSet up where it is.',
            operationId,
          },
        );
      }
      await clock.sleep(
        backoffDelay(attempt, poll, () => clock.random()),
        signal,
      );
    }
  };

  // 1. The StackSet definition: create, update or leave it.
  const operations: StackSetOperationSummary[] = [];
  let outcome: DeployOutcome | undefined;
  let stackSetId = '';
  for (let decision = 0; decision < MAX_DECISIONS && outcome === undefined; decision++) {
    progress('check', `looking for StackSet ${stackSetName}`);
    const existing = await describe();
    if (existing === undefined) {
      progress('create', `creating StackSet ${stackSetName}`);
      try {
        const out = await call(() =>
          cloudformation.send(new CreateStackSetCommand({ ...definition, ClientRequestToken: randomUUID() })),
        );
        stackSetId = out.StackSetId ?? stackSetName;
        outcome = 'created';
      } catch (error) {
        // Created meanwhile (another run, or our own request whose answer was lost): look again.
        if (awsErrorName(error) === 'NameAlreadyExistsException') continue;
        throw cloudFormationFailure(error);
      }
      break;
    }
    stackSetId = existing.StackSetId ?? stackSetName;
    if (existing.PermissionModel !== undefined && existing.PermissionModel !== 'SERVICE_MANAGED') {
      throw new StackSetDeployError(
        'STACKSET_PERMISSION_MODEL_CONFLICT',
        `StackSet ${stackSetName} exists with the ${existing.PermissionModel} permission model; orgconnect needs a service-managed one.`,
        {
          fix: `Delete the StackSet ${stackSetName} (its instances first), or choose another StackSet name.`,
        },
      );
    }
    // moto omits AutoDeployment; AWS returns it, and a StackSet with it off would miss new accounts.
    const autoDeployDrifted =
      existing.AutoDeployment !== undefined &&
      (existing.AutoDeployment.Enabled !== true ||
        existing.AutoDeployment.RetainStacksOnAccountRemoval !== false);
    if (stackMatchesInputs(existing, desiredTags) && !autoDeployDrifted) {
      outcome = 'unchanged';
      break;
    }
    progress('update', `updating StackSet ${stackSetName} (template or settings changed)`);
    const operationId = await startOperation('the StackSet update', (id) =>
      cloudformation.send(
        new UpdateStackSetCommand({ ...definition, OperationPreferences: preferences, OperationId: id }),
      ),
    );
    const update = await waitForOperation(operationId, 'UPDATE');
    operations.push(update);
    outcome = 'updated';
    if (update.status !== 'SUCCEEDED') {
      // The template did not apply; adding instances with it would only spread the failure.
      return {
        stackSetId,
        outcome,
        status: update.status,
        operations,
        accounts: lastAccounts,
        ignoredManagementInstances,
      };
    }
  }
  if (outcome === undefined) {
    throw new StackSetDeployError(
      'STACKSET_DID_NOT_SETTLE',
      `StackSet ${stackSetName} kept changing under us.`,
      {
        fix: 'Another tool may be changing this StackSet; stop it and retry.',
      },
    );
  }

  // 2. Instances for the OU targets. Always asked for: new OUs may be targeted, and AWS skips instances that exist.
  progress(
    'instances',
    `deploying to ${input.targets.organizationalUnitIds.length} OU(s) in ${input.regions.join(', ')}`,
  );
  const filter = input.targets.accountFilter;
  const operationId = await startOperation('adding stack instances', (id) =>
    cloudformation.send(
      new CreateStackInstancesCommand({
        StackSetName: stackSetName,
        DeploymentTargets: {
          OrganizationalUnitIds: [...input.targets.organizationalUnitIds],
          ...(filter === undefined || filter.type === 'NONE'
            ? {}
            : { AccountFilterType: filter.type, Accounts: [...filter.accounts] }),
        },
        Regions: [...input.regions],
        OperationPreferences: preferences,
        OperationId: id,
        CallAs: callAs,
      }),
    ),
  );
  const create = await waitForOperation(operationId, 'CREATE');
  operations.push(create);
  return {
    stackSetId,
    outcome,
    status: create.status,
    operations,
    accounts: lastAccounts,
    ignoredManagementInstances,
  };
}
