/**
 * Turns an error from an AWS call into the reason a check could not run. Health checks (and the readers that share
 * their judgement: Regions, the Cost and Usage Report) call this for anything they do not recognise as an answer,
 * so a denied, missing or broken API gives `unknown` with the reason — never a pass.
 */
import { awsErrorName, describeError } from '../errors.js';

export type CannotCheckKind = 'access-denied' | 'not-implemented' | 'unreachable' | 'error';

export interface CannotCheck {
  kind: CannotCheckKind;
  reason: string;
}

const ACCESS_DENIED = new Set([
  'AccessDenied',
  'AccessDeniedException',
  'UnauthorizedOperation',
  'AuthorizationError',
  'AuthFailure',
  'UnrecognizedClientException',
  'InvalidClientTokenId',
  'ExpiredToken',
  'ExpiredTokenException',
]);

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'ETIMEDOUT',
  'EAI_AGAIN',
  'EHOSTUNREACH',
]);

function httpStatusOf(error: unknown): number | undefined {
  const metadata = (error as { $metadata?: { httpStatusCode?: unknown } } | null)?.$metadata;
  return typeof metadata?.httpStatusCode === 'number' ? metadata.httpStatusCode : undefined;
}

export function cannotCheck(error: unknown, what: string): CannotCheck {
  const name = awsErrorName(error) ?? '';
  const status = httpStatusOf(error);
  const code = (error as { code?: unknown } | null)?.code;
  if (ACCESS_DENIED.has(name) || status === 403) {
    return { kind: 'access-denied', reason: `${what}: access denied (${describeError(error)})` };
  }
  // An emulator (moto) or a partition without the API answers 501, NotImplemented, or an HTML error page that
  // the SDK cannot parse (SyntaxError / "XML parse error" from its deserializer).
  const deserialization =
    error instanceof Error &&
    /Deserialization error|XML parse error|Unexpected token '<'/.test(error.message);
  if (
    status === 501 ||
    name === 'NotImplemented' ||
    name === 'NotImplementedException' ||
    deserialization ||
    (status === 404 && name === 'UnknownError')
  ) {
    return {
      kind: 'not-implemented',
      reason: `${what}: the API is not available at this endpoint${status === undefined ? '' : ` (HTTP ${status})`}`,
    };
  }
  if (typeof code === 'string' && NETWORK_CODES.has(code)) {
    return { kind: 'unreachable', reason: `${what}: the endpoint could not be reached (${code})` };
  }
  return { kind: 'error', reason: `${what}: ${describeError(error)}` };
}
