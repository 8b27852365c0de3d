/**
 * Whole-Organization rows for the CSV and the XLSX Connections sheet: every connection (as in report-rows.ts)
 * and, after them, every account of the Organization without one — each with a Status from the coverage
 * model — so an account that failed or joined yesterday is in the export too. The Not connected rows carry the
 * reason and the fix. Without coverage (no discovery was ever recorded) the rows are the connections alone.
 */
import type { Coverage, CoverageAccount, CoverageStatus } from '../health/coverage.js';
import { REPORT_COLUMNS, buildReportRows, type ReportInput, type ReportRow } from './report-rows.js';

/** How a status reads in a spreadsheet. */
export const COVERAGE_STATUS_LABELS: Record<CoverageStatus, string> = {
  connected: 'Connected',
  'not-connected': 'Not connected',
  'not-connectable': 'Not connectable',
  'connected-account-closed': 'Connected, account closed',
  'connected-account-left': 'Connected, account left the Organization',
};

export type AccountReportRow = Record<keyof ReportRow | 'status', string>;

/** The report's columns with Status third, after the two the platform's bulk import reads. */
export const ACCOUNT_REPORT_COLUMNS: readonly { key: keyof AccountReportRow; header: string }[] = [
  ...REPORT_COLUMNS.slice(0, 2),
  { key: 'status', header: 'Status' },
  ...REPORT_COLUMNS.slice(2),
];

export function buildAccountRows(input: ReportInput): AccountReportRow[] {
  const byAccount = new Map((input.coverage?.accounts ?? []).map((a) => [a.accountId, a]));
  const connected = buildReportRows(input).map((row) => {
    const status = byAccount.get(row.accountId)?.status ?? 'connected';
    return {
      ...(Object.fromEntries(Object.entries(row).map(([k, v]) => [k, String(v)])) as Record<
        keyof ReportRow,
        string
      >),
      status: COVERAGE_STATUS_LABELS[status],
    };
  });
  const empty = Object.fromEntries(REPORT_COLUMNS.map((c) => [c.key, ''])) as Record<keyof ReportRow, string>;
  const managementAccountId = input.coverage?.managementAccountId ?? '';
  const others = uncoveredAccounts(input.coverage).map((account) => ({
    ...empty,
    managementAccountId,
    accountId: account.accountId,
    accountName: account.accountName,
    ouPath: account.ouPath,
    status: COVERAGE_STATUS_LABELS[account.status],
  }));
  return [...connected, ...others];
}

/** Accounts of the Organization with no connection: not connected (new ones first), then not connectable. */
export function uncoveredAccounts(coverage: Coverage | undefined): CoverageAccount[] {
  const accounts = coverage?.accounts ?? [];
  return [
    ...accounts.filter((a) => a.status === 'not-connected' && a.isNew),
    ...accounts.filter((a) => a.status === 'not-connected' && !a.isNew),
    ...accounts.filter((a) => a.status === 'not-connectable'),
  ];
}

export interface NotConnectedRow {
  accountId: string;
  accountName: string;
  ouPath: string;
  accountState: string;
  joined: string;
  isNew: string;
  status: string;
  reason: string;
  detail: string;
  fix: string;
}

export const NOT_CONNECTED_COLUMNS: readonly { key: keyof NotConnectedRow; header: string }[] = [
  { key: 'accountId', header: 'Account ID' },
  { key: 'accountName', header: 'Account name' },
  { key: 'ouPath', header: 'OU path' },
  { key: 'accountState', header: 'Account state' },
  { key: 'joined', header: 'Joined' },
  { key: 'isNew', header: 'New since last look' },
  { key: 'status', header: 'Status' },
  { key: 'reason', header: 'Reason' },
  { key: 'detail', header: 'Why' },
  { key: 'fix', header: 'Fix' },
];

/** Every account that is not (or no longer rightly) connected, with the reason and the fix. */
export function buildNotConnectedRows(coverage: Coverage | undefined): NotConnectedRow[] {
  const leftOrClosed = (coverage?.accounts ?? []).filter(
    (a) => a.status === 'connected-account-closed' || a.status === 'connected-account-left',
  );
  return [...uncoveredAccounts(coverage), ...leftOrClosed].map((account) => ({
    accountId: account.accountId,
    accountName: account.accountName,
    ouPath: account.ouPath,
    accountState: account.accountState,
    joined: account.joinedAt ?? '',
    isNew: account.isNew ? 'yes' : 'no',
    status: COVERAGE_STATUS_LABELS[account.status],
    reason: account.reason ?? '',
    detail: account.detail,
    fix: account.fix ?? '',
  }));
}
