// Both ways to the host offer exactly the contract's channels, one method each, and each method sends on its
// own channel: the Electron preload (run as Electron's sandbox runs it, with `electron` its only module) and the
// browser's WebSocket bridge (against a real WebSocket server). The expected names come from the contract only.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { runInNewContext } from 'node:vm';
import ts from 'typescript';
import { WebSocketServer } from 'ws';
import {
  CHANNELS,
  IPC_CHANNEL_LIST,
  IPC_EVENT_CHANNEL,
  apiMethodPath,
  ipcChannel,
  type Channel,
  type OrgConnectApi,
} from '../../preload/contract.js';

const root = path.resolve(import.meta.dirname, '../..');

type AnyMethod = (request?: unknown) => Promise<unknown>;

/** `group.method` for every function the API object offers (onEvent included, as itself). */
function methodNames(api: object): string[] {
  const names: string[] = [];
  for (const [group, value] of Object.entries(api)) {
    if (typeof value === 'function') {
      names.push(group);
      continue;
    }
    for (const [method, fn] of Object.entries(value as Record<string, unknown>)) {
      assert.equal(typeof fn, 'function', `${group}.${method}`);
      names.push(`${group}.${method}`);
    }
  }
  return names.sort();
}

function methodOf(api: object, channel: Channel): AnyMethod {
  const [group, method] = apiMethodPath(channel);
  return (api as Record<string, Record<string, AnyMethod>>)[group]![method]!;
}

const expectedNames = [...CHANNELS, 'onEvent'].sort();

interface PreloadRun {
  exposed: Map<string, unknown>;
  invoked: { channel: string; request: unknown }[];
  listChannelAsked: string[];
}

/** Runs preload.cts as CommonJS in a fresh context whose require knows `electron` only (a sandboxed preload). */
function runPreload(answer: {
  channelList: unknown;
  reply: (channel: string, request: unknown) => unknown;
}): PreloadRun {
  const source = readFileSync(path.join(root, 'preload/preload.cts'), 'utf8');
  const { outputText } = ts.transpileModule(source, {
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 },
  });
  const run: PreloadRun = { exposed: new Map(), invoked: [], listChannelAsked: [] };
  const electron = {
    contextBridge: {
      exposeInMainWorld: (key: string, value: unknown) => run.exposed.set(key, value),
    },
    ipcRenderer: {
      sendSync: (channel: string) => {
        run.listChannelAsked.push(channel);
        return channel === IPC_CHANNEL_LIST ? answer.channelList : undefined;
      },
      invoke: async (channel: string, request: unknown) => {
        run.invoked.push({ channel, request });
        return answer.reply(channel, request);
      },
      on: () => undefined,
      removeListener: () => undefined,
    },
  };
  const sandboxRequire = (name: string) => {
    if (name === 'electron') return electron;
    throw new Error(`a sandboxed preload cannot require ${name}`);
  };
  const module = { exports: {} };
  runInNewContext(outputText, { require: sandboxRequire, module, exports: module.exports });
  return run;
}

describe('the Electron preload', () => {
  test('exposes one method per contract channel (the list main answers), each invoking its own IPC channel', async () => {
    const run = runPreload({
      // What main/app/ipc-bridge.ts answers on IPC_CHANNEL_LIST.
      channelList: CHANNELS,
      reply: (channel) => ({ ok: true, value: { answeredOn: channel } }),
    });
    assert.deepEqual(run.listChannelAsked, [IPC_CHANNEL_LIST]);
    assert.deepEqual([...run.exposed.keys()], ['orgconnect']);
    const api = run.exposed.get('orgconnect') as object;
    assert.deepEqual(methodNames(api), expectedNames);

    for (const channel of CHANNELS) {
      const request = { probe: channel };
      assert.deepEqual(await methodOf(api, channel)(request), { answeredOn: ipcChannel(channel) }, channel);
      assert.deepEqual(run.invoked.at(-1), { channel: ipcChannel(channel), request });
    }
    assert.equal(run.invoked.length, CHANNELS.length);
  });

  test('a failure rejects with the plain { code, message, fix } (contextBridge drops error properties)', async () => {
    const error = { code: 'INVALID_REQUEST', message: 'Malformed runs.get request', fix: 'Restart.' };
    const run = runPreload({ channelList: CHANNELS, reply: () => ({ ok: false, error }) });
    const api = run.exposed.get('orgconnect') as object;
    await assert.rejects(methodOf(api, 'runs.get')({ runId: 'r' }), (reason: unknown) => {
      // The object was made in the preload's context: compare its own fields, not its prototype.
      assert.deepEqual({ ...(reason as object) }, { name: 'OrgConnectUiError', ...error });
      return true;
    });
  });

  test('anything in the list that is not a group.method name gives no method', () => {
    const run = runPreload({
      channelList: ['runs.get', 'a.b.c', '__proto__.polluted', 'onEvent', 42, null, 'x:y', 'ok.fine'],
      reply: () => ({ ok: true }),
    });
    const api = run.exposed.get('orgconnect') as object;
    assert.deepEqual(methodNames(api), ['ok.fine', 'onEvent', 'runs.get']);
    assert.equal(({} as Record<string, unknown>)['polluted'], undefined);
    // A broken answer (not a list) leaves only onEvent: nothing can be sent at all.
    const broken = runPreload({ channelList: 'runs.get', reply: () => ({ ok: true }) });
    assert.deepEqual(methodNames(broken.exposed.get('orgconnect') as object), ['onEvent']);
  });

  test('its literal channel names agree with the contract', () => {
    const text = readFileSync(path.join(root, 'preload/preload.cts'), 'utf8');
    assert.match(text, new RegExp(`const CHANNEL_LIST = '${IPC_CHANNEL_LIST}';`));
    assert.match(text, new RegExp(`const EVENT_CHANNEL = '${IPC_EVENT_CHANNEL}';`));
    // Main answers the list with the contract's CHANNELS, on the same name.
    const bridge = readFileSync(path.join(root, 'main/app/ipc-bridge.ts'), 'utf8');
    assert.match(bridge, /ipcMain\.on\(IPC_CHANNEL_LIST, listChannels\)/);
    assert.match(bridge, /event\.returnValue = CHANNELS;/);
  });
});

describe('the WebSocket bridge', () => {
  test('offers one method per contract channel, each sending its own channel name', async () => {
    const server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    await new Promise<void>((resolve) => server.once('listening', resolve));
    const received: { channel: string; payload: unknown }[] = [];
    server.on('connection', (socket) => {
      socket.on('message', (data) => {
        const { id, channel, payload } = JSON.parse(String(data)) as {
          id: number;
          channel: string;
          payload: unknown;
        };
        received.push({ channel, payload });
        socket.send(JSON.stringify({ kind: 'reply', id, ok: true, value: { answered: channel } }));
      });
    });
    try {
      const { port } = server.address() as { port: number };
      // The bridge is browser code (renderer project); load it by URL so this project's type-check stays apart.
      const bridgeUrl = pathToFileURL(path.join(root, 'renderer/src/bridge/ws-bridge.ts'));
      const { createWebSocketApi } = (await import(bridgeUrl.href)) as {
        createWebSocketApi: (url: string, token?: string) => OrgConnectApi;
      };
      const api = createWebSocketApi(`ws://127.0.0.1:${port}/ws`, 'test-token');
      assert.deepEqual(methodNames(api), expectedNames);
      for (const channel of CHANNELS) {
        const payload = { probe: channel };
        assert.deepEqual(await methodOf(api, channel)(payload), { answered: channel }, channel);
        assert.deepEqual(received.at(-1), { channel, payload });
      }
      assert.equal(received.length, CHANNELS.length);
    } finally {
      for (const client of server.clients) client.terminate();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
