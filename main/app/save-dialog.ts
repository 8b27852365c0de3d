/** The native "Save report" dialog; the report bytes come from the core, the path from the person. */
import { dialog, type BrowserWindow } from 'electron';
import { writePrivateFile } from '../core/reports/write-private-file.js';

const FILTERS = {
  csv: { name: 'CSV', extensions: ['csv'] },
  json: { name: 'JSON', extensions: ['json'] },
  xlsx: { name: 'Excel workbook', extensions: ['xlsx'] },
} as const;

/** Returns the path written, or undefined when the person cancelled. */
export async function saveReportWithDialog(
  window: BrowserWindow,
  report: { format: keyof typeof FILTERS; defaultName: string; body: Buffer },
): Promise<string | undefined> {
  const choice = await dialog.showSaveDialog(window, {
    title: 'Save connection report',
    defaultPath: report.defaultName,
    filters: [{ name: FILTERS[report.format].name, extensions: [...FILTERS[report.format].extensions] }],
    properties: ['createDirectory', 'showOverwriteConfirmation'],
  });
  if (choice.canceled || !choice.filePath) return undefined;
  // Owner-only, as the CLI writes reports (see write-private-file.ts).
  await writePrivateFile(choice.filePath, report.body);
  return choice.filePath;
}
