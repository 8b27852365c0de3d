/**
 * Before anything is deployed: does the management account have a Cost and Usage Report the platform can use, and
 * into which bucket is it delivered? The answer flags a missing or unusable report on Connect (with the fix) and
 * pre-fills the Billing stack's `CostAndUsageReportBucket`, to which the Billing role's S3 read is scoped.
 * Reads only (cur:DescribeReportDefinitions, bcm-data-exports:ListExports / GetExport); core/billing's judgement,
 * which the Billing health check uses too, so "usable" means the same thing before and after the deploy.
 */
import { gatherCurEvidence } from '../billing/cur-evidence.js';
import { bestUsableReport, judgeCostAndUsageReport } from '../billing/cur-judgement.js';
import type { CurPort } from '../billing/cur-port.js';

export interface CostAndUsageReportStatus {
  /** pass / warn: a usable report exists; fail: none is usable; unknown: the APIs could not be read. */
  status: 'pass' | 'warn' | 'fail' | 'unknown';
  summary: string;
  fix?: string;
  /** The usable report's bucket, when it names one. */
  bucket?: string;
  /** Which report that is, e.g. `CUR report hourly-cur` or `Data Export cur2`. */
  report?: string;
}

export async function detectCostAndUsageReport(
  port: CurPort,
  options: { now?: number } = {},
): Promise<CostAndUsageReportStatus> {
  const now = options.now ?? Date.now();
  const evidence = await gatherCurEvidence(port);
  const judged = judgeCostAndUsageReport(evidence, { now });
  const best = bestUsableReport(evidence, { now });
  return {
    status: judged.status,
    summary: judged.summary,
    ...(judged.fix ? { fix: judged.fix } : {}),
    ...(best?.bucket ? { bucket: best.bucket, report: best.label } : {}),
  };
}
