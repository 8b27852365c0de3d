/**
 * The CSV connection report: RFC 4180 (CRLF line ends, quotes doubled) written by csv-stringify, with a UTF-8
 * byte order mark so Excel reads non-ASCII names correctly. Every cell is neutralised against formula
 * injection (cell-safety.ts). Connection name and role ARN come first, for the platform's bulk import.
 */
import { stringify } from 'csv-stringify/sync';
import { neutraliseFormula } from './cell-safety.js';
import type { ReportInput } from './report-rows.js';
import { ACCOUNT_REPORT_COLUMNS, buildAccountRows } from './report-accounts.js';

/** Every account of the Organization when coverage is known (accounts without a connection after the connections). */
export function renderCsvReport(input: ReportInput, options: { bom?: boolean } = {}): string {
  const rows = buildAccountRows(input).map((row) =>
    ACCOUNT_REPORT_COLUMNS.map((column) => neutraliseFormula(row[column.key])),
  );
  return stringify([ACCOUNT_REPORT_COLUMNS.map((column) => column.header), ...rows], {
    bom: options.bom ?? true,
    record_delimiter: 'windows',
    quoted_match: /[\r\n]/,
  });
}
