/**
 * An in-memory AWS Organizations (+ STS GetCallerIdentity) behind the real SDK clients, for unit tests of what
 * moto cannot produce: empty pages that still carry a NextToken, throttling, AccessDeniedException in AWS's own
 * JSON shape, delegated administrators, PENDING_CLOSURE accounts and slow calls.
 *
 * It plugs in as the clients' requestHandler, so the SDK's real serializer, deserializer, error parsing and
 * standard retry strategy all run; only the network is replaced. It speaks the wire protocols the SDK uses:
 * awsJson1_1 for Organizations and awsQuery (XML) for STS.
 */
import { OrganizationsClient } from '@aws-sdk/client-organizations';
import { STSClient } from '@aws-sdk/client-sts';
import { ORGANIZATIONS_CLIENT_RETRY, type OrgDiscoveryClients } from '../../main/core/org/index.js';

export interface FakeAccount {
  Id: string;
  Name: string;
  Email: string;
  ParentId: string;
  Status?: string;
  State?: string;
  JoinedMethod?: string;
  /** Epoch seconds, as the JSON protocol sends timestamps. */
  JoinedTimestamp?: number;
}

export interface FakeOu {
  Id: string;
  Name: string;
  ParentId: string;
}

export interface FakeFault {
  action: string;
  /** The AWS error code, e.g. TooManyRequestsException. */
  code: string;
  /** How many calls of `action` fail before it answers normally (Infinity: always). */
  times: number;
  status?: number;
  message?: string;
}

export interface FakeOrganizationsModel {
  caller: { account: string; arn: string };
  /** null: the caller's account is in no Organization. */
  organization: {
    Id: string;
    Arn: string;
    FeatureSet: 'ALL' | 'CONSOLIDATED_BILLING';
    MasterAccountId: string;
    MasterAccountEmail: string;
  } | null;
  roots: { Id: string; Name: string }[];
  ous: FakeOu[];
  accounts: FakeAccount[];
  /** Items per page; the API's own cap is the request's MaxResults. */
  pageSize?: number;
  /** Every list answers this many empty pages (with a NextToken) before its first real page. */
  emptyPagesFirst?: number;
  faults?: FakeFault[];
  /** Milliseconds every Organizations call takes, to make concurrency observable. */
  latencyMs?: number;
  /** How the latency is waited (default: a real timer); a test's virtual clock makes schedules exact. */
  wait?: (ms: number) => Promise<void>;
}

/** The caller, Organization and root of a model whose management account `management` signs in as a user. */
export function managementOrganization(
  management: string,
  rootId: string,
): Pick<FakeOrganizationsModel, 'caller' | 'organization' | 'roots'> {
  return {
    caller: { account: management, arn: `arn:aws:iam::${management}:user/admin` },
    organization: {
      Id: 'o-abcdefghij',
      Arn: `arn:aws:organizations::${management}:organization/o-abcdefghij`,
      FeatureSet: 'ALL',
      MasterAccountId: management,
      MasterAccountEmail: 'management@example.com',
    },
    roots: [{ Id: rootId, Name: 'Root' }],
  };
}

export interface FakeCall {
  action: string;
  params: Record<string, unknown>;
}

export interface FakeOrganizationsApi {
  clients: OrgDiscoveryClients;
  calls: FakeCall[];
  /** The most Organizations calls that were in flight at once. */
  maxInFlight(): number;
}

interface RawRequest {
  headers: Record<string, string>;
  body?: unknown;
}

interface RawResponse {
  statusCode: number;
  headers: Record<string, string>;
  body: Uint8Array;
}

function respond(statusCode: number, body: string, contentType: string): { response: RawResponse } {
  return {
    response: {
      statusCode,
      headers: { 'content-type': contentType, 'x-amzn-requestid': 'fake-request' },
      body: Buffer.from(body),
    },
  };
}

function json(statusCode: number, value: unknown): { response: RawResponse } {
  return respond(statusCode, JSON.stringify(value), 'application/x-amz-json-1.1');
}

function awsError(code: string, message: string, statusCode = 400): { response: RawResponse } {
  return json(statusCode, { __type: code, Message: message });
}

function headerValue(headers: Record<string, string>, name: string): string {
  const key = Object.keys(headers).find((k) => k.toLowerCase() === name);
  return key === undefined ? '' : (headers[key] ?? '');
}

function bodyText(body: unknown): string {
  if (typeof body === 'string') return body;
  if (body instanceof Uint8Array) return new TextDecoder().decode(body);
  return '';
}

/** Pages over `items`, with `emptyFirst` empty pages up front; tokens are "e<n>" (empty) or "p<offset>". */
function page<T>(
  items: readonly T[],
  params: Record<string, unknown>,
  model: FakeOrganizationsModel,
): { items: T[]; next?: string } {
  const size = Math.min(
    model.pageSize ?? 20,
    typeof params['MaxResults'] === 'number' ? params['MaxResults'] : 20,
  );
  const token = typeof params['NextToken'] === 'string' ? params['NextToken'] : undefined;
  const emptyFirst = model.emptyPagesFirst ?? 0;
  const emptyServed = token === undefined ? 0 : token.startsWith('e') ? Number(token.slice(1)) : emptyFirst;
  if (emptyServed < emptyFirst) return { items: [], next: `e${emptyServed + 1}` };
  const offset = token?.startsWith('p') ? Number(token.slice(1)) : 0;
  const slice = items.slice(offset, offset + size);
  const end = offset + slice.length;
  return end < items.length ? { items: slice, next: `p${end}` } : { items: slice };
}

export function fakeOrganizationsApi(
  model: FakeOrganizationsModel,
  clientOptions: { maxAttempts?: number } = {},
): FakeOrganizationsApi {
  const calls: FakeCall[] = [];
  const faultCounts = new Map<FakeFault, number>();
  let inFlight = 0;
  let maxInFlight = 0;

  const organizations = (action: string, params: Record<string, unknown>): { response: RawResponse } => {
    const fault = model.faults?.find((f) => f.action === action && (faultCounts.get(f) ?? 0) < f.times);
    if (fault) {
      faultCounts.set(fault, (faultCounts.get(fault) ?? 0) + 1);
      return awsError(fault.code, fault.message ?? `${fault.code} from the fake`, fault.status);
    }
    const org = model.organization;
    if (org === null)
      return awsError(
        'AWSOrganizationsNotInUseException',
        'Your account is not a member of an organization.',
      );
    const parentExists = (id: unknown): boolean =>
      model.roots.some((r) => r.Id === id) || model.ous.some((o) => o.Id === id);
    switch (action) {
      case 'DescribeOrganization':
        return json(200, { Organization: { ...org, MasterAccountArn: `${org.Arn}/master` } });
      case 'ListRoots': {
        const p = page(model.roots, params, model);
        return json(200, { Roots: p.items, NextToken: p.next });
      }
      case 'ListOrganizationalUnitsForParent': {
        if (!parentExists(params['ParentId'])) return awsError('ParentNotFoundException', 'No such parent.');
        const p = page(
          model.ous.filter((o) => o.ParentId === params['ParentId']),
          params,
          model,
        );
        return json(200, {
          OrganizationalUnits: p.items.map((o) => ({
            Id: o.Id,
            Name: o.Name,
            Arn: `arn:aws:organizations::ou/${o.Id}`,
          })),
          NextToken: p.next,
        });
      }
      case 'ListAccountsForParent': {
        if (!parentExists(params['ParentId'])) return awsError('ParentNotFoundException', 'No such parent.');
        const p = page(
          model.accounts.filter((a) => a.ParentId === params['ParentId']),
          params,
          model,
        );
        return json(200, {
          Accounts: p.items.map(({ ParentId: _parent, ...a }) => ({
            ...a,
            Arn: `arn:aws:organizations::${org.MasterAccountId}:account/${org.Id}/${a.Id}`,
          })),
          NextToken: p.next,
        });
      }
      default:
        return awsError('InvalidInputException', `The fake does not implement ${action}.`);
    }
  };

  const handler = {
    async handle(
      request: RawRequest,
      options?: { abortSignal?: AbortSignal },
    ): Promise<{ response: RawResponse }> {
      const target = headerValue(request.headers, 'x-amz-target');
      if (target === '') {
        const form = new URLSearchParams(bodyText(request.body));
        calls.push({ action: `sts:${form.get('Action') ?? ''}`, params: {} });
        const xml =
          '<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetCallerIdentityResult>' +
          `<Arn>${model.caller.arn}</Arn><UserId>AIDAFAKE</UserId><Account>${model.caller.account}</Account>` +
          '</GetCallerIdentityResult><ResponseMetadata><RequestId>fake</RequestId></ResponseMetadata></GetCallerIdentityResponse>';
        return respond(200, xml, 'text/xml');
      }
      const action = target.split('.').pop() ?? '';
      const params = JSON.parse(bodyText(request.body) || '{}') as Record<string, unknown>;
      calls.push({ action, params });
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      try {
        if (model.latencyMs && model.wait) {
          await model.wait(model.latencyMs);
        } else if (model.latencyMs) {
          await new Promise<void>((resolve, reject) => {
            const timer = setTimeout(resolve, model.latencyMs);
            options?.abortSignal?.addEventListener('abort', () => {
              clearTimeout(timer);
              reject(Object.assign(new Error('Request aborted'), { name: 'AbortError' }));
            });
          });
        }
        return organizations(action, params);
      } finally {
        inFlight--;
      }
    },
    updateHttpClientConfig(): void {},
    httpHandlerConfigs(): Record<string, never> {
      return {};
    },
  };

  const common = {
    region: 'us-east-1',
    endpoint: 'https://fake.invalid',
    credentials: { accessKeyId: 'AKIAFAKEFAKEFAKEFAKE', secretAccessKey: 'fake' },
    requestHandler: handler,
  };
  return {
    clients: {
      sts: new STSClient(common),
      organizations: new OrganizationsClient({
        ...common,
        ...ORGANIZATIONS_CLIENT_RETRY,
        ...(clientOptions.maxAttempts === undefined ? {} : { maxAttempts: clientOptions.maxAttempts }),
      }),
    },
    calls,
    maxInFlight: () => maxInFlight,
  };
}
