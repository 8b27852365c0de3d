/**
 * The one-shot 127.0.0.1 listener the browser is redirected to at the end of the auth-code flow. It accepts
 * exactly one answer: a code, or an OAuth error, with the state we sent. Anything else is answered with an error
 * page and ignored: a mismatched or missing state means the request did not come from the sign-in we started —
 * any local process can reach this port, and must not be able to end someone's sign-in — so the listener keeps
 * waiting for the real redirect until its timeout. Bound to 127.0.0.1 only — unlike the CLI, which listens on
 * every interface.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { OrgConnectError } from '../../errors.js';
import { loginCancelledError, loginDeniedError, loginTimedOutError } from './sso-errors.js';
import type { SsoTarget } from './types.js';

export const CALLBACK_PATH = '/oauth/callback';

export interface CallbackListener {
  /** `http://127.0.0.1:<port>/oauth/callback`, the redirect_uri for this login. */
  redirectUri: string;
  /** Resolves with the authorization code; rejects on an OAuth error (with our state), the timeout or abort. */
  code: Promise<string>;
  close(): Promise<void>;
}

const SUCCESS_PAGE = page(
  'Signed in',
  'orgconnect is signed in. You can close this tab and return to orgconnect.',
);
const FAILURE_PAGE = page(
  'Sign-in not completed',
  'orgconnect could not complete the sign-in. Close this tab and start it again from orgconnect.',
);

export async function startCallbackListener(options: {
  target: SsoTarget;
  expectedState: string;
  timeoutMs: number;
  signal?: AbortSignal;
}): Promise<CallbackListener> {
  let settle: { resolve(code: string): void; reject(error: unknown): void } | undefined;
  const code = new Promise<string>((resolve, reject) => {
    settle = { resolve, reject };
  });
  // A rejection the caller has not awaited yet (e.g. an abort during RegisterClient) must not crash the host.
  code.catch(() => undefined);
  let done = false;
  const finish = (outcome: { code: string } | { error: unknown }): void => {
    if (done) return;
    done = true;
    clearTimeout(timer);
    options.signal?.removeEventListener('abort', onAbort);
    if ('code' in outcome) settle?.resolve(outcome.code);
    else settle?.reject(outcome.error);
  };

  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    if (request.method !== 'GET' || url.pathname !== CALLBACK_PATH || done) {
      respond(response, 404, page('Not found', 'Nothing here.'));
      return;
    }
    const params = url.searchParams;
    const error = params.get('error');
    const receivedCode = params.get('code');
    const state = params.get('state');
    if (state !== options.expectedState || (error === null && receivedCode === null)) {
      // A stray visit, or a forged answer (OAuth servers echo our state, errors included); keep waiting.
      respond(response, 400, FAILURE_PAGE);
    } else if (error !== null) {
      respond(response, 400, FAILURE_PAGE);
      finish({ error: oauthError(options.target, error) });
    } else if (receivedCode !== null) {
      respond(response, 200, SUCCESS_PAGE);
      finish({ code: receivedCode });
    }
  });

  const timer = setTimeout(() => finish({ error: loginTimedOutError(options.target) }), options.timeoutMs);
  const onAbort = (): void => finish({ error: loginCancelledError() });
  if (options.signal?.aborted) onAbort();
  else options.signal?.addEventListener('abort', onAbort, { once: true });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    redirectUri: `http://127.0.0.1:${port}${CALLBACK_PATH}`,
    code,
    close: async () => {
      finish({ error: loginCancelledError() });
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
        // Browsers open speculative sockets that may never send a request; give the last response a moment
        // to flush, then drop whatever is still open so close() cannot hang.
        setTimeout(() => server.closeAllConnections(), 500).unref();
      });
    },
  };
}

function oauthError(target: SsoTarget, error: string): OrgConnectError {
  if (error === 'access_denied') return loginDeniedError(target);
  const safe = error.replace(/[^A-Za-z0-9_.-]/g, '').slice(0, 64);
  return new OrgConnectError('SSO_LOGIN_FAILED', `Sign-in failed: the sign-in page answered "${safe}".`, {
    fix: 'Start the sign-in again; if it keeps failing, check the start URL and region of the sso-session.',
  });
}

function respond(response: ServerResponse, status: number, html: string): void {
  // Connection: close, so a browser's keep-alive socket does not hold the listener open after we are done.
  response.writeHead(status, {
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'no-store',
    connection: 'close',
  });
  response.end(html);
}

function page(title: string, text: string): string {
  return (
    `<!doctype html><html><head><meta charset="utf-8"><title>${title}</title></head>` +
    `<body style="font-family: sans-serif; margin: 4em auto; max-width: 36em"><h1>${title}</h1><p>${text}</p></body></html>`
  );
}
