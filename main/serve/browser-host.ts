/**
 * `orgconnect serve`: the renderer in the user's own browser, over node:http on 127.0.0.1 only, with the
 * contract spoken over one WebSocket. Static files are public (they hold no secret); the WebSocket upgrade passes
 * the request guard (Host, Origin, token in the subprotocol offer); see README "Security model".
 *
 * No client can stop the host: every socket and WebSocket error ends that one connection and logs one line
 * (never a token or payload), and each connection's message size, rate and backlog are bounded
 * (connection-limits.ts). Runs belong to the service, not to a socket, so they go on whoever disconnects.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import path from 'node:path';
import { WebSocketServer, type WebSocket } from 'ws';
import { wsRequestSchema, type HostEvent, type WsMessage } from '../../preload/contract.js';
import { WS_PROTOCOL } from '../../preload/ws-handshake.js';
import { packageRoot } from '../core/package-root.js';
import type { OrgConnectService } from '../core/service.js';
import { createDispatcher, type Dispatch } from '../host/dispatch.js';
import type { MfaPrompts } from '../host/mfa-prompts.js';
import { createServiceHandlers } from '../host/service-handlers.js';
import { newAccessToken } from './access-token.js';
import {
  MAX_BUFFERED_BYTES,
  MAX_IN_FLIGHT,
  MAX_MESSAGE_BYTES,
  MAX_SOCKETS,
  messageBudget,
} from './connection-limits.js';
import { hostAllowed, upgradeRefusal } from './request-guard.js';
import { SECURITY_HEADERS } from './security-headers.js';
import { readStaticFile } from './static-files.js';

export interface BrowserHostOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  /** The built renderer; dist/renderer of the package by default. */
  rendererDir?: string;
  /** Builds the façade; it receives nothing the host owns, so tests can pass one over a test AWS config. */
  service: OrgConnectService;
  /** A fixed token, for tests only; a fresh random one per launch otherwise. */
  token?: string;
  /** The prompts behind the service's mfaCodeProvider, so the page can answer them. */
  mfa?: MfaPrompts;
  /** One line per dropped connection (stderr by default); lines never hold the token or what a client sent. */
  log?: (line: string) => void;
}

export interface BrowserHost {
  port: number;
  /** The URL to open, token included. */
  url: string;
  close(): Promise<void>;
}

export function defaultRendererDir(): string {
  return path.join(packageRoot(), 'dist', 'renderer');
}

export async function startBrowserHost(options: BrowserHostOptions): Promise<BrowserHost> {
  const token = options.token ?? newAccessToken();
  const rendererDir = options.rendererDir ?? defaultRendererDir();
  const log = options.log ?? ((line: string) => process.stderr.write(`orgconnect serve: ${line}\n`));
  const sockets = new Set<WebSocket>();
  const broadcast = (event: HostEvent): void => {
    const text = JSON.stringify({ kind: 'event', event } satisfies WsMessage);
    for (const socket of sockets) sendBounded(socket, text, log);
  };
  const service = createServiceHandlers(
    options.service,
    broadcast,
    options.mfa === undefined ? {} : { mfa: options.mfa },
  );
  const dispatch = createDispatcher(service.handlers);
  let port = 0;

  const server = createServer((request, response) => {
    void handleHttp(request, response, { port, rendererDir }).catch(() => {
      if (!response.headersSent) deny(response, 500, 'Internal error');
      else response.destroy();
    });
  });
  // A slow or idle client must not hold a connection (and its memory) for long.
  server.headersTimeout = 10_000;
  server.requestTimeout = 30_000;
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex) => {
    log(`dropped an HTTP client: ${error.code ?? error.message}`);
    if (socket.writable && error.code !== 'ECONNRESET') {
      socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
    }
    socket.destroy();
  });
  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: MAX_MESSAGE_BYTES,
    // Answer with our fixed protocol, never echo the one that carries the token.
    handleProtocols: (offered) => (offered.has(WS_PROTOCOL) ? WS_PROTOCOL : false),
  });
  wss.on('wsClientError', (error, socket) => {
    log(`refused a WebSocket handshake: ${error.message}`);
    if (!socket.writable) return socket.destroy();
    socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n', () =>
      socket.destroy(),
    );
  });
  server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    // Node hands over the raw socket without its error listener; a reset would otherwise end the process.
    socket.on('error', (error: NodeJS.ErrnoException) => {
      log(`dropped a WebSocket connection: ${error.code ?? error.message}`);
      socket.destroy();
    });
    const refusal = upgradeRefusal(request, port, token);
    if (refusal !== undefined || sockets.size >= MAX_SOCKETS) {
      log(`refused a WebSocket upgrade: ${refusal ?? 'too many connections'}`);
      const status = refusal === undefined ? '503 Service Unavailable' : '403 Forbidden';
      socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`, () =>
        socket.destroy(),
      );
      return;
    }
    wss.handleUpgrade(request, socket, head, (ws) => serveSocket(ws, sockets, dispatch, log));
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  // A listening server's own errors (there are none in practice) are logged, not thrown.
  server.on('error', (error) => log(`server error: ${error.message}`));
  const address = server.address();
  port = typeof address === 'object' && address !== null ? address.port : 0;

  let closing: Promise<void> | undefined;
  return {
    port,
    url: `http://127.0.0.1:${port}/?token=${token}`,
    close() {
      closing ??= (async () => {
        for (const socket of sockets) socket.close(1001, 'host shutting down');
        await service.close();
        wss.close();
        server.closeAllConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
      })();
      return closing;
    },
  };
}

/** One authenticated client: its errors end it alone; its rate and unanswered requests are bounded. */
function serveSocket(
  ws: WebSocket,
  sockets: Set<WebSocket>,
  dispatch: Dispatch,
  log: (line: string) => void,
): void {
  sockets.add(ws);
  const budget = messageBudget();
  let inFlight = 0;
  ws.on('close', () => sockets.delete(ws));
  // Protocol errors (oversized or unmasked frames, invalid UTF-8, bad opcodes or close codes) land here; ws has
  // already sent the close frame, so only the socket is left to end.
  ws.on('error', (error: Error & { code?: string }) => {
    log(`closed a WebSocket client: ${error.code ?? error.message}`);
    ws.terminate();
  });
  ws.on('message', (data, isBinary) => {
    if (ws.readyState !== ws.OPEN) return;
    if (isBinary) return ws.close(1003, 'text only');
    const size = Array.isArray(data) ? data.reduce((sum, part) => sum + part.length, 0) : data.byteLength;
    if (!budget.take(size)) return ws.close(1008, 'too many messages');
    if (inFlight >= MAX_IN_FLIGHT) return ws.close(1008, 'too many requests in flight');
    inFlight += 1;
    void answer(ws, data.toString(), dispatch, log)
      .catch((error: unknown) => {
        log(`a request failed: ${error instanceof Error ? error.name : 'unknown error'}`);
      })
      .finally(() => (inFlight -= 1));
  });
}

/** Sends unless the client has stopped reading; then it is dropped rather than buffered without limit. */
function sendBounded(ws: WebSocket, text: string, log: (line: string) => void): void {
  if (ws.readyState !== ws.OPEN) return;
  if (ws.bufferedAmount + text.length > MAX_BUFFERED_BYTES) {
    log('dropped a WebSocket client that stopped reading');
    ws.terminate();
    return;
  }
  ws.send(text);
}

async function answer(
  ws: WebSocket,
  text: string,
  dispatch: Dispatch,
  log: (line: string) => void,
): Promise<void> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  const request = wsRequestSchema.safeParse(parsed);
  if (!request.success) {
    // No id to answer to: the client is not ours, or broken.
    ws.close(1008, 'malformed message');
    return;
  }
  const result = await dispatch(request.data.channel, request.data.payload);
  sendBounded(ws, JSON.stringify({ kind: 'reply', id: request.data.id, ...result } satisfies WsMessage), log);
}

async function handleHttp(
  request: IncomingMessage,
  response: ServerResponse,
  context: { port: number; rendererDir: string },
): Promise<void> {
  if (!hostAllowed(request, context.port)) return deny(response, 403, 'Forbidden host');
  const method = request.method ?? 'GET';
  if (method !== 'GET' && method !== 'HEAD') return deny(response, 405, 'Method not allowed');
  // Public files, no token needed: the page finds its token in its own URL (renderer/src/bridge/page-token.ts).
  const pathname = new URL(request.url ?? '/', 'http://127.0.0.1').pathname;
  const file = await readStaticFile(context.rendererDir, pathname);
  if (!file) {
    return deny(
      response,
      404,
      pathname === '/' ? 'The renderer is not built: run "npx vite build".' : 'Not found',
    );
  }
  response.writeHead(200, {
    ...SECURITY_HEADERS,
    'Content-Type': file.contentType,
    'Content-Length': file.body.length,
  });
  response.end(method === 'HEAD' ? undefined : file.body);
}

function deny(response: ServerResponse, status: number, message: string): void {
  response.writeHead(status, { ...SECURITY_HEADERS, 'Content-Type': 'text/plain; charset=utf-8' });
  response.end(`${message}\n`);
}
