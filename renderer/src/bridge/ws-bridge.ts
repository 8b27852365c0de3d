/**
 * The browser-hosted twin of the Electron preload: the same `OrgConnectApi`, spoken over the WebSocket that
 * `orgconnect serve` opens at /ws. The handshake offers the page's token as a subprotocol (preload/ws-handshake.ts);
 * the browser adds our Origin by itself.
 */
import {
  OrgConnectUiError,
  apiMethods,
  hostEventSchema,
  type Channel,
  type HostEvent,
  type OrgConnectApi,
  type Result,
} from '../../../preload/contract.js';
import { handshakeProtocols } from '../../../preload/ws-handshake.js';
import { pageToken } from './page-token.js';

interface Pending {
  resolve: (value: unknown) => void;
  reject: (error: OrgConnectUiError) => void;
}

const disconnected = () =>
  new OrgConnectUiError({
    code: 'HOST_DISCONNECTED',
    message: 'The connection to orgconnect serve was lost.',
    fix: 'Check that "orgconnect serve" is still running, then reload this page.',
  });

const tokenMissing = () =>
  new OrgConnectUiError({
    code: 'HOST_TOKEN_MISSING',
    message: 'This page was opened without the token orgconnect serve gives it.',
    fix: 'Open the URL that "orgconnect serve" printed (or run it with --open).',
  });

export function createWebSocketApi(url = defaultUrl(), token = pageToken()): OrgConnectApi {
  const pending = new Map<number, Pending>();
  const listeners = new Set<(event: HostEvent) => void>();
  let nextId = 1;
  let socket: Promise<WebSocket> | undefined;

  const connect = (): Promise<WebSocket> => {
    if (token === undefined) return Promise.reject(tokenMissing());
    socket ??= new Promise<WebSocket>((resolve, reject) => {
      const ws = new WebSocket(url, handshakeProtocols(token));
      ws.addEventListener('open', () => resolve(ws));
      ws.addEventListener('message', (message) => onMessage(String(message.data)));
      ws.addEventListener('close', () => {
        socket = undefined;
        for (const entry of pending.values()) entry.reject(disconnected());
        pending.clear();
        reject(disconnected());
      });
    });
    return socket;
  };

  const onMessage = (text: string): void => {
    let message: { kind?: unknown; id?: unknown; event?: unknown } & Partial<Result<unknown>>;
    try {
      message = JSON.parse(text) as typeof message;
    } catch {
      return;
    }
    if (message.kind === 'event') {
      const parsed = hostEventSchema.safeParse(message.event);
      if (parsed.success) for (const listener of listeners) listener(parsed.data);
      return;
    }
    if (message.kind !== 'reply' || typeof message.id !== 'number') return;
    const entry = pending.get(message.id);
    if (!entry) return;
    pending.delete(message.id);
    if (message.ok === true) entry.resolve(message.value);
    else if (message.ok === false && message.error) entry.reject(new OrgConnectUiError(message.error));
  };

  const call =
    (channel: Channel) =>
    async (request?: unknown): Promise<unknown> => {
      const ws = await connect();
      const id = nextId++;
      return new Promise<unknown>((resolve, reject) => {
        pending.set(id, { resolve, reject });
        ws.send(JSON.stringify({ id, channel, payload: request ?? {} }));
      });
    };

  return {
    ...apiMethods(call),
    onEvent(listener) {
      listeners.add(listener);
      // Events flow only on an open socket; subscribing opens it.
      void connect().catch(() => undefined);
      return () => {
        listeners.delete(listener);
      };
    },
  };
}

function defaultUrl(): string {
  return `ws://${window.location.host}/ws`;
}
