/**
 * The shapes discovery returns. They are plain JSON-safe data (ISO strings, no Dates, no SDK types) because
 * the CLI prints them with --json and the hosts send them over IPC / WebSocket unchanged.
 */
import type { OrganizationsClient } from '@aws-sdk/client-organizations';
import type { STSClient } from '@aws-sdk/client-sts';

export type FeatureSet = 'ALL' | 'CONSOLIDATED_BILLING';

/** The deprecated-but-still-returned `Status`; `state` carries AWS's newer, finer `State` when present. */
export type OrgAccountStatus = 'ACTIVE' | 'SUSPENDED' | 'PENDING_CLOSURE';
export type OrgAccountState = 'ACTIVE' | 'SUSPENDED' | 'PENDING_CLOSURE' | 'PENDING_ACTIVATION' | 'CLOSED';
export type OrgJoinedMethod = 'CREATED' | 'INVITED';

export interface OrgRoot {
  id: string;
  name: string;
}

export interface OrgUnit {
  id: string;
  name: string;
  /** A root id (`r-…`) or another OU's id. */
  parentId: string;
  /** Names from the root down, joined by "/", e.g. `Root/Workloads/Prod`. */
  path: string;
}

export interface OrgAccount {
  id: string;
  arn: string;
  name: string;
  email: string;
  status: OrgAccountStatus;
  /** AWS's `State` (replaces `Status`); null where the API did not send it. */
  state: OrgAccountState | null;
  joinedMethod: OrgJoinedMethod | null;
  /** ISO 8601; null where the API did not send it. */
  joinedTimestamp: string | null;
  /** The root or OU the account sits in directly. */
  ouId: string;
  ouPath: string;
  isManagement: boolean;
}

export interface OrganizationSnapshot {
  organization: {
    id: string;
    arn: string;
    featureSet: FeatureSet;
    managementAccountId: string;
    managementAccountEmail: string;
  };
  caller: {
    accountId: string;
    arn: string;
    isManagementAccount: boolean;
  };
  roots: OrgRoot[];
  /** Sorted by path. */
  ous: OrgUnit[];
  /** Sorted by ouPath, then name. */
  accounts: OrgAccount[];
  /** ISO 8601, when discovery finished. */
  discoveredAt: string;
}

/** Ready SDK clients for one management (or delegated administrator) profile. */
export interface OrgDiscoveryClients {
  sts: STSClient;
  organizations: OrganizationsClient;
}

export type DiscoveryPhase = 'caller' | 'organization' | 'roots' | 'tree' | 'done';

export interface DiscoveryProgress {
  phase: DiscoveryPhase;
  /** Accounts found so far (0 before the tree walk starts). */
  done: number;
  /** Known only once discovery has finished. */
  total?: number;
  /** OUs found so far. */
  ous?: number;
}

export interface DiscoveryOptions {
  onProgress?: (progress: DiscoveryProgress) => void;
  /** Organizations calls in flight at once (default 4). Organizations' per-account request rate is low. */
  concurrency?: number;
  signal?: AbortSignal;
}
