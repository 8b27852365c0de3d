/**
 * Connections by overall health: the `summary` of `health --json` and of the Health table. Its own module, free of
 * Node imports, so the renderer recounts a live table with the very same function.
 */
import type { OverallHealth } from './check-result.js';

export function healthCounts(rows: readonly { overall: OverallHealth }[]) {
  const count = (overall: OverallHealth) => rows.filter((row) => row.overall === overall).length;
  return {
    total: rows.length,
    healthy: count('healthy'),
    degraded: count('degraded'),
    unhealthy: count('unhealthy'),
    unknown: count('unknown'),
  };
}
