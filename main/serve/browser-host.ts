/**
 * `orgconnect serve`: the renderer in the user's own browser, over node:http on 127.0.0.1 only, with the
 * contract spoken over one WebSocket. Every HTTP request and WebSocket upgrade passes the request guard first
 * (Host, token, Origin); see README "Security model".
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import path from 'node:path';
import { WebSocketServer, type WebSocket } from 'ws';
import { wsRequestSchema, type HostEvent, type WsMessage } from '../../preload/contract.js';
import { packageRoot } from '../core/package-root.js';
import type { OrgConnectService } from '../core/service.js';
import { createDispatcher, type Dispatch } from '../host/dispatch.js';
import type { MfaPrompts } from '../host/mfa-prompts.js';
import { createServiceHandlers } from '../host/service-handlers.js';
import { newAccessToken } from './access-token.js';
import { checkToken, cookieName, hostAllowed, originAllowed } from './request-guard.js';
import { SECURITY_HEADERS } from './security-headers.js';
import { readStaticFile } from './static-files.js';

/** A request is a channel name and a small payload; anything bigger is not ours. */
const MAX_MESSAGE_BYTES = 1024 * 1024;

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
  const sockets = new Set<WebSocket>();
  const broadcast = (event: HostEvent): void => {
    const text = JSON.stringify({ kind: 'event', event } satisfies WsMessage);
    for (const socket of sockets) if (socket.readyState === socket.OPEN) socket.send(text);
  };
  const service = createServiceHandlers(
    options.service,
    broadcast,
    options.mfa === undefined ? {} : { mfa: options.mfa },
  );
  const dispatch = createDispatcher(service.handlers);
  let port = 0;

  const server = createServer((request, response) => {
    void handleHttp(request, response, { port, token, rendererDir }).catch(() => {
      if (!response.headersSent) deny(response, 500, 'Internal error');
      else response.destroy();
    });
  });
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES });
  server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    const allowed =
      new URL(request.url ?? '/', 'http://127.0.0.1').pathname === '/ws' &&
      hostAllowed(request, port) &&
      originAllowed(request, port) &&
      checkToken(request, port, token).ok;
    if (!allowed) {
      socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    wss.handleUpgrade(request, socket, head, (ws) => {
      sockets.add(ws);
      ws.on('close', () => sockets.delete(ws));
      ws.on('message', (data, isBinary) => {
        if (isBinary) return ws.close(1003, 'text only');
        void answer(ws, data.toString(), dispatch);
      });
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
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

async function answer(ws: WebSocket, text: string, dispatch: Dispatch): Promise<void> {
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
  if (ws.readyState === ws.OPEN) {
    ws.send(JSON.stringify({ kind: 'reply', id: request.data.id, ...result } satisfies WsMessage));
  }
}

async function handleHttp(
  request: IncomingMessage,
  response: ServerResponse,
  context: { port: number; token: string; rendererDir: string },
): Promise<void> {
  const { port, token } = context;
  if (!hostAllowed(request, port)) return deny(response, 403, 'Forbidden host');
  const method = request.method ?? 'GET';
  const readOnly = method === 'GET' || method === 'HEAD';
  if (!readOnly && !originAllowed(request, port)) return deny(response, 403, 'Forbidden origin');
  const tokenCheck = checkToken(request, port, token);
  if (!tokenCheck.ok)
    return deny(response, 403, 'Open the URL orgconnect serve printed (it carries the token).');
  if (!readOnly) return deny(response, 405, 'Method not allowed');
  const pathname = new URL(request.url ?? '/', 'http://127.0.0.1').pathname;
  const file = await readStaticFile(context.rendererDir, pathname);
  if (!file) {
    return deny(
      response,
      404,
      pathname === '/' ? 'The renderer is not built: run "npx vite build".' : 'Not found',
    );
  }
  const headers: Record<string, string | number> = {
    ...SECURITY_HEADERS,
    'Content-Type': file.contentType,
    'Content-Length': file.body.length,
  };
  if (tokenCheck.fromQuery) {
    headers['Set-Cookie'] = `${cookieName(port)}=${token}; HttpOnly; SameSite=Strict; Path=/`;
  }
  response.writeHead(200, headers);
  response.end(method === 'HEAD' ? undefined : file.body);
}

function deny(response: ServerResponse, status: number, message: string): void {
  response.writeHead(status, { ...SECURITY_HEADERS, 'Content-Type': 'text/plain; charset=utf-8' });
  response.end(`${message}\n`);
}
