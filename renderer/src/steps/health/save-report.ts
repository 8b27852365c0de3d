/**
 * Health's "Export report": the desktop app asks where with its native save dialog and writes the file itself
 * (report.save); the browser host hands over the bytes and the page downloads them (report.export).
 */
import type { RequestInputOf } from '../../../../preload/contract.js';
import { hostHasSaveDialog, orgconnectApi } from '../../bridge/index.js';
import { workspaceUpdater } from '../../store/wizard-store.js';
import { withFlash } from '../../store/wizard-state.js';
import { downloadBase64 } from './download.js';

export async function saveReport(request: RequestInputOf<'report.export'>): Promise<void> {
  if (!hostHasSaveDialog()) {
    const file = await orgconnectApi().report.export(request);
    downloadBase64(file.filename, file.mimeType, file.base64);
    return;
  }
  const update = workspaceUpdater();
  const { savedTo } = await orgconnectApi().report.save(request);
  // Cancelling the dialog is an answer, not a problem: nothing to say.
  if (savedTo === null) return;
  update((s) => withFlash(s, { type: 'success', title: 'Report saved', message: savedTo }));
}
