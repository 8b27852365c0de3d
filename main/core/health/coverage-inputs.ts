/**
 * What coverage is computed from, read from the data directory: the recorded connections, the newest deploy
 * attempt of every account (from the run journals, newest run first) and the last look — when the newest run of
 * the Organization was created, i.e. when the admin last chose accounts. Reads only local files.
 */
import { connectionKey } from '../onboarding/connection-key.js';
import { listRuns, readRunState } from '../onboarding/journal.js';
import type { OrganizationSnapshot } from '../org/types.js';
import { computeCoverage, type Coverage, type DeployAttempt } from './coverage.js';
import { loadConnections } from './health-service.js';

export interface CoverageRecords {
  attempts: DeployAttempt[];
  lastLookAt: string | null;
}

export async function loadCoverageRecords(
  dataDir: string,
  managementAccountId: string,
): Promise<CoverageRecords> {
  const byKey = new Map<string, DeployAttempt>();
  let lastLookAt: string | null = null;
  // Newest first (listRuns' order): the first attempt seen for an account is its latest.
  const listings = (await listRuns(dataDir)).filter(
    (l) => l.status !== 'unreadable' && l.managementAccountId === managementAccountId,
  );
  for (const listing of listings) {
    if (listing.createdAt !== undefined && (lastLookAt === null || listing.createdAt > lastLookAt)) {
      lastLookAt = listing.createdAt;
    }
    const run = await readRunState(dataDir, listing.runId);
    for (const account of run.accounts) {
      const key = connectionKey(account);
      const { action } = account;
      // A disconnect run is no attempt to connect: its accounts are judged by the connections it left.
      if (byKey.has(key) || action === 'delete' || action === 'deregister') continue;
      byKey.set(key, {
        accountId: account.accountId,
        kind: account.kind,
        state: account.state,
        action,
        ...(account.stateCode === undefined ? {} : { code: account.stateCode }),
        ...(account.stateReason === undefined ? {} : { reason: account.stateReason }),
        ...(account.stateFix === undefined ? {} : { fix: account.stateFix }),
        at: account.updatedAt,
      });
    }
  }
  return { attempts: [...byKey.values()], lastLookAt };
}

/** Coverage of one discovered Organization against what this data directory recorded for it. */
export async function coverageFromDataDir(
  dataDir: string,
  snapshot: OrganizationSnapshot,
): Promise<Coverage> {
  const managementAccountId = snapshot.organization.managementAccountId;
  const [connections, records] = await Promise.all([
    loadConnections(dataDir, { managementAccountId }),
    loadCoverageRecords(dataDir, managementAccountId),
  ]);
  return computeCoverage({ snapshot, connections, ...records });
}
