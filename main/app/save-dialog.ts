/**
 * The native "Save report" dialog behind `report.save`: the report bytes come from the core, the path from the
 * person. Electron's dialog is passed in (main.ts), so this runs and is tested without Electron.
 */
import path from 'node:path';
import type { SaveDialogOptions, SaveDialogReturnValue } from 'electron';
import { writePrivateFile } from '../core/reports/write-private-file.js';
import type { ReportFile, SaveReport } from '../host/report-handlers.js';

const FILTERS = {
  csv: { name: 'CSV', extensions: ['csv'] },
  json: { name: 'JSON', extensions: ['json'] },
  xlsx: { name: 'Excel workbook', extensions: ['xlsx'] },
} as const;

export interface ReportSaverOptions {
  /** dialog.showSaveDialog, attached to the app's window when there is one (so it is modal to it). */
  showSaveDialog: (options: SaveDialogOptions) => Promise<SaveDialogReturnValue>;
  /** Where the dialog opens: the person's Downloads folder. */
  defaultDirectory: string;
}

/** Returns the path written, or undefined when the person cancelled. */
export function createReportSaver({ showSaveDialog, defaultDirectory }: ReportSaverOptions): SaveReport {
  return async (report: ReportFile) => {
    const filter = FILTERS[report.format];
    const choice = await showSaveDialog({
      title: 'Save connection report',
      defaultPath: path.join(defaultDirectory, report.defaultName),
      filters: [{ name: filter.name, extensions: [...filter.extensions] }],
      properties: ['createDirectory', 'showOverwriteConfirmation'],
    });
    if (choice.canceled || !choice.filePath) return undefined;
    // Owner-only, as the CLI writes reports (see write-private-file.ts).
    await writePrivateFile(choice.filePath, report.body);
    return choice.filePath;
  };
}
