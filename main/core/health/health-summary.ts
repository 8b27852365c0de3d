/**
 * One row per connection with its latest checks, plus counts by overall status: the documented
 * `health --json` shape, which is also what the desktop's Health table receives (whole, and row by row as
 * `health-checked` events). One builder for all three, so the CLI and the UI can never disagree about what
 * "healthy" counts.
 */
import type { ConnectionHealth, OverallHealth } from './check-result.js';
import { connectionKey, type Connection } from './connection.js';
import { healthCounts } from './health-counts.js';
import { resolvePlatformProfile } from '../platform/platforms.js';

/**
 * Deployed with an older version of its platform profile's permissions (or before versions were recorded): a
 * deploy plans it as `update` ("The platform's permissions changed on …"). The Health "Update" banner counts these.
 */
export function usesOlderTemplate(connection: Pick<Connection, 'platform'>): boolean {
  const recorded = connection.platform;
  if (recorded === undefined) return true;
  return recorded.version < resolvePlatformProfile(recorded).version;
}

export function healthRow(connection: Connection, result: ConnectionHealth | undefined) {
  return {
    accountId: connection.accountId,
    accountName: connection.accountName,
    kind: connection.kind,
    connectionName: connection.connectionName,
    roleArn: connection.roleArn ?? null,
    olderTemplate: usesOlderTemplate(connection),
    // A connection never checked is unknown, never healthy.
    overall: result?.overall ?? ('unknown' as OverallHealth),
    checkedAt: result?.checkedAt ?? null,
    checks: (result?.checks ?? []).map((check) => ({
      id: check.id,
      status: check.status,
      summary: check.summary,
      ...(check.fix ? { fix: check.fix } : {}),
      ...(check.notAvailableHere ? { notAvailableHere: true } : {}),
    })),
  };
}
export type HealthRow = ReturnType<typeof healthRow>;

export function healthSummary(
  organizationId: string,
  connections: readonly Connection[],
  health: readonly ConnectionHealth[],
) {
  const byKey = new Map(health.map((h) => [h.connectionKey, h]));
  const rows = connections.map((connection) => healthRow(connection, byKey.get(connectionKey(connection))));
  return { organizationId, summary: healthCounts(rows), connections: rows };
}
