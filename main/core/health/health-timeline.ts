/** One kept result of a connection as its timeline shows it: when, the overall health, and what did not pass. */
import type { ConnectionHealth } from './check-result.js';

export function timelineEntry(health: ConnectionHealth) {
  return {
    checkedAt: health.checkedAt,
    overall: health.overall,
    failing: health.checks
      .filter((check) => check.status === 'fail' || check.status === 'warn' || check.status === 'unknown')
      .map((check) => `${check.id} (${check.status})`),
  };
}
