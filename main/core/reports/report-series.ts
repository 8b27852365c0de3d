/**
 * The Organization's daily series as a table under the XLSX Summary (the same points the Health chart draws),
 * so finance can answer "since when not?" from the file alone.
 */
import type ExcelJS from 'exceljs';
import type { CoveragePoint } from '../health/coverage-history.js';

export const SERIES_HEADERS = [
  'Day',
  'Healthy',
  'Degraded',
  'Unhealthy',
  'Unknown',
  'Active accounts',
  'Connected',
  'Share connected',
] as const;

export function addSeriesTable(sheet: ExcelJS.Worksheet, series: readonly CoveragePoint[]): void {
  sheet.addRow([]);
  const title = sheet.addRow(['History (one point per day, the day’s last check)']);
  title.font = { bold: true };
  if (series.length === 0) {
    sheet.addRow(['No rounds of checks recorded yet']);
    return;
  }
  sheet.addRow([...SERIES_HEADERS]).font = { bold: true };
  for (const point of series) {
    const row = sheet.addRow([
      point.day,
      point.healthy,
      point.degraded,
      point.unhealthy,
      point.unknown,
      point.activeAccounts,
      point.connectedActive,
      point.share ?? 'not known',
    ]);
    if (point.share !== null) row.getCell(8).numFmt = '0.0%';
  }
}
