/**
 * moto has no Cost and Usage Report or Data Exports API. This small HTTP server answers the two JSON 1.1 protocols
 * (x-amz-target `AWSOrigamiServiceGatewayService.*` and `AWSBillingAndCostManagementDataExports.*`) with the
 * recorded responses in test/fixtures/recorded, so the real SDK clients, endpoint resolution from the AWS config's
 * `[services]` section and SigV4 signing are all exercised. Requests without a SigV4 signature are refused.
 */
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { recorded } from '../fixtures/recorded/recorded.js';

export interface CurTestServer {
  url: string;
  /** Operations answered, in order (e.g. `DescribeReportDefinitions`, `ListExports`, `GetExport`). */
  readonly calls: readonly string[];
  stop(): Promise<void>;
}

const ANSWERS: Record<string, () => unknown> = {
  'AWSOrigamiServiceGatewayService.DescribeReportDefinitions': () =>
    recorded('cur-describe-report-definitions.json'),
  'AWSBillingAndCostManagementDataExports.ListExports': () => recorded('bcm-list-exports.json'),
};

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => resolve(body));
    request.on('error', reject);
  });
}

export async function startCurTestServer(): Promise<CurTestServer> {
  const calls: string[] = [];
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
      if (target === 'AWSBillingAndCostManagementDataExports.GetExport') {
        const arn = (JSON.parse(body || '{}') as { ExportArn?: string }).ExportArn ?? '';
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
