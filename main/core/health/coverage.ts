/**
 * Coverage: is all of the Organization connected, and if not, which accounts and why. One pure function over
 * the discovered accounts, the recorded connections, the latest deploy attempt of each account and the time
 * of the last look (the newest deploy run — when the admin last chose accounts). Every account lands in
 * exactly one status:
 *
 * - `connected` — an ACTIVE account with a recorded connection;
 * - `not-connected` — an ACTIVE account without one, with why: never deployed, failed, blocked, cancelled or
 *   still in progress (the deploy attempt's code, reason and fix where the journal has them);
 * - `not-connectable` — suspended or closed (and never connected): nothing to do;
 * - `connected-account-closed` — connected, but the account is now suspended / closing / closed;
 * - `connected-account-left` — connected, but the account is no longer in the Organization.
 *
 * `isNew` marks accounts that joined after the last look, so a sync can plan "new accounts to connect"
 * (`not-connected` and `isNew`) and "connections whose account left or closed" (the two `connected-account-*`).
 * No Node imports: the renderer can use the types and the constants.
 */
import type { OrgAccount, OrgAccountState, OrganizationSnapshot } from '../org/types.js';
import type { AccountState } from '../onboarding/run-events.js';
import { connectionKey } from '../onboarding/connection-key.js';

export const COVERAGE_STATUSES = [
  'connected',
  'not-connected',
  'not-connectable',
  'connected-account-closed',
  'connected-account-left',
] as const;
export type CoverageStatus = (typeof COVERAGE_STATUSES)[number];

export const NOT_CONNECTED_REASONS = [
  'never-deployed',
  'failed',
  'blocked',
  'cancelled',
  'in-progress',
] as const;
export type NotConnectedReason = (typeof NOT_CONNECTED_REASONS)[number];

/** What coverage needs of a connection (a `Connection` is one). */
export interface CoverageConnection {
  accountId: string;
  accountName: string;
  ouPath: string;
  kind: 'billing' | 'resource';
}

/** The newest recorded deploy attempt for one account and stack kind (from the run journals). */
export interface DeployAttempt {
  accountId: string;
  kind: 'billing' | 'resource';
  state: AccountState;
  /** What the plan said to do; `blocked` when preflight refused the account. */
  action: 'create' | 'update' | 'skip' | 'blocked';
  code?: string;
  reason?: string;
  fix?: string;
  /** ISO 8601, when the journal recorded this state. */
  at: string;
}

export interface CoverageInput {
  snapshot: Pick<OrganizationSnapshot, 'organization' | 'accounts' | 'discoveredAt'>;
  connections: readonly CoverageConnection[];
  attempts: readonly DeployAttempt[];
  /** ISO 8601; accounts that joined later are new. Null: nothing has been looked at yet, nothing is new. */
  lastLookAt: string | null;
}

export interface CoverageAccount {
  accountId: string;
  accountName: string;
  ouPath: string;
  /** AWS's state of the account, or `LEFT` when it is no longer in the Organization. */
  accountState: OrgAccountState | 'LEFT';
  joinedAt: string | null;
  isManagement: boolean;
  /** Joined after the last look. */
  isNew: boolean;
  status: CoverageStatus;
  /** `not-connected` only. */
  reason?: NotConnectedReason;
  /** The deploy attempt's error code, where one was recorded. */
  code?: string;
  /** One line for a person: why the account has this status. */
  detail: string;
  /** What to do about it; absent for `connected`. */
  fix?: string;
  connectionKinds: ('billing' | 'resource')[];
}

export interface CoverageSummary {
  /** Accounts in the Organization, any state. */
  accounts: number;
  activeAccounts: number;
  /** Active accounts with a connection. */
  connectedActive: number;
  /** connectedActive / activeAccounts, 0..1; null for an Organization without active accounts. */
  share: number | null;
  counts: Record<CoverageStatus, number>;
  /** Not connected and joined after the last look: the "N new accounts are not connected" banner. */
  newNotConnected: number;
}

export interface Coverage {
  organizationId: string;
  managementAccountId: string;
  discoveredAt: string;
  lastLookAt: string | null;
  summary: CoverageSummary;
  /** Organization order (OU path, then name); accounts that left come last. */
  accounts: CoverageAccount[];
}

const CLOSED_STATES: ReadonlySet<string> = new Set(['SUSPENDED', 'PENDING_CLOSURE', 'CLOSED']);

export function accountStateOf(account: Pick<OrgAccount, 'state' | 'status'>): OrgAccountState {
  return account.state ?? account.status;
}

function isNewAccount(joinedAt: string | null, lastLookAt: string | null): boolean {
  if (joinedAt === null || lastLookAt === null) return false;
  return Date.parse(joinedAt) > Date.parse(lastLookAt);
}

/** The kind of stack an account gets: Billing in the management account, Resource everywhere else. */
function expectedKind(account: Pick<OrgAccount, 'isManagement'>): 'billing' | 'resource' {
  return account.isManagement ? 'billing' : 'resource';
}

function notConnectedWhy(
  account: OrgAccount,
  attempt: DeployAttempt | undefined,
): Pick<CoverageAccount, 'reason' | 'code' | 'detail' | 'fix'> {
  const deployAgain = `Select account ${account.id} in Choose accounts and deploy (CLI: orgconnect deploy --select ${account.id}).`;
  if (attempt === undefined || attempt.state === 'skipped') {
    return { reason: 'never-deployed', detail: 'No deploy run has included this account.', fix: deployAgain };
  }
  const recorded = {
    ...(attempt.code === undefined ? {} : { code: attempt.code }),
    fix: attempt.fix ?? deployAgain,
  };
  if (attempt.action === 'blocked') {
    return { reason: 'blocked', detail: attempt.reason ?? 'Preflight blocked this account.', ...recorded };
  }
  if (attempt.state === 'failed') {
    return { reason: 'failed', detail: attempt.reason ?? 'The deploy failed.', ...recorded };
  }
  if (attempt.state === 'cancelled') {
    return { reason: 'cancelled', detail: attempt.reason ?? 'The run was cancelled.', ...recorded };
  }
  return {
    reason: 'in-progress',
    detail: `A deploy run left this account ${attempt.state}.`,
    fix: 'Resume the run (Deploy step, or orgconnect deploy --resume <run-id>).',
  };
}

export function computeCoverage(input: CoverageInput): Coverage {
  const { snapshot } = input;
  const kindsByAccount = new Map<string, CoverageConnection[]>();
  for (const connection of input.connections) {
    const list = kindsByAccount.get(connection.accountId) ?? [];
    list.push(connection);
    kindsByAccount.set(connection.accountId, list);
  }
  const attemptFor = new Map(input.attempts.map((a) => [connectionKey(a), a]));

  const accounts: CoverageAccount[] = snapshot.accounts.map((account) => {
    const state = accountStateOf(account);
    const connections = kindsByAccount.get(account.id) ?? [];
    const base = {
      accountId: account.id,
      accountName: account.name,
      ouPath: account.ouPath,
      accountState: state,
      joinedAt: account.joinedTimestamp,
      isManagement: account.isManagement,
      isNew: isNewAccount(account.joinedTimestamp, input.lastLookAt),
      connectionKinds: connections.map((c) => c.kind).sort(),
    };
    const closed = CLOSED_STATES.has(state);
    if (connections.length > 0 && closed) {
      return {
        ...base,
        status: 'connected-account-closed',
        detail: `Connected, but the account is ${state.toLowerCase().replace('_', ' ')}.`,
        fix: 'Disconnect it: the platform can no longer read a closed account. Reopen it with AWS Support if it was closed by mistake.',
      };
    }
    if (connections.length > 0) return { ...base, status: 'connected', detail: 'Connected.' };
    if (state === 'PENDING_ACTIVATION') {
      return {
        ...base,
        status: 'not-connectable',
        detail: 'AWS is still activating the account.',
        fix: 'Connect it once it is active.',
      };
    }
    if (closed) {
      return {
        ...base,
        status: 'not-connectable',
        detail: `The account is ${state.toLowerCase().replace('_', ' ')}; there is nothing to connect.`,
        fix: 'None needed; it stops counting once AWS removes it from the Organization.',
      };
    }
    return {
      ...base,
      status: 'not-connected',
      ...notConnectedWhy(
        account,
        attemptFor.get(connectionKey({ accountId: account.id, kind: expectedKind(account) })),
      ),
    };
  });

  const inOrganization = new Set(snapshot.accounts.map((account) => account.id));
  for (const [accountId, connections] of kindsByAccount) {
    if (inOrganization.has(accountId)) continue;
    const first = connections[0] as CoverageConnection;
    accounts.push({
      accountId,
      accountName: first.accountName,
      ouPath: first.ouPath,
      accountState: 'LEFT',
      joinedAt: null,
      isManagement: false,
      isNew: false,
      connectionKinds: connections.map((c) => c.kind).sort(),
      status: 'connected-account-left',
      detail: 'Connected, but the account is no longer in this Organization.',
      fix: 'Disconnect it here and remove it on the platform; its new Organization must connect it again.',
    });
  }

  const counts = Object.fromEntries(COVERAGE_STATUSES.map((status) => [status, 0])) as Record<
    CoverageStatus,
    number
  >;
  for (const account of accounts) counts[account.status] += 1;
  const activeAccounts = snapshot.accounts.filter((a) => accountStateOf(a) === 'ACTIVE').length;
  return {
    organizationId: snapshot.organization.id,
    managementAccountId: snapshot.organization.managementAccountId,
    discoveredAt: snapshot.discoveredAt,
    lastLookAt: input.lastLookAt,
    summary: {
      accounts: snapshot.accounts.length,
      activeAccounts,
      connectedActive: counts.connected,
      share: activeAccounts === 0 ? null : counts.connected / activeAccounts,
      counts,
      newNotConnected: accounts.filter((a) => a.status === 'not-connected' && a.isNew).length,
    },
    accounts,
  };
}

/** For a sync to plan from: accounts to connect (new first) and connections to disconnect. */
export function coverageWork(coverage: Coverage): {
  toConnect: CoverageAccount[];
  toDisconnect: CoverageAccount[];
} {
  const toConnect = coverage.accounts
    .filter((a) => a.status === 'not-connected')
    .sort((a, b) => Number(b.isNew) - Number(a.isNew));
  const toDisconnect = coverage.accounts.filter(
    (a) => a.status === 'connected-account-closed' || a.status === 'connected-account-left',
  );
  return { toConnect, toDisconnect };
}
