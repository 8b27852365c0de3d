import type { ErrorPayload } from './contract-schemas.js';
import { CHANNELS } from './contract-channels.js';
import type { Channel, RequestInputOf, ResponseOf } from './contract-channels.js';
import type { HostEvent } from './contract-events.js';

// ------------------------------------------------------------------------------------------ the renderer API

/** A request whose fields are all optional may be left out (`api.runs.list()`). */
type Method<C extends Channel> =
  Record<never, never> extends RequestInputOf<C>
    ? (request?: RequestInputOf<C>) => Promise<ResponseOf<C>>
    : (request: RequestInputOf<C>) => Promise<ResponseOf<C>>;

/** The API group of a channel (`runs.get` → `runs`) and a channel's method name within its group (`get`). */
type GroupOf<C extends Channel> = C extends `${infer Group}.${string}` ? Group : never;
type MethodNameIn<Group extends string, C extends Channel> = C extends `${Group}.${infer Name}`
  ? Name
  : never;

/** One method per contract channel, grouped by the channel's prefix (`runs.get` → `api.runs.get`). */
export type OrgConnectMethods = {
  [Group in GroupOf<Channel>]: { [C in Channel as MethodNameIn<Group, C>]: Method<C> };
};

/**
 * What `window.orgconnect` offers, in Electron (preload) and in the browser (WebSocket bridge) alike: derived from
 * `channels`, so a new channel is a new method everywhere without writing it again.
 * Methods reject with an `OrgConnectUiError` carrying the host's code, message and fix.
 */
export interface OrgConnectApi extends OrgConnectMethods {
  /** Subscribes to host events; returns the unsubscribe function. */
  onEvent(listener: (event: HostEvent) => void): () => void;
}

/** The API's method paths, one per channel (`runs.get` → api.runs.get); the preload and bridge build from it. */
export function apiMethodPath(channel: Channel): readonly [string, string] {
  const [group = '', method = ''] = channel.split('.');
  return [group, method];
}

/** Every channel's method, made by `call` (the bridge's sender); the preload does the same from the host's list. */
export function apiMethods(
  call: (channel: Channel) => (request?: unknown) => Promise<unknown>,
): OrgConnectMethods {
  const groups: Record<string, Record<string, unknown>> = {};
  for (const channel of CHANNELS) {
    const [group, method] = apiMethodPath(channel);
    (groups[group] ??= {})[method] = call(channel);
  }
  return groups as unknown as OrgConnectMethods;
}

/** The IPC channel name for a contract channel (one namespace, so nothing else in the app can collide). */
export function ipcChannel(channel: Channel): string {
  return `orgconnect:${channel}`;
}
export const IPC_EVENT_CHANNEL = 'orgconnect:event';
/**
 * The sandboxed preload may not load the contract, so it asks main for the channel names once, synchronously,
 * before the page runs; main answers with CHANNELS (see main/app/ipc-bridge.ts).
 */
export const IPC_CHANNEL_LIST = 'orgconnect:channels';

/** An error as the renderer sees it: the host's code, title, one-line message, fix and (bugs only) details. */
export class OrgConnectUiError extends Error {
  readonly code: string;
  readonly title: string | undefined;
  readonly fix: string | undefined;
  readonly details: string | undefined;
  constructor(payload: ErrorPayload) {
    super(payload.message);
    this.name = 'OrgConnectUiError';
    this.code = payload.code;
    this.title = payload.title;
    this.fix = payload.fix;
    this.details = payload.details;
  }
}
