/**
 * The XLSX connection report, four sheets: Summary (counts, the share of the Organization connected and the daily
 * series of health and coverage), Connections (the same columns as the CSV — every account, connection name and
 * role ARN first, ready for bulk import), Not connected (each account's reason and fix), and Problems (one row per
 * check that did not pass). Text cells are neutralised and cut to Excel's cell limit.
 */
import type ExcelJS from 'exceljs';
import { safeXlsxText } from './cell-safety.js';
import {
  ACCOUNT_REPORT_COLUMNS,
  NOT_CONNECTED_COLUMNS,
  buildAccountRows,
  buildNotConnectedRows,
} from './report-accounts.js';
import { addSeriesTable } from './report-series.js';
import {
  PROBLEM_COLUMNS,
  buildProblemRows,
  buildReportRows,
  buildSummary,
  generatedAtIso,
  type ReportInput,
} from './report-rows.js';

function addTable<T extends object>(
  sheet: ExcelJS.Worksheet,
  columns: readonly { key: keyof T; header: string }[],
  rows: readonly T[],
): void {
  sheet.columns = columns.map((column) => ({
    header: column.header,
    key: String(column.key),
    width: Math.max(14, column.header.length + 2),
  }));
  for (const row of rows) {
    sheet.addRow(
      Object.fromEntries(
        columns.map((column) => [String(column.key), safeXlsxText(String(row[column.key]))]),
      ),
    );
  }
  sheet.getRow(1).font = { bold: true };
  sheet.views = [{ state: 'frozen', ySplit: 1 }];
  sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: columns.length } };
}

function closedOrGone(input: ReportInput): number | null {
  const counts = input.coverage?.summary.counts;
  return counts ? counts['connected-account-closed'] + counts['connected-account-left'] : null;
}

export async function renderXlsxReport(input: ReportInput): Promise<Buffer> {
  // Loaded on first use: exceljs takes ~0.4 s to import, which every CLI command would otherwise pay at start.
  const { default: Excel } = await import('exceljs');
  const rows = buildReportRows(input);
  const summary = buildSummary(input, rows);
  const workbook = new Excel.Workbook();
  workbook.creator = 'orgconnect';
  const generatedAt = generatedAtIso(input);
  workbook.created = new Date(generatedAt);

  const sheet = workbook.addWorksheet('Summary');
  sheet.columns = [
    { header: 'Item', key: 'item', width: 40 },
    { header: 'Value', key: 'value', width: 30 },
  ];
  const lines: [string, string | number | null][] = [
    ['Generated at', generatedAt],
    ['Organization', summary.organizationId],
    ['Accounts in the Organization (any state)', input.coverage?.summary.accounts ?? null],
    ['Management account(s)', summary.managementAccountIds.join(', ')],
    ['Active accounts in the Organization', summary.activeAccounts],
    ['Accounts connected', summary.connectedAccounts],
    ['Active accounts not connected', input.coverage?.summary.counts['not-connected'] ?? null],
    ['… of them new since the last look', input.coverage?.summary.newNotConnected ?? null],
    ['Connected accounts closed or gone', closedOrGone(input)],
    ['Organization discovered at', input.coverage?.discoveredAt ?? null],
    ['Share of the Organization connected', summary.connectedShare],
    ['Billing connections', summary.billingConnections],
    ['Resource connections', summary.resourceConnections],
    ['Healthy', summary.health.healthy],
    ['Degraded', summary.health.degraded],
    ['Unhealthy', summary.health.unhealthy],
    ['Unknown', summary.health.unknown],
    ['Not checked', summary.health['not checked']],
  ];
  for (const [item, value] of lines) {
    const row = sheet.addRow({
      item,
      value: typeof value === 'string' ? safeXlsxText(value) : (value ?? 'not known'),
    });
    if (item === 'Share of the Organization connected' && typeof value === 'number')
      row.getCell('value').numFmt = '0.0%';
  }
  sheet.getRow(1).font = { bold: true };
  addSeriesTable(sheet, input.series ?? []);

  addTable(workbook.addWorksheet('Connections'), ACCOUNT_REPORT_COLUMNS, buildAccountRows(input));
  addTable(
    workbook.addWorksheet('Not connected'),
    NOT_CONNECTED_COLUMNS,
    buildNotConnectedRows(input.coverage),
  );
  addTable(workbook.addWorksheet('Problems'), PROBLEM_COLUMNS, buildProblemRows(input));
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
