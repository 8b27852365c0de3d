/**
 * The Organization's health over time: one point per UTC day in `<dataDir>/coverage/<orgId>.jsonl` — connections
 * by overall health and the share of active accounts connected. The last write of a day replaces that day's
 * point; the newest DEFAULT_SERIES_DAYS points are kept, so the file stays a few tens of kilobytes. Every write
 * rewrites the file whole (temp file, fsync, rename): a crash leaves the old series or the new one. The latest
 * coverage is kept next to it (`<orgId>.latest.json`), so reports can list every account without a discovery.
 */
import { mkdir, open, readdir, readFile, rename } from 'node:fs/promises';
import path from 'node:path';
import type { Coverage } from './coverage.js';
import { OrgConnectError } from '../errors.js';
import { syncDirectory } from '../onboarding/sync-directory.js';
import { coveragePointSchema, coverageSchema, type CoveragePoint } from './coverage-schema.js';

export { coveragePointSchema, type CoveragePoint };

/** Well over the 90 days the Health chart shows, still bounded. */
export const DEFAULT_SERIES_DAYS = 180;

const ORG_ID = /^o-[a-z0-9]{10,32}$/;

export function coverageDir(dataDir: string): string {
  return path.join(dataDir, 'coverage');
}

/** Organization ids become file names; anything else could climb out of the folder. */
function seriesFile(dataDir: string, organizationId: string, suffix: '.jsonl' | '.latest.json'): string {
  if (!ORG_ID.test(organizationId)) {
    throw new OrgConnectError('ORG_ID_INVALID', `"${organizationId}" is not an Organization id.`, {
      fix: 'Use the id discovery shows (o- followed by 10 to 32 letters or digits).',
    });
  }
  return path.join(coverageDir(dataDir), `${organizationId}${suffix}`);
}

async function readText(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    if ((error as { code?: unknown }).code === 'ENOENT') return '';
    throw error;
  }
}

async function writeAtomically(file: string, data: string): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  const temp = `${file}.${process.pid}.tmp`;
  const handle = await open(temp, 'w', 0o600);
  try {
    await handle.writeFile(data);
    await handle.datasync();
  } finally {
    await handle.close();
  }
  await rename(temp, file);
  await syncDirectory(path.dirname(file));
}

/** Oldest first; unreadable lines are skipped (the series is a picture, not a journal). */
export async function readCoverageSeries(dataDir: string, organizationId: string): Promise<CoveragePoint[]> {
  const out: CoveragePoint[] = [];
  for (const line of (await readText(seriesFile(dataDir, organizationId, '.jsonl'))).split('\n')) {
    if (line.trim() === '') continue;
    try {
      const parsed = coveragePointSchema.safeParse(JSON.parse(line));
      if (parsed.success) out.push(parsed.data);
    } catch {
      // a hand-edited or foreign line
    }
  }
  return out.sort((a, b) => a.day.localeCompare(b.day));
}

/** Puts `point` in its day (replacing an earlier point of that day) and keeps the newest `keepDays` days. */
export function mergePoint(
  series: readonly CoveragePoint[],
  point: CoveragePoint,
  keepDays = DEFAULT_SERIES_DAYS,
): CoveragePoint[] {
  return [...series.filter((p) => p.day !== point.day), point]
    .sort((a, b) => a.day.localeCompare(b.day))
    .slice(-keepDays);
}

export function coveragePoint(
  coverage: Coverage,
  health: { healthy: number; degraded: number; unhealthy: number; unknown: number },
  at: Date,
): CoveragePoint {
  return {
    day: at.toISOString().slice(0, 10),
    at: at.toISOString(),
    healthy: health.healthy,
    degraded: health.degraded,
    unhealthy: health.unhealthy,
    unknown: health.unknown,
    activeAccounts: coverage.summary.activeAccounts,
    connectedActive: coverage.summary.connectedActive,
    share: coverage.summary.share,
  };
}

export interface CoverageHistory {
  record(coverage: Coverage, point: CoveragePoint): Promise<CoveragePoint[]>;
  series(organizationId: string): Promise<CoveragePoint[]>;
  /** The newest recorded coverage of every Organization in the data directory. */
  latestCoverages(): Promise<Coverage[]>;
}

export function createCoverageHistory(dataDir: string, keepDays = DEFAULT_SERIES_DAYS): CoverageHistory {
  // Writes of one Organization are serialised: two rounds finishing together must not lose a point.
  const tails = new Map<string, Promise<unknown>>();
  return {
    record(coverage, point) {
      const orgId = coverage.organizationId;
      const run = (tails.get(orgId) ?? Promise.resolve()).then(async () => {
        const merged = mergePoint(await readCoverageSeries(dataDir, orgId), point, keepDays);
        await writeAtomically(
          seriesFile(dataDir, orgId, '.jsonl'),
          merged.map((p) => `${JSON.stringify(p)}\n`).join(''),
        );
        await writeAtomically(seriesFile(dataDir, orgId, '.latest.json'), JSON.stringify(coverage));
        return merged;
      });
      tails.set(
        orgId,
        run.catch(() => undefined),
      );
      return run;
    },
    series: (organizationId) => readCoverageSeries(dataDir, organizationId),
    async latestCoverages() {
      let names: string[];
      try {
        names = await readdir(coverageDir(dataDir));
      } catch {
        return [];
      }
      const out: Coverage[] = [];
      for (const name of names.filter((n) => n.endsWith('.latest.json'))) {
        try {
          const parsed = coverageSchema.safeParse(
            JSON.parse(await readFile(path.join(coverageDir(dataDir), name), 'utf8')),
          );
          if (parsed.success) out.push(parsed.data);
        } catch {
          // torn or foreign file: no saved coverage for that Organization
        }
      }
      return out.sort((a, b) => b.discoveredAt.localeCompare(a.discoveredAt));
    },
  };
}
