/**
 * Preflight: before anything is written, prove for each selected account that we can act in it and see what is
 * already there. Per account: obtain credentials (the injected `credentialsFor`, e.g. the access-role cache),
 * then GetCallerIdentity (the credentials work and belong to that account), then three reads at once:
 * iam:GetRole on the role the credentials claim to be (the access role really exists), DescribeStacks for the
 * orgconnect stack (absent is fine), and iam:GetRole on the platform role name (a role by that name outside the
 * stack would make the create fail). The three are independent, so running them together saves two round trips
 * an account; their outcomes are still judged in that order, so when several fail the first one listed is the
 * one reported (a missing access role, then a DescribeStacks failure; the platform role never blocks here).
 *
 * Only reads. Failures are values: each becomes a blocked result with a code, a one-line reason and a fix; one
 * account's trouble never stops the others.
 *
 * Why GetRole on the access role: real STS refuses AssumeRole for a role that does not exist, but an emulator
 * (moto) hands out credentials for any role ARN. Asking IAM in the target account whether the role we are
 * signed in as exists makes "the access role is missing" detectable in both, at the cost of one read. An
 * AccessDenied answer there is not a failure: a narrower access role may lack iam:GetRole, and in real AWS the
 * successful AssumeRole already proved the role exists.
 */
import { GetCallerIdentityCommand, type STSClient } from '@aws-sdk/client-sts';
import { DescribeStacksCommand, type CloudFormationClient, type Stack } from '@aws-sdk/client-cloudformation';
import { GetRoleCommand, type IAMClient } from '@aws-sdk/client-iam';
import pLimit from 'p-limit';
import type { AwsClientFactory } from '../aws/client-factory.js';
import { OrgConnectError, awsErrorName, describeError } from '../errors.js';
import { accessRoleMissing, DEFAULT_ACCESS_ROLE_NAME } from './account-credentials.js';
import { abortedError, systemClock, type Clock } from '../clock.js';
import { withRetry, type RetryPolicy } from './retry.js';

/** Structurally the SDK's AwsCredentialIdentity. */
export interface PreflightCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
  expiration?: Date;
}

/** Structurally the SDK's AwsCredentialIdentityProvider. */
export type PreflightCredentialsProvider = () => Promise<PreflightCredentials>;

export interface PreflightClients {
  sts: Pick<STSClient, 'send'>;
  cloudformation: Pick<CloudFormationClient, 'send'>;
  iam: Pick<IAMClient, 'send'>;
}

/** Builds the clients for one account. They belong to the factory (it may cache them); preflight never destroys them. */
export type PreflightClientFactory = (
  accountId: string,
  credentials: PreflightCredentialsProvider,
) => PreflightClients;

/** The preflight's clients for each account, from the app's client factory (which caches them per account). */
export function preflightClientsFrom(factory: AwsClientFactory): PreflightClientFactory {
  return (accountId, credentials) => ({
    sts: factory.client('STS', { accountKey: accountId, credentials }),
    cloudformation: factory.client('CloudFormation', { accountKey: accountId, credentials }),
    iam: factory.client('IAM', { accountKey: accountId, credentials }),
  });
}

export interface PreflightTarget {
  accountId: string;
  /** The orgconnect stack to look for (orgconnect-billing or orgconnect-resource). */
  stackName: string;
  /** The platform role the stack will create; checked for a same-named role outside the stack. */
  platformRoleName?: string;
}

export interface ExistingStack {
  stackId: string;
  stackName: string;
  status: string;
  statusReason?: string;
  tags: Record<string, string>;
  /** NoEcho parameters (the External ID) come back as `****`. */
  parameters: Record<string, string>;
  outputs: Record<string, string>;
}

export type RoleExistence = 'exists' | 'absent' | 'unknown';

export interface PreflightPassed {
  accountId: string;
  ok: true;
  /** The ARN the credentials act as in this account (not secret; shown to prove which identity is used). */
  identityArn: string;
  /** null when there is no stack by that name. */
  stack: ExistingStack | null;
  platformRole: RoleExistence;
}

export interface PreflightBlocked {
  accountId: string;
  ok: false;
  code: string;
  reason: string;
  fix?: string;
}

export type PreflightResult = PreflightPassed | PreflightBlocked;

export interface PreflightOptions {
  targets: readonly PreflightTarget[];
  credentialsFor: (accountId: string) => Promise<PreflightCredentials | PreflightCredentialsProvider>;
  clientFactory: PreflightClientFactory;
  /** Only for messages when `credentialsFor` fails with a bare AWS error. */
  accessRoleName?: string;
  /** Accounts checked at once; default 8. */
  concurrency?: number;
  signal?: AbortSignal;
  /** Called as each account finishes (progress for the UI). */
  onResult?: (result: PreflightResult) => void;
  /** For the retry waits below; the system clock by default. */
  clock?: Clock;
  retry?: Partial<RetryPolicy>;
}

export const DEFAULT_PREFLIGHT_CONCURRENCY = 8;

const ACCESS_DENIED = new Set(['AccessDenied', 'AccessDeniedException', 'UnauthorizedOperation']);
const REJECTED_CREDENTIALS = new Set([
  'InvalidClientTokenId',
  'ExpiredToken',
  'ExpiredTokenException',
  'SignatureDoesNotMatch',
]);

function blocked(accountId: string, code: string, reason: string, fix?: string): PreflightBlocked {
  return fix === undefined
    ? { accountId, ok: false, code, reason }
    : { accountId, ok: false, code, reason, fix };
}

function fromError(accountId: string, error: OrgConnectError): PreflightBlocked {
  return blocked(accountId, error.code, error.message, error.fix);
}

function isMissingStack(error: unknown): boolean {
  return (
    awsErrorName(error) === 'ValidationError' &&
    /does not exist/i.test(error instanceof Error ? error.message : '')
  );
}

function isNoSuchEntity(error: unknown): boolean {
  const name = awsErrorName(error);
  return name === 'NoSuchEntity' || name === 'NoSuchEntityException';
}

function toRecord<T>(
  items: readonly T[] | undefined,
  key: (item: T) => string | undefined,
  value: (item: T) => string | undefined,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const item of items ?? []) {
    const k = key(item);
    if (k !== undefined) out[k] = value(item) ?? '';
  }
  return out;
}

export function existingStackFrom(stack: Stack): ExistingStack {
  return {
    stackId: stack.StackId ?? '',
    stackName: stack.StackName ?? '',
    status: stack.StackStatus ?? '',
    ...(stack.StackStatusReason === undefined ? {} : { statusReason: stack.StackStatusReason }),
    tags: toRecord(
      stack.Tags,
      (t) => t.Key,
      (t) => t.Value,
    ),
    parameters: toRecord(
      stack.Parameters,
      (p) => p.ParameterKey,
      (p) => p.ParameterValue,
    ),
    outputs: toRecord(
      stack.Outputs,
      (o) => o.OutputKey,
      (o) => o.OutputValue,
    ),
  };
}

/** `arn:aws:sts::111122223333:assumed-role/Name/session` → `Name`; undefined for users and other identities. */
export function assumedRoleName(arn: string): string | undefined {
  const match = /^arn:aws[a-z-]*:sts::\d{12}:assumed-role\/([^/]+)\/[^/]+$/.exec(arn);
  return match?.[1];
}

function credentialsFailure(accountId: string, error: unknown, accessRoleName: string): PreflightBlocked {
  if (error instanceof OrgConnectError) return fromError(accountId, error);
  const name = awsErrorName(error) ?? '';
  if (ACCESS_DENIED.has(name) || isNoSuchEntity(error))
    return fromError(accountId, accessRoleMissing(accountId, accessRoleName, error));
  return blocked(
    accountId,
    'ASSUME_ROLE_FAILED',
    `Could not get credentials for ${accountId}: ${describeError(error)}`,
  );
}

function stackReadFailure(accountId: string, error: unknown): PreflightBlocked {
  if (ACCESS_DENIED.has(awsErrorName(error) ?? '')) {
    return blocked(
      accountId,
      'NO_CLOUDFORMATION_ACCESS',
      `The access role cannot read CloudFormation stacks in ${accountId}.`,
      'Give the access role CloudFormation and IAM permissions in this account (OrganizationAccountAccessRole has them), or choose another access role.',
    );
  }
  return blocked(
    accountId,
    'PREFLIGHT_FAILED',
    `DescribeStacks failed in ${accountId}: ${describeError(error)}`,
  );
}

async function checkAccount(target: PreflightTarget, options: PreflightOptions): Promise<PreflightResult> {
  const { accountId } = target;
  const accessRoleName = options.accessRoleName ?? DEFAULT_ACCESS_ROLE_NAME;
  const send = { abortSignal: options.signal };
  // The SDK's own attempts can run out under sustained throttling; a throttled or 5xx read must not become a
  // "blocked" account (the deployer retries the same way on top of the SDK).
  const retrying = <T>(operation: () => Promise<T>): Promise<T> =>
    withRetry(operation, {
      clock: options.clock ?? systemClock,
      signal: options.signal,
      policy: options.retry,
    });

  let provider: PreflightCredentialsProvider;
  try {
    const obtained = await options.credentialsFor(accountId);
    // Resolve once here so a failing assume-role is reported as such, not as a failed API call later.
    const first = typeof obtained === 'function' ? await obtained() : obtained;
    provider = typeof obtained === 'function' ? obtained : () => Promise.resolve(first);
  } catch (error) {
    return credentialsFailure(accountId, error, accessRoleName);
  }
  const clients = options.clientFactory(accountId, provider);

  let identityArn: string;
  try {
    const identity = await retrying(() => clients.sts.send(new GetCallerIdentityCommand({}), send));
    identityArn = identity.Arn ?? '';
    if (identity.Account !== accountId) {
      return blocked(
        accountId,
        'WRONG_ACCOUNT',
        `The credentials for ${accountId} act in account ${identity.Account ?? 'unknown'}.`,
        'Check the access role name and the credentials source; each account must be reached with its own credentials.',
      );
    }
  } catch (error) {
    const name = awsErrorName(error) ?? '';
    if (REJECTED_CREDENTIALS.has(name)) {
      return blocked(
        accountId,
        'CREDENTIALS_REJECTED',
        `AWS rejected the credentials for ${accountId} (${name}).`,
        'Sign in again, then rerun the preflight.',
      );
    }
    return blocked(
      accountId,
      'PREFLIGHT_FAILED',
      `GetCallerIdentity failed in ${accountId}: ${describeError(error)}`,
    );
  }

  // The three reads need nothing from one another (the access role's name came from GetCallerIdentity), so they
  // run at once: one round trip per account instead of three. Their outcomes are judged below in the header's
  // order, so when several fail the account reports the same failure as when they ran one after another.
  const signedInAs = assumedRoleName(identityArn);
  const platformRoleName = target.platformRoleName;
  const [accessRoleRead, stackRead, platformRoleRead] = await Promise.allSettled([
    signedInAs === undefined
      ? Promise.resolve(undefined)
      : retrying(() => clients.iam.send(new GetRoleCommand({ RoleName: signedInAs }), send)),
    retrying(() =>
      clients.cloudformation.send(new DescribeStacksCommand({ StackName: target.stackName }), send),
    ),
    platformRoleName === undefined
      ? Promise.resolve(undefined)
      : retrying(() => clients.iam.send(new GetRoleCommand({ RoleName: platformRoleName }), send)),
  ]);

  // Only NoSuchEntity says the access role is missing. AccessDenied or anything else cannot tell, and the
  // assume-role itself already vouched for the role.
  if (
    signedInAs !== undefined &&
    accessRoleRead.status === 'rejected' &&
    isNoSuchEntity(accessRoleRead.reason)
  ) {
    return fromError(accountId, accessRoleMissing(accountId, signedInAs, accessRoleRead.reason));
  }

  let stack: ExistingStack | null = null;
  if (stackRead.status === 'fulfilled') {
    const found = stackRead.value.Stacks?.[0];
    stack = found === undefined ? null : existingStackFrom(found);
  } else if (!isMissingStack(stackRead.reason)) {
    return stackReadFailure(accountId, stackRead.reason);
  }

  let platformRole: RoleExistence = 'unknown';
  if (platformRoleName !== undefined) {
    if (platformRoleRead.status === 'fulfilled') platformRole = 'exists';
    else platformRole = isNoSuchEntity(platformRoleRead.reason) ? 'absent' : 'unknown';
  }
  return { accountId, ok: true, identityArn, stack, platformRole };
}

/**
 * Checks every target with bounded concurrency; results come back in target order. Throws only when aborted
 * (CANCELLED_ABORTED); every per-account problem is a blocked result instead.
 */
export async function runPreflight(options: PreflightOptions): Promise<PreflightResult[]> {
  const limit = pLimit(Math.max(1, options.concurrency ?? DEFAULT_PREFLIGHT_CONCURRENCY));
  const results = await Promise.all(
    options.targets.map((target) =>
      limit(async () => {
        if (options.signal?.aborted) throw abortedError();
        let result: PreflightResult;
        try {
          result = await checkAccount(target, options);
        } catch (error) {
          if (options.signal?.aborted) throw abortedError();
          result = blocked(
            target.accountId,
            'PREFLIGHT_FAILED',
            `Preflight failed in ${target.accountId}: ${describeError(error)}`,
          );
        }
        if (options.signal?.aborted) throw abortedError();
        options.onResult?.(result);
        return result;
      }),
    ),
  );
  return results;
}
