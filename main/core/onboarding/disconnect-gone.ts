/**
 * The disconnect part of a sync: connections whose account was closed (suspended) or left the Organization.
 * `planDisconnect` only looks at active accounts; these are not active, so they are planned from the recorded
 * connections instead. A closed account whose stack can still be read (an emulator, or the 90 days before AWS
 * closes it for good) has its stack deleted; otherwise — the account left, or cannot be reached — only the
 * platform is told to stop (`deregister`), and the plan says the stack could not be reached. Pure, apart from
 * `readGoneStacks`, which reads the closed accounts' stacks through the usual preflight.
 */
import type { DisconnectItem, DisconnectPlan } from './disconnect-plan.js';
import { CONNECTION_NAME_TAG } from './plan.js';
import type { PreflightResult } from './preflight.js';
import { stackOwnershipProblem } from './stack-ownership.js';
import { stackPhase } from '../cloudformation/index.js';
import type { TemplateKind } from './templates.js';

export interface GoneConnection {
  accountId: string;
  accountName: string;
  ouPath: string;
  kind: TemplateKind;
  connectionName: string;
  stackName: string;
  /** As recorded by the deploy (the platform's deprovision message names it). */
  roleArn: string;
  /** closed: still in the Organization, but suspended or closed; left: no longer in it. */
  gone: 'closed' | 'left';
}

function unreachable(connection: GoneConnection, why: string): DisconnectItem {
  const { gone, roleArn, ...base } = connection;
  const what = gone === 'left' ? 'left the Organization' : 'is closed';
  return {
    ...base,
    roleArn,
    action: 'deregister',
    code: gone === 'left' ? 'ACCOUNT_LEFT' : 'ACCOUNT_CLOSED',
    reason: `the account ${what} and its stack could not be reached (${why}): only the platform is told to stop`,
  };
}

/** What a disconnect does with each gone connection, given what was read of the closed accounts' stacks. */
export function buildGoneDisconnectPlan(
  managementAccountId: string,
  gone: readonly GoneConnection[],
  preflight: readonly PreflightResult[],
): DisconnectPlan {
  const byAccount = new Map(preflight.map((result) => [result.accountId, result]));
  const items = gone.map((connection): DisconnectItem => {
    if (connection.gone === 'left') {
      return unreachable(connection, 'the management account has no access into it any more');
    }
    const result = byAccount.get(connection.accountId);
    if (result === undefined || !result.ok) {
      return unreachable(connection, result?.reason ?? 'it was not read');
    }
    const stack = result.stack;
    if (stack === null || stackPhase(stack.status) === 'absent') {
      return unreachable(connection, `no ${connection.stackName} stack is left in it`);
    }
    const problem = stackOwnershipProblem(
      {
        StackName: stack.stackName,
        Tags: Object.entries(stack.tags).map(([Key, Value]) => ({ Key, Value })),
      },
      connection.kind,
      connection.accountId,
    );
    if (problem) return unreachable(connection, problem.message);
    const { gone: _gone, ...base } = connection;
    return {
      ...base,
      connectionName: stack.tags[CONNECTION_NAME_TAG] ?? connection.connectionName,
      roleArn: stack.outputs['RoleArn'] ?? connection.roleArn,
      action: 'delete',
      reason: 'the account is closed: its stack is deleted and the platform told to stop',
    };
  });
  const count = (action: DisconnectItem['action']): number =>
    items.filter((item) => item.action === action).length;
  return {
    managementAccountId,
    keepStacks: false,
    items,
    counts: {
      total: items.length,
      delete: count('delete'),
      deregister: count('deregister'),
      skip: count('skip'),
      blocked: count('blocked'),
    },
  };
}
