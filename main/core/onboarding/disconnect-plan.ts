/**
 * The disconnect plan: for every selected account, what a disconnect run would do and why — delete the
 * orgconnect stack and deregister the connection, only deregister (`--keep-stacks`), skip (nothing of
 * orgconnect's there) or blocked (a stack orgconnect did not make, or the account cannot be read). Pure: it reads
 * the discovered organization, the selection and the preflight (which read each account's stack), and touches
 * nothing.
 *
 * The Billing connection goes last and only with the whole Organization: the platform attaches the member
 * connections to it, so it is planned for removal only when every active member account is selected too;
 * otherwise it is kept (a skip that says why).
 */
import { CONNECTION_NAME_TAG, kindFor, STACK_NAMES, type PlanAccount } from './plan.js';
import type { PreflightResult } from './preflight.js';
import type { DeployItem } from './run-events.js';
import { resolveSelection, type SelectableUnit, type Selection } from './selection.js';
import { stackOwnershipProblem } from './stack-ownership.js';
import { stackPhase } from '../cloudformation/index.js';

export interface DisconnectItem extends DeployItem {
  action: 'delete' | 'deregister' | 'skip' | 'blocked';
  /** The platform role the stack made (its RoleArn output), when the stack was read. */
  roleArn?: string;
}

export interface DisconnectPlanCounts {
  total: number;
  delete: number;
  deregister: number;
  skip: number;
  blocked: number;
}

export interface DisconnectPlan {
  managementAccountId: string;
  keepStacks: boolean;
  items: DisconnectItem[];
  counts: DisconnectPlanCounts;
}

export interface DisconnectPlanInput {
  accounts: readonly PlanAccount[];
  units: readonly SelectableUnit[];
  selection: Selection;
  preflight: readonly PreflightResult[];
  keepStacks: boolean;
}

/** The accounts a disconnect reads (the active part of the selection) and the stack it looks for in each. */
export function disconnectTargets(
  accounts: readonly PlanAccount[],
): { accountId: string; stackName: string }[] {
  return accounts.map((account) => ({ accountId: account.id, stackName: STACK_NAMES[kindFor(account)] }));
}

export function buildDisconnectPlan(input: DisconnectPlanInput): DisconnectPlan {
  const resolved = resolveSelection(input.selection, input.accounts, input.units);
  const management = input.accounts.find((account) => account.isManagement);
  const byAccount = new Map(input.preflight.map((result) => [result.accountId, result]));
  const chosen = new Set(resolved.active.map((account) => account.id));
  const membersStaying = input.accounts.filter(
    (account) => !account.isManagement && account.status === 'ACTIVE' && !chosen.has(account.id),
  );
  const items: DisconnectItem[] = [];
  for (const account of resolved.active) {
    const kind = kindFor(account);
    const base = {
      accountId: account.id,
      accountName: account.name,
      ouPath: account.ouPath,
      kind,
      stackName: STACK_NAMES[kind],
    };
    const result = byAccount.get(account.id);
    if (result === undefined || !result.ok) {
      items.push({
        ...base,
        connectionName: account.name,
        action: 'blocked',
        code: result?.code ?? 'PREFLIGHT_MISSING',
        reason: result?.reason ?? `Account ${account.id} was not read.`,
        ...(result?.fix === undefined ? {} : { fix: result.fix }),
      });
      continue;
    }
    const stack = result.stack;
    if (stack === null || stackPhase(stack.status) === 'absent') {
      items.push({
        ...base,
        connectionName: account.name,
        action: 'skip',
        reason: `no ${base.stackName} stack in this account: nothing of orgconnect's to remove`,
      });
      continue;
    }
    const connectionName = stack.tags[CONNECTION_NAME_TAG] ?? account.name;
    const roleArn = stack.outputs['RoleArn'];
    const withStack = { ...base, connectionName, ...(roleArn ? { roleArn } : {}) };
    const problem = stackOwnershipProblem(
      {
        StackName: stack.stackName,
        Tags: Object.entries(stack.tags).map(([Key, Value]) => ({ Key, Value })),
      },
      kind,
      account.id,
    );
    if (problem) {
      items.push({
        ...withStack,
        action: 'blocked',
        code: problem.code,
        reason: problem.message,
        ...(problem.fix === undefined ? {} : { fix: problem.fix }),
      });
      continue;
    }
    if (kind === 'billing' && membersStaying.length > 0) {
      items.push({
        ...withStack,
        action: 'skip',
        code: 'BILLING_KEPT',
        reason: `kept: ${membersStaying.length} member account(s) of the Organization stay connected through it; the Billing connection goes last, with the whole Organization`,
      });
      continue;
    }
    items.push({ ...withStack, action: input.keepStacks ? 'deregister' : 'delete' });
  }
  // Billing last: the run deletes it only after every member in the plan is disconnected.
  items.sort((a, b) => Number(a.kind === 'billing') - Number(b.kind === 'billing'));
  const count = (action: DisconnectItem['action']): number =>
    items.filter((item) => item.action === action).length;
  return {
    managementAccountId: management?.id ?? '',
    keepStacks: input.keepStacks,
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
