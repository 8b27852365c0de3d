import type { Plan } from '../core/onboarding/plan.js';
import { formatTable, type CliIo } from './output.js';

/** The documented `plan --json` shape (README). */
export function planJson(plan: Plan, organizationId: string) {
  return {
    organizationId,
    managementAccountId: plan.managementAccountId,
    counts: plan.counts,
    items: plan.items.map((item) => ({
      accountId: item.accountId,
      accountName: item.accountName,
      ouPath: item.ouPath,
      kind: item.kind,
      connectionName: item.connectionName,
      stackName: item.stackName,
      action: item.action,
      ...(item.code ? { code: item.code } : {}),
      ...(item.reason ? { reason: item.reason } : {}),
      ...(item.fix ? { fix: item.fix } : {}),
    })),
  };
}

export function printPlan(io: CliIo, plan: Plan): void {
  io.stdout(
    formatTable(plan.items, [
      { header: 'ACCOUNT', value: (i) => i.accountId },
      { header: 'NAME', value: (i) => i.accountName },
      { header: 'KIND', value: (i) => i.kind },
      { header: 'CONNECTION', value: (i) => i.connectionName },
      { header: 'ACTION', value: (i) => i.action },
      { header: 'WHY', value: (i) => [i.reason, i.fix ? `Fix: ${i.fix}` : ''].filter(Boolean).join(' ') },
    ]),
  );
  const c = plan.counts;
  io.stdout(
    `\nPlan: ${c.create} to create, ${c.update} to update, ${c.skip} already connected, ${c.blocked} blocked ` +
      `(${c.billing} Billing, ${c.resource} Resource).\n`,
  );
}
