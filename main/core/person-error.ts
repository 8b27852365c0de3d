/**
 * The one mapping from whatever was thrown to the error a person sees (title, reason, fix, code). Used at every
 * edge — the CLI's one-line errors, the desktop and browser hosts' error payloads — so they say the same thing.
 *
 * - A network failure (connection refused, DNS, timeout, TLS, reset) anywhere in the cause chain becomes
 *   ENDPOINT_UNREACHABLE, naming the profile and the endpoint, with what to check — also when a layer wrapped it
 *   as a generic AWS_ERROR on the way up.
 * - An error the core already classified (an OrgConnectError with its own code) is kept.
 * - An AWS error nobody classified keeps AWS's name as its code.
 * - Anything else is a bug: INTERNAL_ERROR, with `details` to copy into a report.
 */
import { awsErrorName, describeError, OrgConnectError } from './errors.js';

export interface EndpointContext {
  profile?: string | undefined;
  endpoint?: string | undefined;
  service?: string | undefined;
  region?: string | undefined;
}

type NetworkKind = 'refused' | 'dns' | 'timeout' | 'tls' | 'reset' | 'unreachable';

interface NetworkFailure {
  kind: NetworkKind;
  code: string;
  /** host:port or host the socket tried, when Node says. */
  target: string | undefined;
}

const NETWORK_KINDS: Record<string, NetworkKind> = {
  ECONNREFUSED: 'refused',
  ENOTFOUND: 'dns',
  EAI_AGAIN: 'dns',
  ETIMEDOUT: 'timeout',
  ESOCKETTIMEDOUT: 'timeout',
  ECONNRESET: 'reset',
  EPIPE: 'reset',
  ECONNABORTED: 'reset',
  EHOSTUNREACH: 'unreachable',
  ENETUNREACH: 'unreachable',
  EPROTO: 'tls',
  CERT_HAS_EXPIRED: 'tls',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'tls',
  SELF_SIGNED_CERT_IN_CHAIN: 'tls',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'tls',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'tls',
  ERR_TLS_CERT_ALTNAME_INVALID: 'tls',
};

const ENDPOINT_CONTEXT = Symbol.for('orgconnect.endpointContext');

/** Records on an error which profile and endpoint the failed call went to (the client factory does this). */
export function tagEndpointContext(error: unknown, context: EndpointContext): void {
  if (typeof error !== 'object' || error === null || ENDPOINT_CONTEXT in error) return;
  Object.defineProperty(error, ENDPOINT_CONTEXT, { value: context, enumerable: false });
}

/** The error and everything it wraps (`cause`, and an AggregateError's `errors`), nearest first. */
function chain(error: unknown): object[] {
  const out: object[] = [];
  const queue: unknown[] = [error];
  while (queue.length > 0 && out.length < 12) {
    const next = queue.shift();
    if (typeof next !== 'object' || next === null || out.includes(next)) continue;
    out.push(next);
    queue.push((next as { cause?: unknown }).cause);
    const errors = (next as { errors?: unknown }).errors;
    if (Array.isArray(errors)) queue.push(...errors);
  }
  return out;
}

function stringField(value: object, key: string): string | undefined {
  const field = (value as Record<string, unknown>)[key];
  return typeof field === 'string' ? field : typeof field === 'number' ? String(field) : undefined;
}

export function networkFailure(error: unknown): NetworkFailure | undefined {
  for (const link of chain(error)) {
    const code = stringField(link, 'code');
    const kind =
      (code === undefined ? undefined : NETWORK_KINDS[code]) ??
      (code?.startsWith('ERR_SSL_') ? 'tls' : undefined) ??
      (awsErrorName(link) === 'TimeoutError' ? 'timeout' : undefined);
    if (kind === undefined) continue;
    const host = stringField(link, 'address') ?? stringField(link, 'hostname') ?? stringField(link, 'host');
    const port = stringField(link, 'port');
    return {
      kind,
      code: code ?? 'TimeoutError',
      target: host === undefined ? undefined : port === undefined ? host : `${host}:${port}`,
    };
  }
  return undefined;
}

function endpointContextOf(error: unknown): EndpointContext | undefined {
  for (const link of chain(error)) {
    const context = (link as { [ENDPOINT_CONTEXT]?: EndpointContext })[ENDPOINT_CONTEXT];
    if (context !== undefined) return context;
  }
  return undefined;
}

const WHAT_HAPPENED: Record<NetworkKind, string> = {
  refused: 'the connection was refused (nothing listens there)',
  dns: 'the host name could not be found (DNS)',
  timeout: 'the connection timed out',
  tls: 'the TLS (HTTPS) connection failed: the certificate was not accepted',
  reset: 'the connection was cut off',
  unreachable: 'no network route leads there',
};

export function endpointUnreachable(error: unknown, fallback: EndpointContext = {}): OrgConnectError {
  const failure = networkFailure(error);
  const context = { ...fallback, ...endpointContextOf(error) };
  const profile = context.profile ?? 'default';
  const endpoint =
    context.endpoint ??
    (failure?.target ? failure.target : `the AWS endpoint${context.region ? ` in ${context.region}` : ''}`);
  const service = context.service ? ` (${context.service})` : '';
  const what = failure ? `${WHAT_HAPPENED[failure.kind]} (${failure.code})` : 'no answer';
  const fix =
    failure?.kind === 'tls'
      ? `Check the endpoint's certificate; behind a TLS-inspecting proxy, point ca_bundle (or AWS_CA_BUNDLE) in profile "${profile}" at your company's CA.`
      : `Check endpoint_url in profile "${profile}" (~/.aws/config) — remove it to use AWS's own endpoints — then your network, VPN and proxy (HTTPS_PROXY, NO_PROXY).`;
  return new OrgConnectError(
    'ENDPOINT_UNREACHABLE',
    `Profile "${profile}" could not reach ${endpoint}${service}: ${what}.`,
    { fix, cause: error },
  );
}

/** Codes that only say "an AWS call failed" — a network failure under them is the better explanation. */
const GENERIC_CODES = new Set(['AWS_ERROR', 'AWS_UNAVAILABLE']);

const JS_ERROR_NAMES = new Set([
  'Error',
  'TypeError',
  'RangeError',
  'ReferenceError',
  'SyntaxError',
  'EvalError',
  'URIError',
  'AggregateError',
]);

function isAwsError(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  return '$metadata' in error || '$fault' in error;
}

export function toPersonError(error: unknown, fallback: EndpointContext = {}): OrgConnectError {
  if (error instanceof OrgConnectError && !GENERIC_CODES.has(error.code)) return error;
  if (networkFailure(error) !== undefined) return endpointUnreachable(error, fallback);
  if (error instanceof OrgConnectError) return error;
  const name = awsErrorName(error);
  if (name !== undefined && (isAwsError(error) || !JS_ERROR_NAMES.has(name)) && name !== 'Error') {
    return new OrgConnectError(name, describeError(error), { cause: error });
  }
  const details =
    error instanceof Error
      ? [`${error.name}: ${error.message}`, ...(error.stack ?? '').split('\n').slice(1, 12)].join('\n')
      : String(error);
  return new OrgConnectError('INTERNAL_ERROR', describeError(error), {
    fix: 'This is a bug in orgconnect. Copy the details and report it; then try again.',
    details,
    cause: error,
  });
}

/** The CLI's one line: "Title — reason. Fix: … [CODE]". */
export function oneLine(error: OrgConnectError): string {
  const reason = /[.!?:]$/.test(error.message.trim()) ? error.message.trim() : `${error.message.trim()}.`;
  const fix = error.fix ? ` Fix: ${error.fix.trim()}` : '';
  return `${error.title} — ${reason}${fix} [${error.code}]`;
}
