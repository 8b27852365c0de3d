/**
 * `health` for people: the summary first, then each problem once — grouped by check and reason, with the
 * accounts it hits and the fix — so 40 connections with the same problem read as one paragraph, not 40. The
 * per-connection table only with --wide (and every account of a group listed in full).
 */
import type { HealthRow } from '../core/health/health-summary.js';
import { formatTable, type TableOptions } from './output.js';

interface HealthBody {
  summary: { total: number; healthy: number; degraded: number; unhealthy: number; unknown: number };
  connections: readonly HealthRow[];
}

export interface ProblemGroup {
  check: string;
  status: 'fail' | 'warn' | 'unknown';
  summary: string;
  fix: string | undefined;
  accounts: string[];
}

const VERB = { fail: 'fails', warn: 'warns', unknown: 'could not be checked' } as const;
const ORDER = { fail: 0, warn: 1, unknown: 2 } as const;
const ACCOUNTS_SHOWN = 8;

/** Problems grouped by (check, status, reason, fix), worst first, then by how many connections they hit. */
export function problemGroups(connections: readonly HealthRow[]): ProblemGroup[] {
  const groups = new Map<string, ProblemGroup>();
  for (const connection of connections) {
    for (const check of connection.checks) {
      if (check.status !== 'fail' && check.status !== 'warn' && check.status !== 'unknown') continue;
      if (check.status === 'unknown' && check.notAvailableHere) continue;
      const key = JSON.stringify([check.id, check.status, check.summary, check.fix ?? '']);
      const group = groups.get(key) ?? {
        check: check.id,
        status: check.status,
        summary: check.summary,
        fix: check.fix,
        accounts: [],
      };
      group.accounts.push(connection.accountId);
      groups.set(key, group);
    }
  }
  return [...groups.values()].sort(
    (a, b) => ORDER[a.status] - ORDER[b.status] || b.accounts.length - a.accounts.length,
  );
}

/** Checks the endpoint cannot answer (an emulator, a partition): one line, not a problem. */
function notAvailableLine(connections: readonly HealthRow[]): string | undefined {
  const counts = new Map<string, number>();
  for (const connection of connections)
    for (const check of connection.checks)
      if (check.status === 'unknown' && check.notAvailableHere)
        counts.set(check.id, (counts.get(check.id) ?? 0) + 1);
  if (counts.size === 0) return undefined;
  const list = [...counts].map(([id, n]) => `${id} (${n})`).join(', ');
  return `Not available at this endpoint, so not checked (not counted against health): ${list}.`;
}

function accountList(accounts: readonly string[], wide: boolean): string {
  if (wide || accounts.length <= ACCOUNTS_SHOWN) return accounts.join(', ');
  return `${accounts.slice(0, ACCOUNTS_SHOWN).join(', ')} and ${accounts.length - ACCOUNTS_SHOWN} more (--wide lists all)`;
}

export function healthReport(body: HealthBody, options: { wide: boolean; table: TableOptions }): string {
  const s = body.summary;
  const out: string[] = [
    `${s.healthy}/${s.total} healthy, ${s.degraded} degraded, ${s.unhealthy} unhealthy, ${s.unknown} unknown.`,
  ];
  const groups = problemGroups(body.connections);
  for (const group of groups) {
    const n = group.accounts.length;
    out.push(
      '',
      `${group.check} ${VERB[group.status]} in ${n} connection${n === 1 ? '' : 's'}: ${group.summary}`,
      `  Accounts: ${accountList(group.accounts, options.wide)}`,
      ...(group.fix ? [`  Fix: ${group.fix}`] : []),
    );
  }
  const notAvailable = notAvailableLine(body.connections);
  if (notAvailable) out.push('', notAvailable);
  if (options.wide) {
    out.push(
      '',
      formatTable(
        body.connections,
        [
          { header: 'ACCOUNT', value: (c) => c.accountId },
          { header: 'CONNECTION', value: (c) => c.connectionName },
          { header: 'KIND', value: (c) => c.kind },
          { header: 'HEALTH', value: (c) => c.overall },
          { header: 'PLATFORM', value: (c) => platformStatus(c.checks) },
          {
            header: 'PROBLEMS',
            value: (c) =>
              problemGroups([c])
                .map((g) => g.check)
                .join(', '),
          },
        ],
        options.table,
      ).trimEnd(),
    );
  } else if (groups.length === 0 && s.healthy === s.total) {
    out.push('', 'Every connection passed every check that can run here. (--wide shows each connection.)');
  } else {
    out.push('', 'Each connection: orgconnect health --wide');
  }
  return `${out.join('\n')}\n`;
}

/** The platform-registration check in a word: registered, refused, or not registered. */
function platformStatus(checks: readonly { id: string; status: string }[]): string {
  const status = checks.find((check) => check.id === 'platform-registration')?.status;
  if (status === 'pass') return 'registered';
  if (status === 'fail') return 'refused';
  if (status === 'warn') return 'not registered';
  return '-';
}
