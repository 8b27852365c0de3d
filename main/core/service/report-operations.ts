/** Reports, for the service: the recorded connections with their latest health; reads only the data directory. */
import type { OrganizationSnapshot } from '../org/index.js';
import { latestHealth, noConnectionsError } from '../health/health-service.js';
import type { Connection } from '../health/connection.js';
import { renderCsvReport, renderJsonReport, renderXlsxReport } from '../reports/index.js';
import type { Coverage } from '../health/coverage.js';
import { coverageFromDataDir } from '../health/coverage-inputs.js';
import { createCoverageHistory } from '../health/coverage-history.js';
import { coverageSeries } from './health-operations.js';
import type { ServiceSession } from './session.js';

export interface ReportOptions {
  format: 'csv' | 'json' | 'xlsx';
  runId?: string;
  revealExternalId?: string;
  snapshot?: OrganizationSnapshot;
  /** Discover the Organization with this profile, so the report lists every account as it is now. */
  profile?: string;
}

/** A report of the recorded connections with their latest health. */
export async function report(session: ServiceSession, options: ReportOptions): Promise<Buffer> {
  const connections = await session.connections(options.runId ? { runId: options.runId } : {});
  if (connections.length === 0) throw noConnectionsError(session.dataDir);
  const snapshot =
    options.snapshot ?? (options.profile ? await session.discover(options.profile) : undefined);
  const coverage = await reportCoverage(session, snapshot, connections);
  const input = {
    connections,
    health: await latestHealth(session.dataDir, connections),
    ...(snapshot ? { snapshot } : {}),
    ...(coverage ? { coverage, series: await coverageSeries(session, coverage.organizationId) } : {}),
    ...(options.revealExternalId ? { revealExternalId: options.revealExternalId } : {}),
  };
  if (options.format === 'xlsx') return renderXlsxReport(input);
  if (options.format === 'csv') return Buffer.from(renderCsvReport(input), 'utf8');
  return Buffer.from(renderJsonReport(input), 'utf8');
}

/**
 * A report's coverage: from a discovery when there is one, else the newest coverage a round of checks saved for
 * the reported connections' Organization (so a report needs no AWS call to list every account).
 */
async function reportCoverage(
  session: ServiceSession,
  snapshot: OrganizationSnapshot | undefined,
  connections: readonly Connection[],
): Promise<Coverage | undefined> {
  if (snapshot) return coverageFromDataDir(session.dataDir, snapshot);
  const managementIds = new Set(connections.map((c) => c.managementAccountId));
  const saved = await createCoverageHistory(session.dataDir).latestCoverages();
  return saved.find((coverage) => managementIds.has(coverage.managementAccountId));
}
