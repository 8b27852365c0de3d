/**
 * The connection report, as the two hosts hand it over: `report.export` returns the file's bytes (the browser
 * host's page downloads them), `report.save` asks the person where to save it and writes it on this machine (the
 * desktop app's native save dialog). The page never names a path: the dialog does.
 */
import type { RequestOf, ResponseOf } from '../../preload/contract.js';
import { OrgConnectError } from '../core/errors.js';
import type { OrgConnectService } from '../core/service.js';

type ReportFormat = RequestOf<'report.export'>['format'];

const REPORT_MIME_TYPES = {
  csv: 'text/csv',
  json: 'application/json',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
} as const;

export interface ReportFile {
  format: ReportFormat;
  /** What the dialog proposes: orgconnect-connections-<UTC time>.<format>. */
  defaultName: string;
  body: Buffer;
}

/** Asks where to save the report and writes it there; the path written, or undefined when the person cancelled. */
export type SaveReport = (report: ReportFile) => Promise<string | undefined>;

export function createReportHandlers(
  service: Pick<OrgConnectService, 'report'>,
  saveReport: SaveReport | undefined,
) {
  const render = async ({ format, runId, profile }: RequestOf<'report.export'>): Promise<ReportFile> => {
    const body = await service.report({
      format,
      ...(runId === undefined ? {} : { runId }),
      ...(profile === undefined ? {} : { profile }),
    });
    const stamp = new Date().toISOString().slice(0, 19).replaceAll(':', '').replace('T', '-');
    return { format, defaultName: `orgconnect-connections-${stamp}.${format}`, body };
  };

  return {
    'report.export': async (request: RequestOf<'report.export'>): Promise<ResponseOf<'report.export'>> => {
      const file = await render(request);
      return {
        filename: file.defaultName,
        mimeType: REPORT_MIME_TYPES[file.format],
        base64: file.body.toString('base64'),
      };
    },
    'report.save': async (request: RequestOf<'report.save'>): Promise<ResponseOf<'report.save'>> => {
      if (!saveReport) {
        throw new OrgConnectError('SAVE_DIALOG_UNAVAILABLE', 'This host has no save dialog.', {
          fix: 'Use Export report in the browser: it downloads the file.',
        });
      }
      return { savedTo: (await saveReport(await render(request))) ?? null };
    },
  };
}
