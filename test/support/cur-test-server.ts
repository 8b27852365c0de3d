/**
 * moto has no Cost and Usage Report or Data Exports API. This small HTTP server answers the two JSON 1.1 protocols
 * (x-amz-target `AWSOrigamiServiceGatewayService.*` and `AWSBillingAndCostManagementDataExports.*`) with the
 * recorded responses in test/fixtures/recorded, so the real SDK clients, endpoint resolution from the AWS config's
 * `[services]` section and SigV4 signing are all exercised. Requests without a SigV4 signature are refused.
 *
 * CreateExport is checked against the API's request shape and the platform's requirements (data-exports-shape.ts)
 * and recorded; ListExports / GetExport then answer with what was created too, so the next plan sees it.
 * `{ recordings: false }` starts with no report at all (the management account of a new Organization).
 */
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { recorded } from '../fixtures/recorded/recorded.js';
import { createExportRequest, type CreateExportRequest } from './data-exports-shape.js';

export interface CreatedExport {
  arn: string;
  request: CreateExportRequest;
}

export interface CurTestServer {
  url: string;
  /** Operations answered, in order (e.g. `DescribeReportDefinitions`, `ListExports`, `GetExport`). */
  readonly calls: readonly string[];
  /** Exports accepted by CreateExport, in order. */
  readonly created: readonly CreatedExport[];
  stop(): Promise<void>;
}

const ANSWERS: Record<string, () => unknown> = {
  'AWSOrigamiServiceGatewayService.DescribeReportDefinitions': () =>
    recorded('cur-describe-report-definitions.json'),
};

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => resolve(body));
    request.on('error', reject);
  });
}

const ACCOUNT = '111122223333';

export async function startCurTestServer(options: { recordings?: boolean } = {}): Promise<CurTestServer> {
  const recordings = options.recordings ?? true;
  const calls: string[] = [];
  const created: CreatedExport[] = [];
  const server = createServer((request, response) => {
    void (async () => {
      const body = await readBody(request);
      const target = String(request.headers['x-amz-target'] ?? '');
      const reply = (status: number, payload: unknown) => {
        response.writeHead(status, { 'content-type': 'application/x-amz-json-1.1' });
        response.end(JSON.stringify(payload));
      };
      if (!String(request.headers.authorization ?? '').startsWith('AWS4-HMAC-SHA256 ')) {
        reply(403, {
          __type: 'MissingAuthenticationTokenException',
          message: 'Missing Authentication Token',
        });
        return;
      }
      calls.push(target.split('.').at(-1) ?? target);
      const input = JSON.parse(body || '{}') as Record<string, unknown>;
      if (target === 'AWSBillingAndCostManagementDataExports.CreateExport') {
        const parsed = createExportRequest.safeParse(input);
        if (!parsed.success) {
          reply(400, {
            __type: 'ValidationException',
            Message: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '),
          });
          return;
        }
        const name = parsed.data.Export.Name;
        if (created.some((c) => c.request.Export.Name === name)) {
          reply(400, { __type: 'ValidationException', Message: `An export named ${name} already exists` });
          return;
        }
        const arn = `arn:aws:bcm-data-exports:us-east-1:${ACCOUNT}:export/${name}-${created.length + 1}`;
        created.push({ arn, request: parsed.data });
        reply(200, { ExportArn: arn });
        return;
      }
      if (target === 'AWSBillingAndCostManagementDataExports.ListExports') {
        const listed = recordings ? recorded<{ Exports: unknown[] }>('bcm-list-exports.json').Exports : [];
        const ours = created.map((c) => ({
          ExportArn: c.arn,
          ExportName: c.request.Export.Name,
          ExportStatus: { StatusCode: 'HEALTHY' },
        }));
        reply(200, { Exports: [...listed, ...ours] });
        return;
      }
      if (target === 'AWSOrigamiServiceGatewayService.DescribeReportDefinitions' && !recordings) {
        reply(200, { ReportDefinitions: [] });
        return;
      }
      if (target === 'AWSBillingAndCostManagementDataExports.GetExport') {
        const arn = String(input['ExportArn'] ?? '');
        const ours = created.find((c) => c.arn === arn);
        if (ours) {
          reply(200, {
            Export: { ...ours.request.Export, ExportArn: arn },
            ExportStatus: { StatusCode: 'HEALTHY' },
          });
          return;
        }
        if (!recordings) {
          reply(400, { __type: 'ResourceNotFoundException', Message: `no export ${arn}` });
          return;
        }
        reply(
          200,
          recorded(arn.includes('focus') ? 'bcm-get-export-focus.json' : 'bcm-get-export-cur2.json'),
        );
        return;
      }
      const answer = ANSWERS[target];
      if (answer) reply(200, answer());
      else reply(400, { __type: 'UnknownOperationException', message: `no recording for ${target}` });
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    calls,
    created,
    stop: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/**
 * AWS config text for a profile whose AWS calls go to `endpoint` (moto, or a proxy in front of it) except the
 * Cost and Usage Report APIs, which its `[services]` section sends to this server — as a user would configure it.
 */
export function profileWithRecordedCur(profile: string, endpoint: string, curUrl: string): string {
  return [
    `[profile ${profile}]`,
    'region = us-east-1',
    `endpoint_url = ${endpoint}`,
    'aws_access_key_id = testing',
    'aws_secret_access_key = testing',
    `services = ${profile}-billing`,
    '',
    `[services ${profile}-billing]`,
    'cost_and_usage_report_service =',
    `  endpoint_url = ${curUrl}`,
    '',
  ].join('\n');
}
