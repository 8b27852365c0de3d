/**
 * The CSV connection report: RFC 4180 (CRLF line ends, quotes doubled) written by csv-stringify, with a UTF-8
 * byte order mark so Excel reads non-ASCII names correctly. Every cell is neutralised against formula
 * injection (cell-safety.ts). Connection name and role ARN come first, for the platform's bulk import.
 */
import { stringify } from 'csv-stringify/sync';
import { neutraliseFormula } from './cell-safety.js';
import { REPORT_COLUMNS, buildReportRows, type ReportInput } from './report-rows.js';

export function renderCsvReport(input: ReportInput, options: { bom?: boolean } = {}): string {
  const rows = buildReportRows(input).map((row) =>
    REPORT_COLUMNS.map((column) => neutraliseFormula(String(row[column.key]))),
  );
  return stringify([REPORT_COLUMNS.map((column) => column.header), ...rows], {
    bom: options.bom ?? true,
    record_delimiter: 'windows',
    quoted_match: /[\r\n]/,
  });
}
