/**
 * The renderer's one way to the host: `window.orgconnect` from the Electron preload when present, else the
 * WebSocket bridge to `orgconnect serve`. Either way failures reject with an OrgConnectUiError.
 */
import { OrgConnectUiError, errorPayloadSchema, type OrgConnectApi } from '../../../preload/contract.js';
import { takeTokenFromLocation } from './page-token.js';
import { createWebSocketApi } from './ws-bridge.js';

declare global {
  interface Window {
    orgconnect?: OrgConnectApi;
  }
}

let api: OrgConnectApi | undefined;

// In the browser host the token must leave the address bar before anything renders (the Electron app has none).
if (typeof window !== 'undefined' && window.orgconnect === undefined) takeTokenFromLocation();

export function orgconnectApi(): OrgConnectApi {
  api ??= window.orgconnect ? withUiErrors(window.orgconnect) : createWebSocketApi();
  return api;
}

/** The desktop app (its preload is there) saves files through its native save dialog; the browser downloads them. */
export function hostHasSaveDialog(): boolean {
  return typeof window !== 'undefined' && window.orgconnect !== undefined;
}

/** contextBridge drops custom Error properties, so the preload rejects with a plain payload; rebuild the error. */
export function toUiError(reason: unknown): OrgConnectUiError {
  if (reason instanceof OrgConnectUiError) return reason;
  const payload = errorPayloadSchema.safeParse(reason);
  if (payload.success) return new OrgConnectUiError(payload.data);
  return new OrgConnectUiError({
    code: 'INTERNAL_ERROR',
    message: reason instanceof Error ? reason.message : String(reason),
  });
}

function withUiErrors(preload: OrgConnectApi): OrgConnectApi {
  const wrapped: Record<string, unknown> = {};
  for (const [group, methods] of Object.entries(preload)) {
    if (typeof methods === 'function') {
      wrapped[group] = methods;
      continue;
    }
    wrapped[group] = Object.fromEntries(
      Object.entries(methods as Record<string, (request?: unknown) => Promise<unknown>>).map(
        ([name, method]) => [
          name,
          (request?: unknown) =>
            method(request).catch((reason: unknown) => Promise.reject(toUiError(reason))),
        ],
      ),
    );
  }
  return wrapped as unknown as OrgConnectApi;
}

export type { OrgConnectApi } from '../../../preload/contract.js';
export { OrgConnectUiError } from '../../../preload/contract.js';
