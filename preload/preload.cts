/**
 * The desktop window's preload: exposes `window.orgconnect` — narrow, named methods, one per contract channel —
 * and never ipcRenderer itself, so the page cannot send on any other channel or see the IPC event objects.
 *
 * Sandboxed preloads are CommonJS and may require only `electron` (no zod, no local files), so this file imports
 * the contract for its types only; main parses and checks every payload anyway. Built by tsconfig.preload.json
 * to dist/preload/preload.cjs.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import type { Channel, HostEvent, OrgConnectApi } from './contract.js';

// Literal copies of ipcChannel() and IPC_EVENT_CHANNEL from contract.ts (the contract tests check they agree).
const PREFIX = 'orgconnect:';
const EVENT_CHANNEL = 'orgconnect:event';

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
  return async (request?: unknown): Promise<never> => {
    const result = (await ipcRenderer.invoke(PREFIX + channel, request)) as WireResult;
    if (result.ok) return result.value as never;
    throw { name: 'OrgConnectUiError', ...result.error };
  };
}

const api: OrgConnectApi = {
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
  templates: { get: call('templates.get'), export: call('templates.export') },
  cur: { status: call('cur.status'), planSetup: call('cur.planSetup'), setUp: call('cur.setUp') },
  mfa: { answer: call('mfa.answer') },
  platform: { describe: call('platform.describe') },
  disconnect: { plan: call('disconnect.plan'), start: call('disconnect.start') },
  onEvent(listener: (event: HostEvent) => void): () => void {
    // The page gets the event payload only, never the IpcRendererEvent (it carries `sender`).
    const handler = (_event: IpcRendererEvent, payload: HostEvent) => listener(payload);
    ipcRenderer.on(EVENT_CHANNEL, handler);
    return () => {
      ipcRenderer.removeListener(EVENT_CHANNEL, handler);
    };
  },
};

contextBridge.exposeInMainWorld('orgconnect', api);
