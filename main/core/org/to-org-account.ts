/** One SDK `Account` as the snapshot's `OrgAccount`: JSON-safe, with its place in the tree. */
import type { Account } from '@aws-sdk/client-organizations';
import type { OrgAccount, OrgAccountState, OrgAccountStatus, OrgJoinedMethod } from './types.js';

const STATUSES: readonly string[] = ['ACTIVE', 'SUSPENDED', 'PENDING_CLOSURE'] satisfies OrgAccountStatus[];
const STATES: readonly string[] = [
  'ACTIVE',
  'SUSPENDED',
  'PENDING_CLOSURE',
  'PENDING_ACTIVATION',
  'CLOSED',
] satisfies OrgAccountState[];

function isStatus(value: string | undefined): value is OrgAccountStatus {
  return value !== undefined && STATUSES.includes(value);
}

function isState(value: string | undefined): value is OrgAccountState {
  return value !== undefined && STATES.includes(value);
}

/**
 * AWS is replacing `Status` with `State`. Where only `State` comes back, map it onto the old values: a CLOSED
 * account stays SUSPENDED for its post-closure period, and a PENDING_ACTIVATION account is not suspended.
 */
export function statusFromState(state: OrgAccountState | null): OrgAccountStatus {
  switch (state) {
    case 'SUSPENDED':
    case 'CLOSED':
      return 'SUSPENDED';
    case 'PENDING_CLOSURE':
      return 'PENDING_CLOSURE';
    default:
      return 'ACTIVE';
  }
}

export interface Placement {
  ouId: string;
  ouPath: string;
  managementAccountId: string;
}

export function toOrgAccount(account: Account, placement: Placement): OrgAccount {
  const id = account.Id ?? '';
  const state = isState(account.State) ? account.State : null;
  const joinedMethod: OrgJoinedMethod | null =
    account.JoinedMethod === 'CREATED' || account.JoinedMethod === 'INVITED' ? account.JoinedMethod : null;
  const joined = account.JoinedTimestamp;
  return {
    id,
    arn: account.Arn ?? '',
    name: account.Name ?? '',
    email: account.Email ?? '',
    status: isStatus(account.Status) ? account.Status : statusFromState(state),
    state,
    joinedMethod,
    joinedTimestamp: joined instanceof Date && !Number.isNaN(joined.getTime()) ? joined.toISOString() : null,
    ouId: placement.ouId,
    ouPath: placement.ouPath,
    isManagement: id === placement.managementAccountId,
  };
}
