/**
 * How a page proves to `orgconnect serve` that it was opened from the URL the host printed: it offers two
 * WebSocket subprotocols, the fixed one the host answers with and one that carries the per-launch token.
 * The token never travels in a cookie: browsers do not scope cookies by port, so every other web server on
 * 127.0.0.1 that the user visits would receive it. A subprotocol is sent only to the socket's own URL.
 * The token is base64url, whose characters are all valid in a subprotocol name (an HTTP token).
 */
export const WS_PROTOCOL = 'orgconnect.v1';
export const WS_TOKEN_PROTOCOL_PREFIX = 'orgconnect.token.';

export function handshakeProtocols(token: string): string[] {
  return [WS_PROTOCOL, `${WS_TOKEN_PROTOCOL_PREFIX}${token}`];
}

/** The token a handshake's Sec-WebSocket-Protocol header carries, if it offers our protocol and exactly one token. */
export function tokenFromProtocolHeader(header: string | undefined): string | undefined {
  if (header === undefined || header.length > 1024) return undefined;
  const offered = header.split(',').map((value) => value.trim());
  if (!offered.includes(WS_PROTOCOL)) return undefined;
  const tokens = offered.filter((value) => value.startsWith(WS_TOKEN_PROTOCOL_PREFIX));
  return tokens.length === 1 ? tokens[0]?.slice(WS_TOKEN_PROTOCOL_PREFIX.length) : undefined;
}
