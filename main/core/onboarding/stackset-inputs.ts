/**
 * What a StackSet deploy is given: its name, the OU targets, and the operation preferences (checked for the
 * combinations AWS would reject). What must hold before CloudFormation is called is in stackset-preconditions.ts.
 */
import type { StackSetOperationPreferences } from '@aws-sdk/client-cloudformation';
import type { OrganizationsClient } from '@aws-sdk/client-organizations';
import { OrgConnectError } from '../errors.js';

export const DEFAULT_STACKSET_NAME = 'orgconnect-resource';

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

/** STACKSET_INPUT_INVALID: the inputs, not AWS, are wrong. */
export function stackSetInputInvalid(message: string, fix?: string): OrgConnectError {
  return new OrgConnectError('STACKSET_INPUT_INVALID', message, fix === undefined ? {} : { fix });
}

/** The SDK's OperationPreferences, after checking the either/or pairs AWS would reject. */
export function operationPreferences(preferences: StackSetPreferences): StackSetOperationPreferences {
  const p = preferences;
  if (p.maxConcurrentCount !== undefined && p.maxConcurrentPercentage !== undefined)
    throw stackSetInputInvalid('Give either maxConcurrentCount or maxConcurrentPercentage, not both.');
  if (p.failureToleranceCount !== undefined && p.failureTolerancePercentage !== undefined)
    throw stackSetInputInvalid('Give either failureToleranceCount or failureTolerancePercentage, not both.');
  for (const [name, value] of [
    ['maxConcurrentPercentage', p.maxConcurrentPercentage],
    ['failureTolerancePercentage', p.failureTolerancePercentage],
  ] as const) {
    if (value !== undefined && !(Number.isInteger(value) && value >= 0 && value <= 100))
      throw stackSetInputInvalid(`${name} must be a whole number from 0 to 100 (got ${value}).`);
  }
  if (
    p.maxConcurrentCount !== undefined &&
    !(Number.isInteger(p.maxConcurrentCount) && p.maxConcurrentCount >= 1)
  )
    throw stackSetInputInvalid(
      `maxConcurrentCount must be a whole number of at least 1 (got ${p.maxConcurrentCount}).`,
    );
  if (
    p.failureToleranceCount !== undefined &&
    !(Number.isInteger(p.failureToleranceCount) && p.failureToleranceCount >= 0)
  )
    throw stackSetInputInvalid(
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
