// The desktop app's native save dialog for reports (report.save), without Electron: the dialog is injected, the
// file is really written (owner-only) where the person chose, and the page never names a path.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { SaveDialogOptions, SaveDialogReturnValue } from 'electron';
import { channels } from '../../preload/contract.js';
import { createReportSaver } from '../../main/app/save-dialog.js';
import { createReportHandlers } from '../../main/host/report-handlers.js';
import { OrgConnectService } from '../../main/core/service.js';

const DOWNLOADS = '/home/someone/Downloads';

/** A dialog that records what it was asked and answers as the person would. */
function fakeDialog(answer: SaveDialogReturnValue) {
  const asked: SaveDialogOptions[] = [];
  return {
    asked,
    showSaveDialog: async (options: SaveDialogOptions) => {
      asked.push(options);
      return answer;
    },
  };
}

/** The core's report, as far as the host is concerned: bytes per format (what it was asked is recorded). */
function reportingService() {
  const asked: unknown[] = [];
  return {
    asked,
    report: async (options: { format: 'csv' | 'json' | 'xlsx'; runId?: string; profile?: string }) => {
      asked.push(options);
      return Buffer.from(`report as ${options.format} for ${options.runId ?? 'every run'}\n`, 'utf8');
    },
  };
}

const scratch = () => mkdtempSync(path.join(tmpdir(), 'orgconnect-save-dialog-'));

describe('the native save dialog', () => {
  test('proposes the report name in Downloads with the format filter, then writes the bytes owner-only', async () => {
    const dir = scratch();
    const chosen = path.join(dir, 'my report.xlsx');
    // An existing, world-readable file there: it is replaced and made owner-only.
    writeFileSync(chosen, 'old contents');
    chmodSync(chosen, 0o644);
    const dialog = fakeDialog({ canceled: false, filePath: chosen });
    const save = createReportSaver({ showSaveDialog: dialog.showSaveDialog, defaultDirectory: DOWNLOADS });
    const body = Buffer.from([0x50, 0x4b, 0x03, 0x04, 0xff, 0x00]);

    const written = await save({ format: 'xlsx', defaultName: 'orgconnect-connections-x.xlsx', body });

    assert.equal(written, chosen);
    assert.deepEqual(readFileSync(chosen), body);
    assert.equal(statSync(chosen).mode & 0o777, 0o600);
    assert.equal(dialog.asked.length, 1);
    assert.deepEqual(dialog.asked[0], {
      title: 'Save connection report',
      defaultPath: path.join(DOWNLOADS, 'orgconnect-connections-x.xlsx'),
      filters: [{ name: 'Excel workbook', extensions: ['xlsx'] }],
      properties: ['createDirectory', 'showOverwriteConfirmation'],
    });
  });

  test('each format offers its own filter', async () => {
    for (const [format, filter] of [
      ['csv', { name: 'CSV', extensions: ['csv'] }],
      ['json', { name: 'JSON', extensions: ['json'] }],
    ] as const) {
      const dialog = fakeDialog({ canceled: true, filePath: '' });
      const save = createReportSaver({ showSaveDialog: dialog.showSaveDialog, defaultDirectory: DOWNLOADS });
      await save({ format, defaultName: `r.${format}`, body: Buffer.from('x') });
      assert.deepEqual(dialog.asked[0]?.filters, [filter], format);
    }
  });

  test('cancelling writes nothing', async () => {
    const dir = scratch();
    for (const answer of [
      { canceled: true, filePath: path.join(dir, 'chosen-then-cancelled.csv') },
      { canceled: false, filePath: '' },
    ]) {
      const save = createReportSaver({
        showSaveDialog: fakeDialog(answer).showSaveDialog,
        defaultDirectory: DOWNLOADS,
      });
      assert.equal(
        await save({ format: 'csv', defaultName: 'r.csv', body: Buffer.from('a,b\n') }),
        undefined,
      );
    }
    assert.deepEqual(readdirSync(dir), []);
  });
});

describe('report.save on the host', () => {
  test('saves the same bytes report.export hands the browser, under the same name, where the person chose', async () => {
    const dir = scratch();
    const chosen = path.join(dir, 'connections.json');
    const dialog = fakeDialog({ canceled: false, filePath: chosen });
    const service = reportingService();
    const handlers = createReportHandlers(
      service,
      createReportSaver({ showSaveDialog: dialog.showSaveDialog, defaultDirectory: dir }),
    );
    const request = channels['report.save'].request.parse({ format: 'json', runId: 'run-1' });

    const saved = await handlers['report.save'](request);
    const exported = await handlers['report.export'](request);

    assert.deepEqual(channels['report.save'].response.parse(saved), { savedTo: chosen });
    assert.deepEqual(readFileSync(chosen), Buffer.from(exported.base64, 'base64'));
    assert.equal(readFileSync(chosen, 'utf8'), 'report as json for run-1\n');
    // Both asked the core for the same report; no profile key when none was given.
    assert.deepEqual(service.asked, [
      { format: 'json', runId: 'run-1' },
      { format: 'json', runId: 'run-1' },
    ]);
    const proposed = path.basename(String(dialog.asked[0]?.defaultPath));
    assert.match(proposed, /^orgconnect-connections-\d{4}-\d{2}-\d{2}-\d{6}\.json$/);
    assert.match(exported.filename, /^orgconnect-connections-\d{4}-\d{2}-\d{2}-\d{6}\.json$/);
    assert.equal(exported.mimeType, 'application/json');
  });

  test('a cancelled dialog answers savedTo: null', async () => {
    const handlers = createReportHandlers(
      reportingService(),
      createReportSaver({
        showSaveDialog: fakeDialog({ canceled: true, filePath: '' }).showSaveDialog,
        defaultDirectory: DOWNLOADS,
      }),
    );
    const saved = await handlers['report.save']({ format: 'csv' });
    assert.deepEqual(channels['report.save'].response.parse(saved), { savedTo: null });
  });

  test('the browser host has no dialog: report.save says so, with the fix', async () => {
    const handlers = createReportHandlers(reportingService(), undefined);
    await assert.rejects(
      handlers['report.save']({ format: 'csv' }),
      (error: Error & { code?: string; fix?: string }) => {
        assert.equal(error.code, 'SAVE_DIALOG_UNAVAILABLE');
        assert.match(error.fix ?? '', /downloads the file/);
        return true;
      },
    );
  });

  test('nothing recorded yet: the core says so and no dialog opens', async () => {
    const dataDir = scratch();
    const dialog = fakeDialog({ canceled: false, filePath: path.join(dataDir, 'never.csv') });
    const handlers = createReportHandlers(
      new OrgConnectService({ env: {}, dataDir }),
      createReportSaver({ showSaveDialog: dialog.showSaveDialog, defaultDirectory: DOWNLOADS }),
    );
    await assert.rejects(handlers['report.save']({ format: 'csv' }), { code: 'NO_CONNECTIONS' });
    assert.equal(dialog.asked.length, 0);
  });
});
