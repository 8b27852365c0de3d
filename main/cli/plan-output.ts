import type { Plan } from '../core/onboarding/plan.js';
import type { CostAndUsageReportStatus } from '../core/onboarding/cur-detection.js';
import type { OnboardingRequest } from '../core/onboarding/onboarding.js';
import { formatTable, type CliIo, type TableOptions } from './output.js';

export interface PlannedForOutput {
  plan: Plan;
  organizationId: string;
  request: Pick<OnboardingRequest, 'costAndUsageReportBucket'>;
  costAndUsageReport?: CostAndUsageReportStatus;
}

/** The documented `plan --json` shape (README). */
export function planJson({ plan, organizationId, request, costAndUsageReport }: PlannedForOutput) {
  return {
    organizationId,
    managementAccountId: plan.managementAccountId,
    /** The bucket the Billing role may read (null: none). */
    costAndUsageReportBucket: request.costAndUsageReportBucket ?? null,
    /** What was found in the management account, when orgconnect looked (no --cur-bucket / --no-cur-bucket). */
    ...(costAndUsageReport ? { costAndUsageReport } : {}),
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

/** One line on the Cost and Usage Report the Billing role will read, or why there is none. */
export function curLine({ request, costAndUsageReport: found }: PlannedForOutput): string {
  const bucket = request.costAndUsageReportBucket;
  if (bucket !== undefined && found?.bucket === bucket) {
    return `Billing role reads CUR bucket ${bucket} (${found.report ?? 'the usable report'}; --cur-bucket picks another, --no-cur-bucket none).`;
  }
  if (bucket !== undefined) return `Billing role reads CUR bucket ${bucket}.`;
  if (found === undefined) return 'Billing role reads no CUR bucket.';
  const fix = found.fix ? ` Fix: ${found.fix}` : '';
  if (found.status === 'unknown') return `Billing role reads no CUR bucket: ${found.summary}`;
  return `Billing role reads no CUR bucket. ${found.summary}${fix}`;
}

export function printPlan(io: CliIo, planned: PlannedForOutput, options: TableOptions = {}): void {
  const { plan } = planned;
  io.stdout(
    formatTable(
      plan.items,
      [
        { header: 'ACCOUNT', value: (i) => i.accountId },
        { header: 'NAME', value: (i) => i.accountName },
        { header: 'KIND', value: (i) => i.kind },
        { header: 'CONNECTION', value: (i) => i.connectionName },
        { header: 'ACTION', value: (i) => i.action },
        { header: 'WHY', value: (i) => [i.reason, i.fix ? `Fix: ${i.fix}` : ''].filter(Boolean).join(' ') },
      ],
      options,
    ),
  );
  const c = plan.counts;
  io.stdout(
    `\nPlan: ${c.create} to create, ${c.update} to update, ${c.skip} already connected, ${c.blocked} blocked ` +
      `(${c.billing} Billing, ${c.resource} Resource).\n`,
  );
  if (c.billing > 0) io.stdout(`${curLine(planned)}\n`);
}
