/**
 * The checks every request to the browser host passes before anything else runs:
 * - Host must name the loopback address we listen on (a DNS-rebinding page arrives with its own host name);
 * - the token must come in the cookie or the query (no other local page or process knows it);
 * - Origin, where the browser sends one for a WebSocket or a non-GET request, must be our own origin
 *   (WebSockets are not covered by the same-origin policy, so a foreign page could otherwise connect).
 */
import type { IncomingMessage } from 'node:http';
import { tokenMatches } from './access-token.js';

export function allowedHosts(port: number): ReadonlySet<string> {
  return new Set([`127.0.0.1:${port}`, `localhost:${port}`]);
}

export function hostAllowed(request: IncomingMessage, port: number): boolean {
  const host = request.headers.host;
  return host !== undefined && allowedHosts(port).has(host.toLowerCase());
}

/** Same origin as the Host the request was sent to (itself already checked). */
export function originAllowed(request: IncomingMessage, port: number): boolean {
  const origin = request.headers.origin;
  const host = request.headers.host?.toLowerCase();
  if (origin === undefined || host === undefined || !allowedHosts(port).has(host)) return false;
  return origin.toLowerCase() === `http://${host}`;
}

/** Per port: cookies are not isolated by port, and two hosts on one machine must not log each other out. */
export function cookieName(port: number): string {
  return `orgconnect_token_${port}`;
}

export function cookieToken(request: IncomingMessage, port: number): string | undefined {
  const header = request.headers.cookie;
  if (!header) return undefined;
  const name = cookieName(port);
  for (const part of header.split(';')) {
    const index = part.indexOf('=');
    if (index > 0 && part.slice(0, index).trim() === name) return part.slice(index + 1).trim();
  }
  return undefined;
}

export function queryToken(request: IncomingMessage): string | undefined {
  const url = new URL(request.url ?? '/', 'http://127.0.0.1');
  return url.searchParams.get('token') ?? undefined;
}

export interface TokenCheck {
  ok: boolean;
  /** The token came in the query: the response sets the cookie so the page's later requests carry it. */
  fromQuery: boolean;
}

export function checkToken(request: IncomingMessage, port: number, token: string): TokenCheck {
  const fromQuery = queryToken(request);
  if (fromQuery !== undefined) return { ok: tokenMatches(token, fromQuery), fromQuery: true };
  return { ok: tokenMatches(token, cookieToken(request, port)), fromQuery: false };
}
