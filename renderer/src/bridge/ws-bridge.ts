/**
 * The browser-hosted twin of the Electron preload: the same `OrgConnectApi`, spoken over the WebSocket that
 * `orgconnect serve` opens at /ws. The page was loaded from that host, so the HttpOnly token cookie rides along
 * with the handshake; the page's script never sees the token.
 */
import {
  OrgConnectUiError,
  hostEventSchema,
  type Channel,
  type HostEvent,
  type OrgConnectApi,
  type Result,
} from '../../../preload/contract.js';

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

export function createWebSocketApi(url = defaultUrl()): OrgConnectApi {
  const pending = new Map<number, Pending>();
  const listeners = new Set<(event: HostEvent) => void>();
  let nextId = 1;
  let socket: Promise<WebSocket> | undefined;

  const connect = (): Promise<WebSocket> => {
    socket ??= new Promise<WebSocket>((resolve, reject) => {
      const ws = new WebSocket(url);
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
    async (request?: unknown): Promise<never> => {
      const ws = await connect();
      const id = nextId++;
      return new Promise<never>((resolve, reject) => {
        pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
        ws.send(JSON.stringify({ id, channel, payload: request ?? {} }));
      });
    };

  return {
    profiles: { list: call('profiles.list') },
    identity: { whoami: call('identity.whoami') },
    org: { discover: call('org.discover') },
    sso: { login: call('sso.login') },
    plan: { create: call('plan.create') },
    runs: { list: call('runs.list'), get: call('runs.get') },
    deploy: {
      start: call('deploy.start'),
      pause: call('deploy.pause'),
      resume: call('deploy.resume'),
      cancel: call('deploy.cancel'),
      retryFailed: call('deploy.retryFailed'),
    },
    health: {
      check: call('health.check'),
      watch: call('health.watch'),
      series: call('health.series'),
      timeline: call('health.timeline'),
    },
    report: { export: call('report.export') },
    templates: { get: call('templates.get') },
    cur: { status: call('cur.status') },
    mfa: { answer: call('mfa.answer') },
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
