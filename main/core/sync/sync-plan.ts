/**
 * Sync: what changed in the Organization since the last deploy, as two plans for the usual engines. Pure.
 *
 * - the deploy part is the deploy plan of the selection restricted to what would change: new accounts
 *   (`create`) and stacks on an older template, platform-profile version or settings (`update` — plan.ts decides
 *   that from the stack's tags); accounts that are not ACTIVE are left out (a closed account is the disconnect
 *   part's), and so are accounts already connected as asked (`skip`). Active accounts the preflight refused stay,
 *   blocked, so the run names them as deploy does;
 * - repairs: a connection the plan would skip whose last health check found its role changed outside
 *   CloudFormation (deleted, trust or policies edited) becomes an `update` that replaces the stack — an update that
 *   changes nothing would leave the role as it is;
 * - the disconnect part is every recorded connection whose account closed or left the Organization (coverage's
 *   `toDisconnect`), planned by disconnect-gone.
 *
 * Sits above onboarding and health: it reads health's coverage and connections and feeds onboarding's plans.
 */
import type { CheckId, ConnectionHealth } from '../health/check-result.js';
import type { Coverage } from '../health/coverage.js';
import { coverageWork } from '../health/coverage.js';
import { connectionKey, expectedRoleArn, type Connection } from '../health/connection.js';
import type { DisconnectRequest } from '../onboarding/disconnect.js';
import type { GoneConnection } from '../onboarding/disconnect-gone.js';
import type { OnboardingRequest } from '../onboarding/onboarding.js';
import type { Plan, PlanItem } from '../onboarding/plan.js';
import type { OrgAccount } from '../org/types.js';

/** The checks whose failure a fresh stack repairs: the role it creates, its trust and its policies. */
export const REPAIRED_BY_REDEPLOY: readonly CheckId[] = ['role-exists', 'role-trust', 'role-policies'];

/**
 * Why each connection (by `accountId/kind`) needs a repair, from its latest health; absent: it does not. A check
 * older than the connection's last deploy says nothing about the stack now, so it repairs nothing.
 */
export function repairsFrom(
  latest: Iterable<ConnectionHealth>,
  connections: readonly Pick<Connection, 'accountId' | 'kind' | 'createdAt'>[] = [],
): Map<string, string> {
  const deployedAt = new Map(connections.map((c) => [connectionKey(c), c.createdAt]));
  const repairs = new Map<string, string>();
  for (const health of latest) {
    const since = deployedAt.get(health.connectionKey);
    if (since !== undefined && health.checkedAt < since) continue;
    const failing = health.checks.filter(
      (check) => check.status === 'fail' && REPAIRED_BY_REDEPLOY.includes(check.id),
    );
    if (failing.length === 0) continue;
    repairs.set(
      health.connectionKey,
      `Repair: ${failing.map((check) => check.summary).join(' ')} The stack is deleted and created again (CloudFormation does not restore a role changed outside it).`,
    );
  }
  return repairs;
}

/**
 * The deploy plan without what would not change and without accounts that are not active; skips with a repair
 * become replacing updates.
 */
export function syncDeployPlan(
  plan: Plan,
  accounts: readonly Pick<OrgAccount, 'id' | 'status'>[],
  repairs: ReadonlyMap<string, string> = new Map(),
): Plan {
  const active = new Set(accounts.filter((a) => a.status === 'ACTIVE').map((a) => a.id));
  const items = plan.items.flatMap((item): PlanItem[] => {
    if (!active.has(item.accountId)) return [];
    if (item.action !== 'skip') return [item];
    const repair = repairs.get(connectionKey(item));
    return repair === undefined ? [] : [{ ...item, action: 'update', replace: true, reason: repair }];
  });
  const count = (keep: (item: PlanItem) => boolean): number => items.filter(keep).length;
  return {
    managementAccountId: plan.managementAccountId,
    items,
    counts: {
      total: items.length,
      create: count((i) => i.action === 'create'),
      update: count((i) => i.action === 'update'),
      skip: 0,
      blocked: count((i) => i.action === 'blocked'),
      billing: count((i) => i.kind === 'billing'),
      resource: count((i) => i.kind === 'resource'),
    },
  };
}

/** The recorded connections of accounts that closed or left, as the disconnect part plans them. */
export function goneConnections(coverage: Coverage, connections: readonly Connection[]): GoneConnection[] {
  const gone = new Map(
    coverageWork(coverage).toDisconnect.map((account) => [
      account.accountId,
      account.status === 'connected-account-left' ? ('left' as const) : ('closed' as const),
    ]),
  );
  return connections.flatMap((connection): GoneConnection[] => {
    const why = gone.get(connection.accountId);
    if (why === undefined) return [];
    return [
      {
        accountId: connection.accountId,
        accountName: connection.accountName,
        ouPath: connection.ouPath,
        kind: connection.kind,
        connectionName: connection.connectionName,
        stackName: connection.stackName,
        roleArn: expectedRoleArn(connection),
        gone: why,
      },
    ];
  });
}

/** The disconnect side of a sync speaks to the same platform, with the same access, as its deploy side. */
export function syncDisconnectRequest(request: OnboardingRequest): DisconnectRequest {
  const platformAccountId = request.platformAccountIds?.[0] ?? request.platformAccountId;
  return {
    externalId: request.externalId,
    ...(platformAccountId === undefined ? {} : { platformAccountId }),
    ...(request.accessRoleName === undefined ? {} : { accessRoleName: request.accessRoleName }),
    ...(request.accessMode === undefined ? {} : { accessMode: request.accessMode }),
    ...(request.ssoRoleName === undefined ? {} : { ssoRoleName: request.ssoRoleName }),
    ...(request.platformUrl === undefined ? {} : { platformUrl: request.platformUrl }),
  };
}
