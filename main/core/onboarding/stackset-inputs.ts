/**
 * What a StackSet deploy is given, checked before CloudFormation is called at all: the targets and Regions
 * against the discovered Organization, the operation preferences AWS would reject, and StackSets' trusted access
 * in AWS Organizations.
 */
import type { StackSetOperationPreferences } from '@aws-sdk/client-cloudformation';
import {
  OrganizationsClient,
  paginateListAWSServiceAccessForOrganization,
} from '@aws-sdk/client-organizations';
import { OrgConnectError, awsErrorName } from '../errors.js';
import type { Clock } from '../clock.js';
import {
  cloudFormationFailure,
  collectPages,
  pagingClient,
  type RetryPolicy,
  type StackSetCallAs,
} from '../cloudformation/index.js';

export const DEFAULT_STACKSET_NAME = 'orgconnect-resource';
/** The principal Organizations lists once "trusted access with AWS Organizations" is on for StackSets. */
export const STACKSETS_SERVICE_PRINCIPAL = 'member.org.stacksets.cloudformation.amazonaws.com';

export type OrganizationsSender = Pick<OrganizationsClient, 'send'>;
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
  let principals: string[];
  try {
    const client = pagingClient(OrganizationsClient, input.organizations, {
      clock: input.clock,
      signal: input.signal,
      policy: input.retry,
    });
    const services = await collectPages(
      paginateListAWSServiceAccessForOrganization({ client }, {}),
      (page) => page.EnabledServicePrincipals,
    );
    principals = services.flatMap((service) => (service.ServicePrincipal ? [service.ServicePrincipal] : []));
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
