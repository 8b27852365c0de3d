/**
 * Sends link messages to the platform: one POST of JSON, no auth header (the External ID in the body ties the
 * connection to the customer's platform organization). The outcome is a value, never a throw: a refused or
 * failed registration must not undo a good stack or stop other accounts, and the caller journals what happened.
 *
 * Retries: 5xx, 429, timeouts and dropped connections are retried with capped, jittered exponential backoff;
 * other 4xx are the platform saying no, and sending the same body again cannot change its mind. The body is never
 * logged or put into an error, and a reason quoted from the platform has the External ID masked out.
 */
import { abortableSleep } from '../abortable-sleep.js';
import { OrgConnectError } from '../errors.js';
import type { LinkMessage, LinkMessageType } from './link-contract.js';
import { buildLinkMessage, type LinkedConnection } from './link-message.js';
import type { PlatformRegistrationSettings } from './registration-settings.js';

export interface RegistrationRetryPolicy {
  /** Total attempts, the first included. */
  attempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** Per attempt: connect, send and the platform's answer. */
  timeoutMs: number;
}

export const DEFAULT_REGISTRATION_RETRY: RegistrationRetryPolicy = {
  attempts: 4,
  baseDelayMs: 500,
  maxDelayMs: 8_000,
  timeoutMs: 15_000,
};

export type RegistrationOutcome =
  | { ok: true; at: string; httpStatus: number; attempts: number }
  | {
      ok: false;
      at: string;
      code: string;
      reason: string;
      fix: string;
      httpStatus?: number;
      attempts: number;
    };

/** Time, injected (the run's clock), so backoff runs on a virtual clock in tests. */
export interface RegistrationClock {
  now(): number;
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
  random(): number;
}

const realClock: RegistrationClock = {
  now: () => Date.now(),
  random: () => Math.random(),
  sleep: (ms, signal) =>
    abortableSleep(
      ms,
      signal,
      () => new OrgConnectError('CANCELLED_ABORTED', 'Stopped while waiting to retry.'),
    ),
};

export interface SendOptions {
  clock?: RegistrationClock;
  signal?: AbortSignal;
  retry?: Partial<RegistrationRetryPolicy>;
  /** Default: the global fetch. */
  fetch?: typeof fetch;
}

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

/**
 * https anywhere; plain http only to this machine (tests and the sandbox platform). The message carries the
 * External ID, so it never crosses a network in clear text.
 */
export function checkRegistrationEndpoint(endpoint: string): OrgConnectError | undefined {
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    return new OrgConnectError('PLATFORM_URL_INVALID', `"${endpoint}" is not a URL.`, {
      fix: 'Pass the platform’s link endpoint, e.g. https://api.cloudzero.com/accounts/v1/link.',
    });
  }
  if (url.protocol === 'https:') return undefined;
  if (url.protocol === 'http:' && (LOOPBACK_HOSTS.has(url.hostname) || url.hostname.startsWith('127.'))) {
    return undefined;
  }
  return new OrgConnectError(
    'PLATFORM_URL_INSECURE',
    `The platform endpoint ${url.origin} is not https; the link message carries the External ID.`,
    { fix: 'Use an https:// URL (plain http is accepted only for 127.0.0.1 / localhost).' },
  );
}

/** Throws the endpoint's error, for places that validate input (flags, requests) before anything runs. */
export function assertRegistrationEndpoint(endpoint: string): void {
  const problem = checkRegistrationEndpoint(endpoint);
  if (problem) throw problem;
}

type Attempt =
  | { kind: 'answered'; status: number; text: string }
  | { kind: 'timeout' }
  | { kind: 'unreachable'; detail: string }
  | { kind: 'aborted' };

async function postOnce(
  endpoint: string,
  body: string,
  timeoutMs: number,
  signal: AbortSignal | undefined,
  fetchImpl: typeof fetch,
): Promise<Attempt> {
  const timeout = AbortSignal.timeout(timeoutMs);
  const combined = signal ? AbortSignal.any([signal, timeout]) : timeout;
  try {
    const response = await fetchImpl(endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body,
      signal: combined,
      redirect: 'error',
    });
    const text = await response.text().catch(() => '');
    return { kind: 'answered', status: response.status, text };
  } catch (error) {
    if (signal?.aborted) return { kind: 'aborted' };
    if (timeout.aborted) return { kind: 'timeout' };
    const cause = error instanceof Error && error.cause instanceof Error ? error.cause : error;
    const detail =
      cause instanceof Error ? ((cause as { code?: string }).code ?? cause.message) : 'network error';
    return { kind: 'unreachable', detail };
  }
}

/** The platform's own words (a JSON `message`/`reason`/`error`, or the text), short, with the External ID masked. */
function platformReason(text: string, externalId: string): string {
  let reason = text.trim();
  try {
    const parsed: unknown = JSON.parse(text);
    if (parsed && typeof parsed === 'object') {
      const fields = parsed as Record<string, unknown>;
      const found = [fields['reason'], fields['message'], fields['error']].find((v) => typeof v === 'string');
      if (typeof found === 'string') reason = found;
    }
  } catch {
    // not JSON: the text as it is
  }
  if (externalId) reason = reason.split(externalId).join('***');
  reason = reason.replace(/\s+/g, ' ');
  return reason.length > 200 ? `${reason.slice(0, 199)}…` : reason;
}

function retryable(attempt: Attempt): boolean {
  if (attempt.kind === 'timeout' || attempt.kind === 'unreachable') return true;
  return attempt.kind === 'answered' && (attempt.status >= 500 || attempt.status === 429);
}

/** POSTs one link message; see the module comment for what is retried. Never throws. */
export async function sendLinkMessage(
  endpoint: string,
  message: LinkMessage,
  options: SendOptions = {},
): Promise<RegistrationOutcome> {
  const clock = options.clock ?? realClock;
  const policy = { ...DEFAULT_REGISTRATION_RETRY, ...options.retry };
  const at = (): string => new Date(clock.now()).toISOString();
  const insecure = checkRegistrationEndpoint(endpoint);
  if (insecure) {
    return {
      ok: false,
      at: at(),
      code: insecure.code,
      reason: insecure.message,
      fix: insecure.fix ?? '',
      attempts: 0,
    };
  }
  const externalId = message.data.metadata.external_id;
  const body = JSON.stringify(message);
  const fetchImpl = options.fetch ?? fetch;
  let last: Attempt = { kind: 'unreachable', detail: 'not sent' };
  let attempts = 0;
  while (attempts < policy.attempts) {
    attempts += 1;
    last = await postOnce(endpoint, body, policy.timeoutMs, options.signal, fetchImpl);
    if (last.kind === 'aborted') break;
    if (last.kind === 'answered' && last.status >= 200 && last.status < 300) {
      return { ok: true, at: at(), httpStatus: last.status, attempts };
    }
    if (!retryable(last) || attempts >= policy.attempts) break;
    const delay = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempts - 1));
    try {
      await clock.sleep(delay / 2 + (delay / 2) * clock.random(), options.signal);
    } catch {
      last = { kind: 'aborted' };
      break;
    }
  }
  return { ok: false, at: at(), attempts, ...failure(last, endpoint, externalId, attempts) };
}

function failure(
  last: Attempt,
  endpoint: string,
  externalId: string,
  attempts: number,
): { code: string; reason: string; fix: string; httpStatus?: number } {
  const host = new URL(endpoint).host;
  const tries = attempts === 1 ? '' : ` (${attempts} attempts)`;
  switch (last.kind) {
    case 'aborted':
      return {
        code: 'REGISTRATION_ABORTED',
        reason: 'the run stopped before the platform answered',
        fix: 'Resume the run; this registration is sent again.',
      };
    case 'timeout':
      return {
        code: 'PLATFORM_TIMEOUT',
        reason: `${host} did not answer in time${tries}`,
        fix: 'Try again later with "orgconnect register".',
      };
    case 'unreachable':
      return {
        code: 'PLATFORM_UNREACHABLE',
        reason: `could not reach ${host}: ${last.detail}${tries}`,
        fix: 'Check the network or proxy, then run "orgconnect register".',
      };
    case 'answered': {
      const said = platformReason(last.text, externalId);
      if (last.status >= 500 || last.status === 429) {
        return {
          code: 'PLATFORM_UNAVAILABLE',
          reason: `${host} answered HTTP ${last.status}${tries}${said ? `: ${said}` : ''}`,
          fix: 'The platform is having trouble; run "orgconnect register" later.',
          httpStatus: last.status,
        };
      }
      return {
        code: 'PLATFORM_REFUSED',
        reason: `${host} refused the connection (HTTP ${last.status})${said ? `: ${said}` : ''}`,
        fix: 'Check the External ID (it must be the one the platform shows for your organization), then run "orgconnect register".',
        httpStatus: last.status,
      };
    }
  }
}

/** Tells the platform about one connection: created or updated (`provisioned`), or removed (`deprovisioned`). */
export function notifyPlatform(
  settings: PlatformRegistrationSettings,
  connection: LinkedConnection,
  externalId: string,
  type: LinkMessageType,
  options: SendOptions = {},
): Promise<RegistrationOutcome> {
  return sendLinkMessage(
    settings.endpoint,
    buildLinkMessage(settings, connection, externalId, type),
    options,
  );
}
