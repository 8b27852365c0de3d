/** How a disconnect plan is shown: a table for people, one `{"event":"plan",…}` line with --json. */
import type { DisconnectPlanResult } from '../core/onboarding/disconnect.js';
import { formatTable, printJsonLine, type CliIo } from './output.js';

export function disconnectPlanJson({ plan, organizationId }: DisconnectPlanResult) {
  return {
    event: 'plan' as const,
    operation: 'disconnect' as const,
    organizationId,
    managementAccountId: plan.managementAccountId,
    keepStacks: plan.keepStacks,
    counts: plan.counts,
    items: plan.items.map((item) => ({
      accountId: item.accountId,
      accountName: item.accountName,
      kind: item.kind,
      connectionName: item.connectionName,
      stackName: item.stackName,
      action: item.action,
      ...(item.roleArn ? { roleArn: item.roleArn } : {}),
      ...(item.code ? { code: item.code } : {}),
      ...(item.reason ? { reason: item.reason } : {}),
      ...(item.fix ? { fix: item.fix } : {}),
    })),
  };
}

const WHAT: Readonly<Record<string, string>> = {
  delete: 'delete stack, deregister',
  deregister: 'deregister (stack kept)',
  skip: 'skip',
  blocked: 'blocked',
};

export function printDisconnectPlan(io: CliIo, planned: DisconnectPlanResult, json: boolean): void {
  if (json) {
    printJsonLine(io, disconnectPlanJson(planned));
    return;
  }
  const { plan } = planned;
  io.stdout(
    formatTable(plan.items, [
      { header: 'ACCOUNT', value: (i) => i.accountId },
      { header: 'NAME', value: (i) => i.accountName },
      { header: 'KIND', value: (i) => i.kind },
      { header: 'STACK', value: (i) => i.stackName },
      { header: 'ACTION', value: (i) => WHAT[i.action] ?? i.action },
      { header: 'WHY', value: (i) => [i.reason, i.fix ? `Fix: ${i.fix}` : ''].filter(Boolean).join(' ') },
    ]),
  );
  const c = plan.counts;
  io.stdout(
    `\nDisconnect plan: ${c.delete} stack(s) to delete and deregister, ${c.deregister} to deregister only, ` +
      `${c.skip} skipped, ${c.blocked} blocked. Resource stacks go first; the Billing stack last.\n`,
  );
}
