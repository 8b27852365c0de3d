/**
 * The desktop window's preload: exposes `window.orgconnect` — narrow, named methods, one per contract channel —
 * and never ipcRenderer itself, so the page cannot send on any other channel or see the IPC event objects.
 *
 * Sandboxed preloads are CommonJS and may require only `electron` (no zod, no local files), so this file imports
 * the contract for its types only and asks main for the channel names (main answers with the contract's
 * CHANNELS): adding a channel to the contract adds its method here without an edit. Main still parses and checks
 * every payload. Built by tsconfig.preload.json to dist/preload/preload.cjs.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import type { Channel, HostEvent, OrgConnectApi } from './contract.js';

// Literal copies of ipcChannel(), IPC_EVENT_CHANNEL and IPC_CHANNEL_LIST from contract.ts (the contract tests
// check they agree).
const PREFIX = 'orgconnect:';
const EVENT_CHANNEL = 'orgconnect:event';
const CHANNEL_LIST = 'orgconnect:channels';

/** `group.method`, as every contract channel is named; anything else in the answer is ignored. */
const CHANNEL_NAME = /^([a-z]+)\.([A-Za-z]+)$/;

interface WireResult {
  ok: boolean;
  value?: unknown;
  error?: { code: string; message: string; fix?: string };
}

/**
 * Errors crossing contextBridge lose their custom properties, so a failure rejects with the plain
 * `{ code, message, fix }` object; renderer/src/bridge turns it into an OrgConnectUiError.
 */
function call(channel: Channel) {
  return async (request?: unknown): Promise<unknown> => {
    const result = (await ipcRenderer.invoke(PREFIX + channel, request)) as WireResult;
    if (result.ok) return result.value;
    throw { name: 'OrgConnectUiError', ...result.error };
  };
}

/** One method per channel main lists, grouped as the contract's OrgConnectApi (`runs.get` → runs.get). */
function methods(names: unknown): Record<string, Record<string, unknown>> {
  const groups: Record<string, Record<string, unknown>> = {};
  for (const name of Array.isArray(names) ? (names as unknown[]) : []) {
    const match = typeof name === 'string' ? CHANNEL_NAME.exec(name) : null;
    if (!match) continue;
    const [, group = '', method = ''] = match;
    (groups[group] ??= {})[method] = call(name as Channel);
  }
  return groups;
}

const api = {
  ...methods(ipcRenderer.sendSync(CHANNEL_LIST)),
  onEvent(listener: (event: HostEvent) => void): () => void {
    // The page gets the event payload only, never the IpcRendererEvent (it carries `sender`).
    const handler = (_event: IpcRendererEvent, payload: HostEvent) => listener(payload);
    ipcRenderer.on(EVENT_CHANNEL, handler);
    return () => {
      ipcRenderer.removeListener(EVENT_CHANNEL, handler);
    };
  },
} as unknown as OrgConnectApi;

contextBridge.exposeInMainWorld('orgconnect', api);
