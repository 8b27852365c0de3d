/**
 * The checks every request to the browser host passes before anything else runs:
 * - Host must name the loopback address we listen on (a DNS-rebinding page arrives with its own host name);
 * - a WebSocket upgrade must present the token in its Sec-WebSocket-Protocol offer (no other local page or
 *   process knows it) and come from our own Origin (WebSockets are not covered by the same-origin policy, so a
 *   foreign page could otherwise connect). Static files need no token: they are public and hold no secret.
 */
import type { IncomingMessage } from 'node:http';
import { tokenFromProtocolHeader } from '../../preload/ws-handshake.js';
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

/** The handshake's token (constant-time compared with ours). */
export function handshakeTokenMatches(request: IncomingMessage, token: string): boolean {
  return tokenMatches(token, tokenFromProtocolHeader(request.headers['sec-websocket-protocol']));
}

/** Why an upgrade is refused, or undefined when it may proceed. Never names the token. */
export function upgradeRefusal(request: IncomingMessage, port: number, token: string): string | undefined {
  if (new URL(request.url ?? '/', 'http://127.0.0.1').pathname !== '/ws') return 'not /ws';
  if (!hostAllowed(request, port)) return 'foreign Host';
  if (!originAllowed(request, port)) return 'foreign or missing Origin';
  if (!handshakeTokenMatches(request, token)) return 'missing or wrong token';
  return undefined;
}
