/**
 * Health, for the service: a monitor over a management profile's connections, one round of checks or a watch,
 * and the coverage series each round records. Results reach hosts as Health table rows.
 */
import type { OrganizationSnapshot } from '../org/index.js';
import { createMonitorFor, noConnectionsError } from '../health/health-service.js';
import { connectionKey, type Connection } from '../health/connection.js';
import { healthRow, type HealthRow } from '../health/health-summary.js';
import type { ConnectionHealth } from '../health/check-result.js';
import type { CheckOptions } from '../health/check-context.js';
import type { HealthEvent, HealthMonitor } from '../health/monitor.js';
import { DEFAULT_ACCESS_ROLE_NAME } from '../onboarding/account-credentials.js';
import type { Coverage } from '../health/coverage.js';
import { coverageFromDataDir } from '../health/coverage-inputs.js';
import { coveragePoint, createCoverageHistory, type CoveragePoint } from '../health/coverage-history.js';
import { healthCounts } from '../health/health-counts.js';
import { createHealthHistory } from '../health/history.js';
import type { ServiceSession } from './session.js';

export interface HealthCheckOptions {
  runId?: string;
  accessRoleName?: string;
  checks?: CheckOptions;
}

/** One connection's latest result, as a Health table row, with its Organization and whether it changed. */
export interface HealthRowResult {
  organizationId: string;
  row: HealthRow;
  /** The overall health or a check's status differs from the connection's previous result. */
  changed: boolean;
  /** The previous result's overall health; undefined the first time a connection is checked. */
  previousOverall?: ConnectionHealth['overall'];
}

export interface HealthMonitorOptions {
  accessRoleName?: string;
  checks?: CheckOptions;
  onEvent?: (event: HealthEvent) => void;
  onChecked?: (current: ConnectionHealth, changed: boolean, previous?: ConnectionHealth) => void;
  onRound?: (results: ConnectionHealth[]) => void | Promise<void>;
}

export interface HealthChecked {
  connections: Connection[];
  health: ConnectionHealth[];
  snapshot: OrganizationSnapshot;
  coverage: Coverage;
  series: CoveragePoint[];
}

export type WatchHealthOptions = HealthCheckOptions & {
  intervalMs: number;
  onResult: (result: HealthRowResult) => void;
  onRound?: (recorded: { coverage: Coverage; series: CoveragePoint[] }) => void;
};

/**
 * A health monitor for a management profile's connections: checks run with its access into each account;
 * every change is an event and lands in the history under the data directory.
 */
export async function healthMonitor(
  session: ServiceSession,
  profile: string,
  options: HealthMonitorOptions = {},
): Promise<{ monitor: HealthMonitor; snapshot: OrganizationSnapshot }> {
  const factory = await session.clientFactory(profile);
  const snapshot = await session.discover(profile);
  const monitor = await createMonitorFor({
    factory,
    snapshot,
    dataDir: session.dataDir,
    accessRoleName: options.accessRoleName ?? DEFAULT_ACCESS_ROLE_NAME,
    ...(options.checks ? { options: options.checks } : {}),
    ...(options.onEvent ? { onEvent: options.onEvent } : {}),
    ...(options.onChecked ? { onChecked: options.onChecked } : {}),
    ...(options.onRound ? { onRound: options.onRound } : {}),
  });
  return { monitor, snapshot };
}

/**
 * Checks every connection of the profile's Organization once. `onResult` hears each connection's result as soon
 * as it is known, with whether it changed (the Health table fills in while the round runs).
 */
export async function checkHealth(
  session: ServiceSession,
  profile: string,
  options: HealthCheckOptions & { onResult?: (result: HealthRowResult) => void } = {},
): Promise<HealthChecked> {
  const byKey = new Map<string, Connection>();
  const { monitor, snapshot } = await healthMonitor(session, profile, {
    ...options,
    ...(options.onResult ? { onChecked: rowResultListener(byKey, () => snapshot, options.onResult) } : {}),
  });
  const connections = await session.connections({
    ...(options.runId ? { runId: options.runId } : {}),
    managementAccountId: snapshot.organization.managementAccountId,
  });
  if (connections.length === 0) throw noConnectionsError(session.dataDir);
  for (const connection of connections) byKey.set(connectionKey(connection), connection);
  const health = await monitor.checkNow(connections);
  const { coverage, series } = await recordCoverage(session, snapshot, health);
  return { connections, health, snapshot, coverage, series };
}

/**
 * Coverage of the Organization against the recorded connections, and — after a round of checks — the day's
 * point of its series (connections by health, share connected). Reads local files only.
 */
export async function recordCoverage(
  session: ServiceSession,
  snapshot: OrganizationSnapshot,
  health: readonly ConnectionHealth[],
): Promise<{ coverage: Coverage; series: CoveragePoint[] }> {
  const coverage = await coverageFromDataDir(session.dataDir, snapshot);
  const connected = new Set(
    (await session.connections({ managementAccountId: snapshot.organization.managementAccountId })).map(
      connectionKey,
    ),
  );
  const counts = healthCounts(health.filter((h) => connected.has(h.connectionKey)));
  const series = await createCoverageHistory(session.dataDir).record(
    coverage,
    coveragePoint(coverage, counts, new Date()),
  );
  return { coverage, series };
}

/** The Organization's coverage now: discovery plus the recorded connections and deploy attempts. */
export async function coverage(session: ServiceSession, profile: string): Promise<Coverage> {
  return coverageFromDataDir(session.dataDir, await session.discover(profile));
}

/** The Organization's daily series (oldest first), as recorded by rounds of checks. */
export function coverageSeries(session: ServiceSession, organizationId: string): Promise<CoveragePoint[]> {
  return createCoverageHistory(session.dataDir).series(organizationId);
}

/** One connection's kept results, oldest first (the timeline of its checks). */
export function connectionHistory(session: ServiceSession, key: string): Promise<ConnectionHealth[]> {
  return createHealthHistory(session.dataDir).read(key);
}

/**
 * Checks the profile's connections now and then every `intervalMs` (a round still running skips a tick),
 * reporting each result to `onResult`; the connections are re-read from the runs every round, so accounts
 * connected later are watched too. Returns the stop function.
 */
export async function watchHealth(
  session: ServiceSession,
  profile: string,
  options: WatchHealthOptions,
): Promise<() => void> {
  const byKey = new Map<string, Connection>();
  const { monitor, snapshot } = await healthMonitor(session, profile, {
    ...options,
    onChecked: rowResultListener(byKey, () => snapshot, options.onResult),
    // Accounts join and leave between rounds: coverage is taken from a fresh discovery each time.
    onRound: async (results) => {
      const fresh = await session.discover(profile).catch(() => snapshot);
      const recorded = await recordCoverage(session, fresh, results);
      options.onRound?.(recorded);
    },
  });
  monitor.start(async () => {
    const connections = await session.connections({
      ...(options.runId ? { runId: options.runId } : {}),
      managementAccountId: snapshot.organization.managementAccountId,
    });
    for (const connection of connections) byKey.set(connectionKey(connection), connection);
    return connections;
  }, options.intervalMs);
  return () => monitor.stop();
}

function rowResultListener(
  connections: ReadonlyMap<string, Connection>,
  snapshot: () => OrganizationSnapshot,
  onResult: (result: HealthRowResult) => void,
): (current: ConnectionHealth, changed: boolean, previous?: ConnectionHealth) => void {
  return (current, changed, previous) => {
    const connection = connections.get(current.connectionKey);
    if (connection === undefined) return;
    onResult({
      organizationId: snapshot().organization.id,
      row: healthRow(connection, current),
      changed,
      ...(previous === undefined ? {} : { previousOverall: previous.overall }),
    });
  };
}
