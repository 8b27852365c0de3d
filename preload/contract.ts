/**
 * The one contract between the UI and a host (the Electron main process or `orgconnect serve`).
 * Every request, response and event is a zod schema; TypeScript types are inferred from them, so the preload,
 * the WebSocket bridge and both hosts cannot drift apart. Hosts parse every request before a handler runs.
 *
 * Requests are strict objects: an unknown key is a malformed request, not something to ignore, because the
 * renderer is the less trusted side.
 *
 * The contract is split by job (shared schemas, the channel map, host events, the renderer API, WebSocket framing);
 * this file is its one entry point. It and its parts must stay free of Node and Electron: the renderer bundles them.
 */
export * from './contract-schemas.js';
export * from './contract-channels.js';
export * from './contract-events.js';
export * from './contract-api.js';
export * from './contract-ws.js';
