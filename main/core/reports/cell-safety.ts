/**
 * Spreadsheet safety for text cells. A cell that starts with `=`, `+`, `-`, `@`, a tab or a carriage return can
 * be run as a formula by Excel, LibreOffice or Google Sheets when a CSV is opened (OWASP "CSV injection");
 * prefixing `'` makes it plain text. Account and connection names come from the Organization, which anyone
 * with organizations:CreateAccount can name, so every text cell goes through here — in CSV and XLSX alike.
 */
const FORMULA_START = /^[=+\-@\t\r]/;

/** Excel's hard limit for one cell's text. */
export const XLSX_MAX_CELL_CHARS = 32_767;

export function neutraliseFormula(value: string): string {
  return FORMULA_START.test(value) ? `'${value}` : value;
}

/** Neutralised, and cut to what Excel can hold (with an ellipsis so the cut is visible). */
export function safeXlsxText(value: string): string {
  const safe = neutraliseFormula(value);
  return safe.length > XLSX_MAX_CELL_CHARS ? `${safe.slice(0, XLSX_MAX_CELL_CHARS - 1)}…` : safe;
}
