/**
 * Which AWS errors are worth another try, how long to wait before it, and what a person is told when they are
 * not. Three kinds are retried: throttling, server/network trouble, and IAM eventual consistency (a role or
 * assumed credentials that exist but have not propagated yet — common right after an account or role was
 * created). Everything else fails at once, as a value with a code and a fix.
 */
import { OrgConnectError, awsErrorName, describeError } from '../errors.js';
import { endpointUnreachable, networkFailure } from '../person-error.js';
import type { Clock } from '../clock.js';
import { throwIfAborted } from '../clock.js';

export type ErrorKind = 'throttle' | 'transient' | 'eventual-consistency' | 'fatal';

const THROTTLE_NAMES = new Set([
  'Throttling',
  'ThrottlingException',
  'ThrottledException',
  'TooManyRequestsException',
  'RequestLimitExceeded',
  'RequestThrottled',
  'RequestThrottledException',
  'SlowDown',
  'PriorRequestNotComplete',
]);

const TRANSIENT_NAMES = new Set([
  'InternalFailure',
  'InternalError',
  'InternalServerError',
  'ServiceUnavailable',
  'ServiceUnavailableException',
  'RequestTimeout',
  'RequestTimeoutException',
  'TimeoutError',
]);

// ENOTFOUND is deliberately absent: an unknown host is a wrong endpoint, not a blip.
const NETWORK_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ETIMEDOUT',
  'EPIPE',
  'EAI_AGAIN',
  'ECONNABORTED',
]);

const EVENTUAL_CONSISTENCY_NAMES = new Set(['InvalidClientTokenId', 'UnrecognizedClientException']);

function httpStatus(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null || !('$metadata' in error)) return undefined;
  const metadata = (error as { $metadata: unknown }).$metadata;
  if (typeof metadata !== 'object' || metadata === null || !('httpStatusCode' in metadata)) return undefined;
  const status = (metadata as { httpStatusCode: unknown }).httpStatusCode;
  return typeof status === 'number' ? status : undefined;
}

function errorCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null || !('code' in error)) return undefined;
  const code = (error as { code: unknown }).code;
  return typeof code === 'string' ? code : undefined;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export function classifyAwsError(error: unknown): ErrorKind {
  if (error instanceof OrgConnectError) return 'fatal';
  const name = awsErrorName(error) ?? '';
  const message = messageOf(error);
  const status = httpStatus(error);
  if (THROTTLE_NAMES.has(name) || status === 429 || /rate exceeded/i.test(message)) return 'throttle';
  if (EVENTUAL_CONSISTENCY_NAMES.has(name)) return 'eventual-consistency';
  if (/is not authorized to perform: sts:AssumeRole/i.test(message)) return 'eventual-consistency';
  if (TRANSIENT_NAMES.has(name) || (status !== undefined && status >= 500)) return 'transient';
  const code = errorCode(error);
  if (code !== undefined && NETWORK_CODES.has(code)) return 'transient';
  return 'fatal';
}

export interface BackoffPolicy {
  /** First delay before jitter. */
  baseMs: number;
  /** No delay is ever longer than this. */
  capMs: number;
}

/**
 * Exponential backoff with "equal jitter": half of the exponential step is kept, the other half is random.
 * Keeping half avoids the near-zero waits of full jitter (which would hammer a throttled API); the random half
 * spreads 8 concurrent accounts apart so they do not retry in lock-step.
 */
export function backoffDelay(attempt: number, policy: BackoffPolicy, random: () => number): number {
  const exponential = Math.min(policy.capMs, policy.baseMs * 2 ** Math.max(0, attempt));
  const half = exponential / 2;
  return Math.round(half + random() * half);
}

export interface RetryPolicy extends BackoffPolicy {
  /** Total attempts (first try included) for throttling and server/network errors. */
  maxAttempts: number;
  /** Total attempts for IAM eventual consistency; kept separate because a truly missing role looks the same. */
  eventualConsistencyAttempts: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  baseMs: 1000,
  capMs: 15_000,
  maxAttempts: 6,
  eventualConsistencyAttempts: 4,
};

export interface RetryContext {
  clock: Clock;
  signal?: AbortSignal | undefined;
  policy?: Partial<RetryPolicy> | undefined;
  /** Told about every retry (kind, attempt number just failed, the wait), e.g. for progress messages. */
  onRetry?:
    ((info: { kind: ErrorKind; attempt: number; delayMs: number; error: unknown }) => void) | undefined;
  classify?: ((error: unknown) => ErrorKind) | undefined;
}

/** Runs `operation` until it succeeds, fails with a non-retryable error, or runs out of attempts (last error is thrown). */
export async function withRetry<T>(
  operation: (attempt: number) => Promise<T>,
  context: RetryContext,
): Promise<T> {
  const policy = { ...DEFAULT_RETRY_POLICY, ...context.policy };
  const classify = context.classify ?? classifyAwsError;
  for (let attempt = 1; ; attempt++) {
    throwIfAborted(context.signal);
    try {
      return await operation(attempt);
    } catch (error) {
      const kind = classify(error);
      const limit = kind === 'eventual-consistency' ? policy.eventualConsistencyAttempts : policy.maxAttempts;
      if (kind === 'fatal' || attempt >= limit) throw error;
      const delayMs = backoffDelay(attempt - 1, policy, () => context.clock.random());
      context.onRetry?.({ kind, attempt, delayMs, error });
      await context.clock.sleep(delayMs, context.signal);
    }
  }
}

/**
 * Turns whatever a CloudFormation call threw into the error a person sees. Known causes get a stable code and
 * a fix; the rest keep AWS's own first line.
 */
export function cloudFormationFailure(error: unknown, accountId?: string): OrgConnectError {
  if (error instanceof OrgConnectError) return error;
  const name = awsErrorName(error) ?? '';
  const message = messageOf(error).split('\n')[0] ?? '';
  const where = accountId ? ` in ${accountId}` : '';
  const kind = classifyAwsError(error);
  if (kind === 'throttle') {
    return new OrgConnectError('AWS_THROTTLED', `AWS kept throttling CloudFormation requests${where}.`, {
      fix: 'Lower the concurrency and retry the failed accounts.',
      cause: error,
    });
  }
  // A socket that never reached CloudFormation (refused, DNS, timeout, TLS): name the endpoint and what to check.
  if (networkFailure(error) !== undefined) return endpointUnreachable(error);
  if (kind === 'transient') {
    return new OrgConnectError('AWS_UNAVAILABLE', `CloudFormation could not be reached${where}: ${message}`, {
      fix: 'Check the network connection and retry the failed accounts.',
      cause: error,
    });
  }
  if (kind === 'eventual-consistency' || name === 'ExpiredToken' || name === 'ExpiredTokenException') {
    return new OrgConnectError(
      'CREDENTIALS_INVALID',
      `The credentials for the account${where} were rejected (${name}).`,
      {
        fix: 'Sign in again with the management profile, then retry the failed accounts.',
        cause: error,
      },
    );
  }
  if (
    name === 'AccessDenied' ||
    name === 'AccessDeniedException' ||
    /not authorized to perform: cloudformation:/i.test(message)
  ) {
    return new OrgConnectError(
      'CFN_ACCESS_DENIED',
      `The access role may not use CloudFormation${where}: ${message}`,
      {
        fix: 'Allow cloudformation:* and iam:* on the orgconnect stack and role for the access role in this account (OrganizationAccountAccessRole has this by default), or choose another access role.',
        cause: error,
      },
    );
  }
  if (name === 'InsufficientCapabilitiesException' || /requires capabilities/i.test(message)) {
    return new OrgConnectError(
      'CFN_INSUFFICIENT_CAPABILITIES',
      `CloudFormation refused the template${where}: ${message}`,
      {
        fix: 'The template creates named IAM roles; deploy it with CAPABILITY_NAMED_IAM.',
        cause: error,
      },
    );
  }
  if (name === 'LimitExceededException') {
    return new OrgConnectError(
      'CFN_LIMIT_EXCEEDED',
      `A CloudFormation quota was reached${where}: ${message}`,
      {
        fix: 'Delete unused stacks in this account or request a quota increase, then retry.',
        cause: error,
      },
    );
  }
  if (name === 'ValidationError') {
    return new OrgConnectError('CFN_VALIDATION', `CloudFormation rejected the request${where}: ${message}`, {
      cause: error,
    });
  }
  return new OrgConnectError('AWS_ERROR', `CloudFormation failed${where}: ${describeError(error)}`, {
    cause: error,
  });
}
