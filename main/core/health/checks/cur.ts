/**
 * Billing only: is there a Cost and Usage Report the platform can use? The judgement (what "usable" means, and
 * its messages) is core/billing's, shared with onboarding; this check fetches the evidence and reports the verdict.
 */
import type { HealthCheck } from '../check-context.js';
import { result, type CheckResult } from '../check-result.js';
import type { Connection } from '../connection.js';
import { gatherCurEvidence, type CurEvidence } from '../../billing/cur-evidence.js';
import { judgeCostAndUsageReport } from '../../billing/cur-judgement.js';

/** Pure: decides the CUR check from what the APIs answered. */
export function evaluateCur(
  connection: Pick<Connection, 'curBucket'>,
  evidence: CurEvidence,
  options: { now: number; staleHours?: number },
): CheckResult {
  const judged = judgeCostAndUsageReport(evidence, {
    ...options,
    ...(connection.curBucket ? { readableBucket: connection.curBucket } : {}),
  });
  return result('cur', judged.status, judged.summary, judged);
}

export const curCheck: HealthCheck = {
  id: 'cur',
  needsAws: true,
  appliesTo: (connection) => connection.kind === 'billing',
  async run({ connection, clients, now, options }) {
    if (!clients?.cur)
      return result('cur', 'unknown', 'No Cost and Usage Report client is configured for this account.');
    const evidence = await gatherCurEvidence(clients.cur);
    return evaluateCur(connection, evidence, { now: now(), staleHours: options.curStaleHours });
  },
};
