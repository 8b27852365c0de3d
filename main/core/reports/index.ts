// Connection reports (CSV, JSON, XLSX) from connections and their latest health.
export { neutraliseFormula, safeXlsxText, XLSX_MAX_CELL_CHARS } from './cell-safety.js';
export {
  REPORT_COLUMNS,
  PROBLEM_COLUMNS,
  buildReportRows,
  buildProblemRows,
  buildSummary,
  maskExternalId,
  type ReportInput,
  type ReportRow,
  type ProblemRow,
  type ReportSummary,
} from './report-rows.js';
export {
  buildJsonReport,
  renderJsonReport,
  connectionReportSchema,
  reportConnectionSchema,
  type ConnectionReport,
} from './report-json.js';
export { renderCsvReport } from './report-csv.js';
export { renderXlsxReport } from './report-xlsx.js';
export {
  ACCOUNT_REPORT_COLUMNS,
  COVERAGE_STATUS_LABELS,
  NOT_CONNECTED_COLUMNS,
  buildAccountRows,
  buildNotConnectedRows,
  uncoveredAccounts,
  type AccountReportRow,
  type NotConnectedRow,
} from './report-accounts.js';
