/**
 * moto 5.2.5 has no Regions in its Account API (only alternate contacts). This small server answers the Account
 * API's REST-JSON ListRegions / GetRegionOptStatus / EnableRegion for an Organization: each account's Regions, opt-in
 * ones DISABLED unless told otherwise, EnableRegion moving one to ENABLING, as AWS does. Like AWS it refuses the
 * management account's own id as AccountId (the caller's account is implied) and unsigned requests. Reached through
 * the profile's `[services]` section, as a user's VPC endpoint would be.
 */
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

const DEFAULT_REGIONS = [
  'ap-northeast-1',
  'ap-south-1',
  'ap-southeast-1',
  'ca-central-1',
  'eu-central-1',
  'eu-west-1',
  'eu-west-2',
  'sa-east-1',
  'us-east-1',
  'us-east-2',
  'us-west-1',
  'us-west-2',
];
const OPT_IN_REGIONS = ['af-south-1', 'ap-east-1', 'eu-south-1', 'me-central-1', 'me-south-1'];

export interface AccountTestServer {
  url: string;
  /** EnableRegion calls accepted: the account (the caller's when none was given) and Region. */
  readonly enabled: ReadonlyArray<{ accountId: string; region: string; accountIdSent: boolean }>;
  /** A Region's status in an account, e.g. to set up an opt-in Region someone already enabled. */
  setStatus(accountId: string, region: string, status: string): void;
  status(accountId: string, region: string): string | undefined;
  stop(): Promise<void>;
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => resolve(body));
    request.on('error', reject);
  });
}

export async function startAccountTestServer(options: {
  managementAccountId: string;
}): Promise<AccountTestServer> {
  const statuses = new Map<string, Map<string, string>>();
  const regionsOf = (accountId: string) => {
    let regions = statuses.get(accountId);
    if (!regions) {
      regions = new Map([
        ...DEFAULT_REGIONS.map((r): [string, string] => [r, 'ENABLED_BY_DEFAULT']),
        ...OPT_IN_REGIONS.map((r): [string, string] => [r, 'DISABLED']),
      ]);
      statuses.set(accountId, regions);
    }
    return regions;
  };
  const enabled: Array<{ accountId: string; region: string; accountIdSent: boolean }> = [];

  const server = createServer((request, response) => {
    void (async () => {
      const input = JSON.parse((await readBody(request)) || '{}') as {
        AccountId?: string;
        RegionName?: string;
        MaxResults?: number;
        NextToken?: string;
      };
      const reply = (status: number, payload: unknown, errorType?: string) => {
        response.writeHead(status, {
          'content-type': 'application/json',
          ...(errorType ? { 'x-amzn-errortype': errorType } : {}),
        });
        response.end(JSON.stringify(payload));
      };
      if (!String(request.headers.authorization ?? '').startsWith('AWS4-HMAC-SHA256 ')) {
        reply(403, { message: 'Missing Authentication Token' }, 'AccessDeniedException');
        return;
      }
      if (input.AccountId === options.managementAccountId) {
        reply(
          400,
          { message: 'The management account cannot name itself; leave AccountId out.' },
          'ValidationException',
        );
        return;
      }
      const accountId = input.AccountId ?? options.managementAccountId;
      const regions = regionsOf(accountId);
      if (request.url === '/listRegions') {
        const all = [...regions].map(([RegionName, RegionOptStatus]) => ({ RegionName, RegionOptStatus }));
        const start = Number(input.NextToken ?? 0);
        const size = Math.min(input.MaxResults ?? 20, 50);
        const page = all.slice(start, start + size);
        const next = start + size < all.length ? String(start + size) : undefined;
        reply(200, { Regions: page, ...(next ? { NextToken: next } : {}) });
        return;
      }
      const region = input.RegionName ?? '';
      if (!regions.has(region)) {
        reply(400, { message: `Unknown Region ${region}` }, 'ValidationException');
        return;
      }
      if (request.url === '/getRegionOptStatus') {
        reply(200, { RegionName: region, RegionOptStatus: regions.get(region) });
        return;
      }
      if (request.url === '/enableRegion') {
        if (!OPT_IN_REGIONS.includes(region)) {
          reply(400, { message: `${region} is enabled by default` }, 'ValidationException');
          return;
        }
        if (regions.get(region) === 'DISABLED') regions.set(region, 'ENABLING');
        enabled.push({ accountId, region, accountIdSent: input.AccountId !== undefined });
        reply(200, {});
        return;
      }
      reply(404, { message: `no such operation ${request.url}` }, 'UnknownOperationException');
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    enabled,
    setStatus: (accountId, region, status) => regionsOf(accountId).set(region, status),
    status: (accountId, region) => regionsOf(accountId).get(region),
    stop: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** AWS config text for a profile on `endpoint` (moto) whose Account API calls go to this server. */
export function profileWithAccountServer(profile: string, endpoint: string, accountUrl: string): string {
  return [
    `[profile ${profile}]`,
    'region = us-east-1',
    `endpoint_url = ${endpoint}`,
    'aws_access_key_id = testing',
    'aws_secret_access_key = testing',
    `services = ${profile}-account`,
    '',
    `[services ${profile}-account]`,
    'account =',
    `  endpoint_url = ${accountUrl}`,
    '',
  ].join('\n');
}
