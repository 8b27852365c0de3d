/**
 * Turns what an Organizations or STS call threw during discovery into the error a person sees: a stable code,
 * one line naming the exact call, and the fix.
 */
import { awsErrorName, describeError, OrgConnectError } from '../errors.js';

/** Who is asking, as far as discovery knows it when the call fails. */
export interface CallerContext {
  arn: string;
  accountId: string;
  /** Known once DescribeOrganization answered. */
  organizationId?: string;
  isManagementAccount?: boolean;
}

export const ORG_ACCESS_FIX =
  'Use a profile of the management account or of a delegated administrator for AWS Organizations, with organizations:Describe*/List* permissions.';

export function abortedError(): OrgConnectError {
  // Same code the onboarding runner uses, so hosts treat every user-initiated stop alike.
  return new OrgConnectError('CANCELLED_ABORTED', 'Stopped before the operation finished.');
}

function httpStatusOf(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null || !('$metadata' in error)) return undefined;
  const metadata = (error as { $metadata: unknown }).$metadata;
  if (typeof metadata !== 'object' || metadata === null || !('httpStatusCode' in metadata)) return undefined;
  const status = (metadata as { httpStatusCode: unknown }).httpStatusCode;
  return typeof status === 'number' ? status : undefined;
}

function attemptsOf(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null || !('$metadata' in error)) return undefined;
  const metadata = (error as { $metadata: unknown }).$metadata;
  if (typeof metadata !== 'object' || metadata === null || !('attempts' in metadata)) return undefined;
  const attempts = (metadata as { attempts: unknown }).attempts;
  return typeof attempts === 'number' ? attempts : undefined;
}

/**
 * Organizations answers AccessDeniedException (HTTP 400). A 403 means the same whatever its body says: moto,
 * when it enforces IAM policies, answers 403 with an XML body the JSON protocol cannot parse, and a proxy may
 * answer 403 with HTML.
 */
export function isAccessDenied(error: unknown): boolean {
  const name = awsErrorName(error);
  return name === 'AccessDeniedException' || name === 'AccessDenied' || httpStatusOf(error) === 403;
}

export function isThrottled(error: unknown): boolean {
  const name = awsErrorName(error);
  return name === 'TooManyRequestsException' || name === 'ThrottlingException' || httpStatusOf(error) === 429;
}

function isAbort(error: unknown, signal: AbortSignal | undefined): boolean {
  return signal?.aborted === true || awsErrorName(error) === 'AbortError';
}

/** A failed `organizations:<action>` call, as the error discovery throws. */
export function organizationsFailure(
  error: unknown,
  action: string,
  caller: CallerContext,
  signal?: AbortSignal,
): OrgConnectError {
  if (error instanceof OrgConnectError) return error;
  if (isAbort(error, signal)) return abortedError();
  const name = awsErrorName(error);
  if (name === 'AWSOrganizationsNotInUseException') {
    return new OrgConnectError(
      'NOT_IN_ORGANIZATION',
      `Account ${caller.accountId} is not in an AWS Organization.`,
      {
        fix: "Use a profile of an Organization's management account, or create an Organization in the AWS Organizations console.",
        cause: error,
      },
    );
  }
  const isMember = caller.isManagementAccount === false;
  // A member account that is not a delegated administrator may read its Organization's description but not its
  // tree. AWS answers AccessDeniedException; moto answers ParentNotFoundException for the root it has just
  // listed, because a member's view of the Organization holds no OUs. Both mean: this caller cannot list it.
  if (isAccessDenied(error) || (isMember && name === 'ParentNotFoundException')) {
    const memberNote =
      isMember && caller.organizationId !== undefined
        ? ` Account ${caller.accountId} is a member of ${caller.organizationId}, not its management account.`
        : '';
    return new OrgConnectError(
      'ORG_ACCESS_DENIED',
      `${caller.arn} may not call organizations:${action}.${memberNote}`,
      {
        fix: ORG_ACCESS_FIX,
        cause: error,
      },
    );
  }
  if (name === 'ParentNotFoundException' || name === 'OrganizationalUnitNotFoundException') {
    return new OrgConnectError(
      'ORG_CHANGED_DURING_DISCOVERY',
      `An OU disappeared while organizations:${action} was listing it; the Organization changed during discovery.`,
      { fix: 'Run discovery again once the change in AWS Organizations has finished.', cause: error },
    );
  }
  if (isThrottled(error)) {
    const attempts = attemptsOf(error);
    const times = attempts === undefined ? '' : ` after ${attempts} attempts`;
    return new OrgConnectError('AWS_THROTTLED', `AWS kept throttling organizations:${action}${times}.`, {
      fix: 'Wait a minute and run discovery again, or lower its concurrency.',
      cause: error,
    });
  }
  return new OrgConnectError('AWS_ERROR', `organizations:${action} failed: ${describeError(error)}`, {
    cause: error,
  });
}

/** A failed sts:GetCallerIdentity. Credential errors from the profile layer are already OrgConnectErrors. */
export function callerIdentityFailure(error: unknown, signal?: AbortSignal): OrgConnectError {
  if (error instanceof OrgConnectError) return error;
  if (isAbort(error, signal)) return abortedError();
  return new OrgConnectError('AWS_ERROR', `sts:GetCallerIdentity failed: ${describeError(error)}`, {
    cause: error,
  });
}
