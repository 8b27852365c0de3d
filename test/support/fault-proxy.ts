/**
 * A fault-injecting HTTP proxy in front of moto, for reliability tests: the product talks to it through
 * `endpoint_url` exactly as it would talk to AWS, and it forwards to moto unless a rule says otherwise.
 *
 * What it can do, per operation chosen by the test (everything else passes through untouched, so seeding
 * through moto directly and reads the test does not target are unaffected):
 * - latency (fixed, or per operation);
 * - throttling in each service's real wire format: query protocol (STS, IAM, CloudFormation) answers HTTP 400
 *   `<ErrorResponse><Error><Code>Throttling</Code>…`, JSON protocol (Organizations) answers 400
 *   `{"__type":"TooManyRequestsException",…}`, and some throttles are a bare HTTP 429;
 * - 500 / 503 in the service's format, before the request reaches moto;
 * - `lostResponse`: the request *is* executed by moto and then the answer is replaced by a 500 — the nasty case
 *   for idempotency (the client must not create twice);
 * - dropped connections (the socket is destroyed before anything is forwarded);
 * - AccessDenied or RegionDisabledException for AssumeRole into chosen accounts (RoleArn in the form body);
 * - short-lived assumed credentials: AssumeRole answers are rewritten to expire soon, and requests signed with
 *   keys past that point are refused with ExpiredToken (see `shortLivedCredentials`).
 *
 * The service comes from the SigV4 credential scope in the Authorization header, the operation from
 * `X-Amz-Target` (JSON protocol) or `Action=` in the form body (query protocol).
 *
 * Decisions are deterministic by seed and independent of scheduling: each draw is a PRNG seeded from
 * (seed, service, request body, how many times this exact body was seen), so a retry of the same request gets its
 * own, reproducible draw whatever order concurrent requests arrive in.
 */
import {
  createServer,
  request as httpRequest,
  Agent,
  type IncomingMessage,
  type ServerResponse,
} from 'node:http';
import { randomUUID } from 'node:crypto';

export type FaultKind =
  | 'throttle-xml'
  | 'throttle-json'
  | 'throttle-429'
  | 'server-500'
  | 'server-503'
  | 'lost-response'
  | 'drop'
  | 'access-denied'
  | 'region-disabled'
  | 'expired-token';

export interface FaultRule {
  /** SigV4 service names (`sts`, `cloudformation`, `iam`, `organizations`); any when absent. */
  services?: readonly string[];
  /** Operation names (`CreateStack`, `AssumeRole`, …); any when absent. */
  operations?: readonly string[];
  /** Probability of a throttling answer (wire format chosen per service; ~1 in 4 of them is a bare 429). */
  throttle?: number;
  /** Probability of a 500 or 503 before the request reaches moto. */
  serverError?: number;
  /** Probability that moto executes the request and the client gets a 500 instead of the answer. */
  lostResponse?: number;
  /** Probability the connection is destroyed without an answer. */
  drop?: number;
}

export interface FaultProxyOptions {
  /** moto's base URL. */
  target: string;
  seed?: number;
  rules?: readonly FaultRule[];
  /** Added before forwarding: a fixed delay for every request, or per operation name. */
  latencyMs?: number | Readonly<Record<string, number>>;
  /** Account ids whose AssumeRole answers AccessDenied (as STS does when the role or its trust is missing). */
  accessDeniedAccounts?: Iterable<string>;
  /** Account ids whose AssumeRole answers RegionDisabledException. */
  regionDisabledAccounts?: Iterable<string>;
  /**
   * Assumed credentials live `usableMs` past the refresh point: the AssumeRole answer's Expiration becomes
   * issue time + `refreshWindowMs` + `usableMs`, and a request signed with those keys after issue time +
   * `usableMs` + `graceMs` is refused with ExpiredToken. A client that refreshes `refreshWindowMs` before
   * Expiration (the SDK and the engine both use 5 minutes) never sees the refusal; one that does not, fails.
   * This compresses "credentials expire mid-run" into seconds without waiting out STS's 15-minute minimum.
   */
  shortLivedCredentials?: { usableMs: number; refreshWindowMs: number; graceMs?: number };
}

export interface ProxiedRequest {
  /** When the request arrived (ms since the epoch). */
  at: number;
  service: string;
  operation: string;
  /** HTTP status the client got (0 when the connection was dropped). */
  status: number;
  /** HTTP status moto answered, when the request reached moto. */
  upstreamStatus?: number;
  fault?: FaultKind;
  /** The account a request acted in, when the proxy can tell (AssumeRole's RoleArn, CreateStack's StackId). */
  accountId?: string;
}

export interface IssuedCredentials {
  accountId: string;
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
}

export interface FaultProxy {
  url: string;
  /** Every injected fault, by kind. */
  readonly counts: Readonly<Record<FaultKind, number>>;
  totalFaults(): number;
  /** Every request seen, in arrival order of completion. */
  readonly requests: readonly ProxiedRequest[];
  /** Credentials moto issued through AssumeRole answers that passed through the proxy. */
  readonly issued: readonly IssuedCredentials[];
  /** Replaces the fault configuration (target and seed stay). */
  configure(options: Omit<FaultProxyOptions, 'target' | 'seed'>): void;
  /** Forgets the request log, issued credentials and counts. */
  resetLog(): void;
  stop(): Promise<void>;
}

/** mulberry32: a tiny, well-mixed 32-bit PRNG; plenty for fault decisions. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

const ALL_KINDS: FaultKind[] = [
  'throttle-xml',
  'throttle-json',
  'throttle-429',
  'server-500',
  'server-503',
  'lost-response',
  'drop',
  'access-denied',
  'region-disabled',
  'expired-token',
];

function zeroCounts(): Record<FaultKind, number> {
  return Object.fromEntries(ALL_KINDS.map((kind) => [kind, 0])) as Record<FaultKind, number>;
}

/** `Credential=AKID/20250101/us-east-1/sts/aws4_request` → { accessKeyId, service }. */
function credentialScope(authorization: string | undefined): { accessKeyId?: string; service?: string } {
  const match = /Credential=([^/,\s]+)\/\d{8}\/[^/]+\/([^/]+)\/aws4_request/.exec(authorization ?? '');
  return match ? { accessKeyId: match[1], service: match[2] } : {};
}

function xmlEscape(text: string): string {
  return text.replace(/[<>&'"]/g, (c) => `&#${c.charCodeAt(0)};`);
}

function queryError(code: string, message: string, type: 'Sender' | 'Receiver' = 'Sender'): string {
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n<ErrorResponse><Error><Type>${type}</Type><Code>${code}</Code>` +
    `<Message>${xmlEscape(message)}</Message></Error><RequestId>${randomUUID()}</RequestId></ErrorResponse>`
  );
}

function xmlTag(xml: string, tag: string): string | undefined {
  return new RegExp(`<${tag}>([^<]*)</${tag}>`).exec(xml)?.[1];
}

export async function startFaultProxy(options: FaultProxyOptions): Promise<FaultProxy> {
  const target = new URL(options.target);
  const seed = options.seed ?? 1;
  let config: Omit<FaultProxyOptions, 'target' | 'seed'> = options;
  let deniedAccounts = new Set(options.accessDeniedAccounts ?? []);
  let regionDisabled = new Set(options.regionDisabledAccounts ?? []);
  let counts = zeroCounts();
  let requests: ProxiedRequest[] = [];
  let issued: IssuedCredentials[] = [];
  const seen = new Map<string, number>();
  /** accessKeyId → when it stops being accepted (short-lived mode only). */
  const keyDeadline = new Map<string, number>();
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });

  const drawFor = (service: string, body: string): (() => number) => {
    const key = `${service}\n${body}`;
    const nth = (seen.get(key) ?? 0) + 1;
    seen.set(key, nth);
    return mulberry32(fnv1a(`${seed}\n${key}\n${nth}`));
  };

  const ruleFor = (service: string, operation: string): FaultRule | undefined =>
    (config.rules ?? []).find(
      (rule) =>
        (rule.services === undefined || rule.services.includes(service)) &&
        (rule.operations === undefined || rule.operations.includes(operation)),
    );

  const latencyFor = (operation: string): number => {
    const latency = config.latencyMs;
    if (latency === undefined) return 0;
    if (typeof latency === 'number') return latency;
    return latency[operation] ?? 0;
  };

  const isJsonProtocol = (req: IncomingMessage): boolean => typeof req.headers['x-amz-target'] === 'string';

  const sendError = (
    req: IncomingMessage,
    res: ServerResponse,
    status: number,
    code: string,
    message: string,
    jsonType?: string,
  ): void => {
    if (isJsonProtocol(req)) {
      res.writeHead(status, {
        'content-type': 'application/x-amz-json-1.1',
        'x-amzn-requestid': randomUUID(),
      });
      res.end(JSON.stringify({ __type: jsonType ?? code, Message: message }));
    } else {
      res.writeHead(status, { 'content-type': 'text/xml', 'x-amzn-requestid': randomUUID() });
      res.end(queryError(code, message, status >= 500 ? 'Receiver' : 'Sender'));
    }
  };

  const forward = (
    req: IncomingMessage,
    body: Buffer,
  ): Promise<{ status: number; headers: IncomingMessage['headers']; body: Buffer }> =>
    new Promise((resolve, reject) => {
      const upstream = httpRequest(
        {
          host: target.hostname,
          port: target.port,
          method: req.method,
          path: req.url,
          headers: { ...req.headers, 'content-length': String(body.length) },
          agent,
        },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('end', () =>
            resolve({
              status: response.statusCode ?? 502,
              headers: response.headers,
              body: Buffer.concat(chunks),
            }),
          );
          response.on('error', reject);
        },
      );
      upstream.on('error', reject);
      upstream.end(body);
    });

  const handle = async (req: IncomingMessage, res: ServerResponse, body: Buffer): Promise<void> => {
    const text = body.toString('utf8');
    const scope = credentialScope(req.headers.authorization);
    const service = scope.service ?? 'unknown';
    const jsonTarget = req.headers['x-amz-target'];
    const form = typeof jsonTarget === 'string' ? undefined : new URLSearchParams(text);
    const operation =
      typeof jsonTarget === 'string' ? (jsonTarget.split('.').pop() ?? '') : (form?.get('Action') ?? '');
    const record: ProxiedRequest = { at: Date.now(), service, operation, status: 0 };
    const log = (status: number, fault?: FaultKind): void => {
      record.status = status;
      if (fault) {
        record.fault = fault;
        counts[fault] += 1;
      }
      requests.push(record);
    };

    const roleArn = operation === 'AssumeRole' ? (form?.get('RoleArn') ?? '') : '';
    const roleAccount = /^arn:aws[\w-]*:iam::(\d{12}):role\//.exec(roleArn)?.[1];
    if (roleAccount) record.accountId = roleAccount;

    const latency = latencyFor(operation);
    // Expiry is judged on arrival, as AWS judges it when the request comes in.
    const deadline = scope.accessKeyId ? keyDeadline.get(scope.accessKeyId) : undefined;
    const expired = deadline !== undefined && Date.now() > deadline;
    if (latency > 0) await new Promise((resolve) => setTimeout(resolve, latency));

    if (expired) {
      sendError(req, res, 400, 'ExpiredToken', 'The security token included in the request is expired');
      return log(400, 'expired-token');
    }
    if (roleAccount && deniedAccounts.has(roleAccount)) {
      sendError(
        req,
        res,
        403,
        'AccessDenied',
        `User: arn:aws:iam::123456789012:user/orgconnect is not authorized to perform: sts:AssumeRole on resource: ${roleArn}`,
      );
      return log(403, 'access-denied');
    }
    if (roleAccount && regionDisabled.has(roleAccount)) {
      sendError(
        req,
        res,
        403,
        'RegionDisabledException',
        'STS is not activated in this region for account. Your account administrator can activate STS in this region using the IAM Console.',
      );
      return log(403, 'region-disabled');
    }

    const rule = ruleFor(service, operation);
    if (rule) {
      const random = drawFor(service, text);
      let roll = random();
      const pick = random();
      const hit = (p: number | undefined): boolean => {
        if (p === undefined || p <= 0) return false;
        if (roll < p) return true;
        roll -= p;
        return false;
      };
      if (hit(rule.throttle)) {
        if (pick < 0.25) {
          res.writeHead(429, { 'content-type': 'text/plain' });
          res.end('Too Many Requests');
          return log(429, 'throttle-429');
        }
        if (isJsonProtocol(req)) {
          sendError(
            req,
            res,
            400,
            'TooManyRequestsException',
            "AWS Organizations can't complete your request because another request is already in progress. Try again later.",
          );
          return log(400, 'throttle-json');
        }
        sendError(req, res, 400, 'Throttling', 'Rate exceeded');
        return log(400, 'throttle-xml');
      }
      if (hit(rule.serverError)) {
        if (pick < 0.5) {
          sendError(
            req,
            res,
            500,
            'InternalFailure',
            'We encountered an internal error. Please try again.',
            'ServiceException',
          );
          return log(500, 'server-500');
        }
        sendError(
          req,
          res,
          503,
          'ServiceUnavailable',
          'Service is unable to handle request.',
          'ServiceException',
        );
        return log(503, 'server-503');
      }
      if (hit(rule.drop)) {
        req.socket.destroy();
        return log(0, 'drop');
      }
      if (hit(rule.lostResponse)) {
        const upstream = await forward(req, body);
        record.upstreamStatus = upstream.status;
        noteAnswer(operation, record, upstream.body.toString('utf8'), roleAccount);
        sendError(
          req,
          res,
          500,
          'InternalFailure',
          'We encountered an internal error. Please try again.',
          'ServiceException',
        );
        return log(500, 'lost-response');
      }
    }

    const upstream = await forward(req, body);
    record.upstreamStatus = upstream.status;
    let answer = upstream.body;
    if (upstream.status === 200) {
      const rewritten = noteAnswer(operation, record, answer.toString('utf8'), roleAccount);
      if (rewritten !== undefined) answer = Buffer.from(rewritten, 'utf8');
    }
    const headers = { ...upstream.headers, 'content-length': String(answer.length) };
    delete headers['transfer-encoding'];
    res.writeHead(upstream.status, headers);
    res.end(answer);
    log(upstream.status);
  };

  /** Learns from moto's answer (issued keys, the stack's account); returns a rewritten body when needed. */
  function noteAnswer(
    operation: string,
    record: ProxiedRequest,
    xml: string,
    roleAccount: string | undefined,
  ): string | undefined {
    if (operation === 'CreateStack') {
      const account = /arn:aws[\w-]*:cloudformation:[^:]*:(\d{12}):stack\//.exec(xml)?.[1];
      if (account) record.accountId = account;
      return undefined;
    }
    if (operation !== 'AssumeRole' || !roleAccount) return undefined;
    const accessKeyId = xmlTag(xml, 'AccessKeyId');
    const secretAccessKey = xmlTag(xml, 'SecretAccessKey');
    const sessionToken = xmlTag(xml, 'SessionToken');
    if (!accessKeyId || !secretAccessKey || !sessionToken) return undefined;
    issued.push({ accountId: roleAccount, accessKeyId, secretAccessKey, sessionToken });
    const short = config.shortLivedCredentials;
    if (short === undefined) return undefined;
    const now = Date.now();
    keyDeadline.set(accessKeyId, now + short.usableMs + (short.graceMs ?? 1000));
    const expiration = new Date(now + short.refreshWindowMs + short.usableMs).toISOString();
    return xml.replace(/<Expiration>[^<]*<\/Expiration>/, `<Expiration>${expiration}</Expiration>`);
  }

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      handle(req, res, Buffer.concat(chunks)).catch((error: unknown) => {
        // moto itself failed or went away: say so as a 502 rather than hanging the client.
        if (!res.headersSent) {
          res.writeHead(502, { 'content-type': 'text/plain' });
          res.end(`fault proxy: ${String(error)}`);
        } else {
          res.destroy();
        }
      });
    });
  });
  // A client killed with -9 resets its sockets; that is expected here, not a test failure.
  server.on('clientError', (_error, socket) => socket.destroy());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('fault proxy: no port');

  return {
    url: `http://127.0.0.1:${address.port}`,
    get counts() {
      return counts;
    },
    totalFaults: () => Object.values(counts).reduce((sum, n) => sum + n, 0),
    get requests() {
      return requests;
    },
    get issued() {
      return issued;
    },
    configure(next) {
      config = next;
      deniedAccounts = new Set(next.accessDeniedAccounts ?? []);
      regionDisabled = new Set(next.regionDisabledAccounts ?? []);
    },
    resetLog() {
      counts = zeroCounts();
      requests = [];
      issued = [];
    },
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      agent.destroy();
    },
  };
}
