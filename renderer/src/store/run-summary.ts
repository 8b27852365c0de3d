/**
 * The run's outcome as the Deploy step and the final message state it: counted from the rows the table shows, so
 * the numbers can never disagree with the rows, and claiming only what happened (deployed is not "the platform
 * reads your accounts": that needs the platform to have the role ARNs).
 */
import type { HealthSummary } from '../../../preload/contract.js';
import { ACCOUNT_STATES } from '../../../main/core/onboarding/run-events.js';
import type { AccountState, DeployRow } from './wizard-state.js';

export type RowCounts = Record<AccountState, number> & { total: number };

export function rowCounts(rows: Iterable<Pick<DeployRow, 'state'>>): RowCounts {
  const counts = {
    total: 0,
    ...(Object.fromEntries(ACCOUNT_STATES.map((state) => [state, 0])) as Record<AccountState, number>),
  };
  for (const row of rows) {
    counts.total += 1;
    counts[row.state] += 1;
  }
  return counts;
}

/** "10 deployed, 1 failed, 1 skipped" (+ cancelled/unknown when there are any), in the rows' own words. */
export function outcomeText(counts: RowCounts): string {
  const parts = [`${counts.connected} deployed`, `${counts.failed} failed`, `${counts.skipped} skipped`];
  if (counts.cancelled > 0) parts.push(`${counts.cancelled} cancelled`);
  if (counts.unknown > 0) parts.push(`${counts.unknown} unknown`);
  return parts.join(', ');
}

/** The health part of the summary, once the connections have been checked. */
export function healthText(health: HealthSummary | undefined): string | undefined {
  if (!health || health.summary.total === 0) return undefined;
  const { healthy, degraded, unhealthy, unknown, total } = health.summary;
  const rest = [
    degraded ? `${degraded} degraded` : '',
    unhealthy ? `${unhealthy} unhealthy` : '',
    unknown ? `${unknown} unknown` : '',
  ].filter(Boolean);
  return `${healthy} of ${total} healthy${rest.length ? ` (${rest.join(', ')})` : ''}`;
}

/** The final message: what was deployed, failed and skipped, and the health once known. */
export function completionSummary(counts: RowCounts, health: HealthSummary | undefined): string {
  const checked = healthText(health);
  return `${outcomeText(counts)}. ${checked ? `Health: ${checked}.` : 'Health: not checked yet.'}`;
}
