/**
 * Folds one `health-checked` row into the Health table's summary: the row replaces the connection's old one
 * (or joins the table), and the counts are recounted from the rows (with the core's own counter), so the header can never disagree with them.
 */
import type { HealthRow, HealthSummary } from '../../../preload/contract.js';
import { healthCounts } from '../../../main/core/health/health-counts.js';

const sameConnection = (a: HealthRow, b: HealthRow): boolean =>
  a.accountId === b.accountId && a.kind === b.kind;

export function withHealthRow(
  summary: HealthSummary | undefined,
  organizationId: string,
  row: HealthRow,
): HealthSummary {
  // Another Organization's table is replaced, not mixed into.
  const previous = summary?.organizationId === organizationId ? summary.connections : [];
  const index = previous.findIndex((existing) => sameConnection(existing, row));
  const connections =
    index === -1 ? [...previous, row] : previous.map((existing, i) => (i === index ? row : existing));
  // Coverage and the series belong to the Organization, not to a row: they stay until the next round's arrive.
  const kept = summary?.organizationId === organizationId ? summary : undefined;
  return { ...kept, organizationId, summary: healthCounts(connections), connections };
}
