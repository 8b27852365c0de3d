// `orgconnect serve` against hostile local clients, each attack on loopback: raw TCP (resets, garbage, oversized
// headers, idle floods) and hand-made WebSocket frames from an authenticated client (oversize, invalid UTF-8,
// unmasked, unknown opcode, RSV1, fragmented ping, close code 999), a message flood and a socket flood. The host
// runs in this process, so a crash ends the test. After every attack: an authenticated client still gets answers,
// a new one can connect, Chromium's page (reloaded) still talks to the host with its token, memory stays bounded,
// and a deploy started before the first attack goes on to connect every account.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import type { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import WebSocket from 'ws';
import type { Browser, Page } from 'playwright';
import { startMoto, type MotoServer } from '../support/moto.js';
import { startFaultProxy, type FaultProxy } from '../support/fault-proxy.js';
import { seedOrganization, type SeededOrganization } from '../support/seed-org.js';
import { writeTestAwsConfig } from '../support/aws-test-config.js';
import { assertRendererBuilt, launchChromium, RENDERER_DIR } from '../support/browser.js';
import { ContractClient } from '../support/contract-client.js';
import {
  closeFrame,
  frame,
  OPCODE,
  rawWebSocket,
  readFor,
  tcpConnect,
  upgradeRequest,
} from '../support/raw-websocket.js';
import { OrgConnectService } from '../../main/core/service.js';
import { startBrowserHost, type BrowserHost } from '../../main/serve/browser-host.js';
import { MAX_SOCKETS } from '../../main/serve/connection-limits.js';
import { channels, type Result } from '../../preload/contract.js';
import { handshakeProtocols } from '../../preload/ws-handshake.js';

const EXTERNAL_ID = 'cz-attack-test-51c2';
/** Growth of this process's RSS (host, moto clients, test) allowed over the whole suite. */
const RSS_GROWTH_LIMIT = 256 * 1024 * 1024;

function value<T>(result: Result<unknown>): T {
  assert.equal(result.ok, true, JSON.stringify(result));
  return (result as { value: T }).value;
}

function closed(socket: Socket): Promise<void> {
  return new Promise((resolve) => {
    if (socket.destroyed) return resolve();
    socket.once('close', () => resolve());
  });
}

describe('orgconnect serve survives hostile local clients', () => {
  let moto: MotoServer;
  let proxy: FaultProxy;
  let seeded: SeededOrganization;
  let host: BrowserHost;
  let token: string;
  let origin: string;
  let browser: Browser;
  let page: Page;
  let deployer: ContractClient;
  let runId: string;
  let rssBaseline: number;
  const logged: string[] = [];
  const cookiesSet: string[] = [];

  before(async () => {
    assertRendererBuilt();
    moto = await startMoto();
    seeded = await seedOrganization({ endpoint: moto.url, accounts: 8, depth: 1, branching: 2, seed: 21 });
    // One account at a time, each over a second: the deploy is still running while the attacks begin.
    proxy = await startFaultProxy({ target: moto.url, seed: 5, latencyMs: { CreateStack: 900 } });
    const files = writeTestAwsConfig(proxy.url);
    host = await startBrowserHost({
      rendererDir: RENDERER_DIR,
      service: new OrgConnectService({
        env: files.env,
        dataDir: mkdtempSync(path.join(tmpdir(), 'orgconnect-attacks-')),
      }),
      log: (line) => logged.push(line),
    });
    token = new URL(host.url).searchParams.get('token') ?? '';
    origin = `http://127.0.0.1:${host.port}`;
    browser = await launchChromium();
    page = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
    page.setDefaultTimeout(30_000);
    page.on('response', (response) => {
      const cookie = response.headers()['set-cookie'];
      if (cookie !== undefined) cookiesSet.push(`${response.url()}: ${cookie}`);
    });
    deployer = await ContractClient.open(
      `ws://127.0.0.1:${host.port}/ws`,
      { origin },
      handshakeProtocols(token),
    );
    rssBaseline = process.memoryUsage().rss;
  });
  after(async () => {
    deployer?.close();
    await browser?.close();
    await host?.close();
    await proxy?.stop();
    await moto?.stop();
  });

  /** Chromium's page reloaded: the app renders and, with the token it kept, gets an answer over its own socket. */
  const pageWorks = async () => {
    await page.reload();
    await page.locator('#root > *').first().waitFor();
    assert.ok(!page.url().includes(token));
    // A string: this project type-checks without the DOM library.
    const answered = await page.evaluate(`new Promise((resolve) => {
      const kept = sessionStorage.getItem('orgconnect.token') ?? '';
      const ws = new WebSocket('ws://' + location.host + '/ws', ['orgconnect.v1', 'orgconnect.token.' + kept]);
      ws.onopen = () => ws.send(JSON.stringify({ id: 1, channel: 'runs.list', payload: {} }));
      ws.onmessage = (message) => {
        const reply = JSON.parse(String(message.data));
        if (reply.kind === 'reply') {
          ws.close();
          resolve(reply.ok === true);
        }
      };
      ws.onclose = () => resolve(false);
    })`);
    assert.equal(answered, true, 'the page got an answer over the WebSocket');
  };

  /** What must hold after every attack. */
  const hostStillServes = async (attack: string) => {
    assert.equal(
      (await deployer.call('runs.list', {})).ok,
      true,
      `${attack}: the open client still gets answers`,
    );
    const fresh = await ContractClient.open(
      `ws://127.0.0.1:${host.port}/ws`,
      { origin },
      handshakeProtocols(token),
    );
    assert.equal((await fresh.call('profiles.list', {})).ok, true, `${attack}: a new client connects`);
    fresh.close();
    await pageWorks();
    const growth = process.memoryUsage().rss - rssBaseline;
    assert.ok(growth < RSS_GROWTH_LIMIT, `${attack}: RSS grew by ${Math.round(growth / 1048576)} MiB`);
  };

  test('the page takes its token from the URL, removes it, and no response sets a cookie', async () => {
    await page.goto(host.url);
    await page.locator('#root > *').first().waitFor();
    const href = await page.evaluate('window.location.href');
    assert.equal(href, `${origin}/`);
    assert.ok(!String(await page.evaluate('JSON.stringify(history.state)')).includes(token));
    assert.deepEqual(await page.context().cookies(), []);
    await pageWorks();
    assert.deepEqual(cookiesSet, []);
  });

  test('a deploy is in flight when the attacks begin', async () => {
    const planned = channels['plan.create'].response.parse(
      value(
        await deployer.call('plan.create', { profile: 'emulator', request: { externalId: EXTERNAL_ID } }),
      ),
    );
    ({ runId } = channels['deploy.start'].response.parse(
      value(await deployer.call('deploy.start', { planId: planned.planId, concurrency: 1 })),
    ));
    await deployer.waitFor((e) => e.type === 'run-event' && e.runId === runId);
    assert.ok(!deployer.events.some((e) => e.type === 'run-event' && e.event.type === 'run-finished'));
  });

  const rawAttacks: Record<string, () => Promise<void>> = {
    'an upgrade without token or Origin, then a TCP reset (3 times, at once and after the answer)':
      async () => {
        for (let round = 0; round < 3; round += 1) {
          const now = await tcpConnect(host.port);
          now.on('error', () => undefined);
          now.write(upgradeRequest(host.port, {}));
          now.resetAndDestroy();
          const later = await tcpConnect(host.port);
          later.on('error', () => undefined);
          later.write(upgradeRequest(host.port, {}));
          await new Promise((resolve) => setTimeout(resolve, 20));
          later.resetAndDestroy();
        }
      },
    'an upgrade with a foreign Origin and a wrong token, reset mid-answer': async () => {
      const socket = await tcpConnect(host.port);
      socket.on('error', () => undefined);
      socket.write(
        upgradeRequest(host.port, {
          Origin: 'http://evil.example',
          'Sec-WebSocket-Protocol': handshakeProtocols('not-the-token').join(', '),
        }),
      );
      socket.resetAndDestroy();
    },
    'a malformed WebSocket handshake (bad version and key) from our Origin with the token': async () => {
      const socket = await tcpConnect(host.port);
      socket.on('error', () => undefined);
      socket.write(
        upgradeRequest(host.port, {
          Origin: origin,
          'Sec-WebSocket-Protocol': handshakeProtocols(token).join(', '),
        })
          .replace('Sec-WebSocket-Version: 13', 'Sec-WebSocket-Version: 99')
          .replace(/Sec-WebSocket-Key: \S+/, 'Sec-WebSocket-Key: short'),
      );
      assert.match(await readFor(socket, 2000), /^HTTP\/1\.1 400/);
    },
    'garbage instead of HTTP': async () => {
      const socket = await tcpConnect(host.port);
      socket.on('error', () => undefined);
      socket.write('\x16\x03\x01 this is not HTTP at all\r\n\r\n');
      assert.match(await readFor(socket, 2000), /^HTTP\/1\.1 400/);
    },
    'headers past what node:http allows, reset before the answer': async () => {
      const socket = await tcpConnect(host.port);
      socket.on('error', () => undefined);
      socket.write(
        `GET / HTTP/1.1\r\nHost: 127.0.0.1:${host.port}\r\nX-Big: ${'a'.repeat(64 * 1024)}\r\n\r\n`,
      );
      socket.resetAndDestroy();
    },
    'half a request, then a reset': async () => {
      const socket = await tcpConnect(host.port);
      socket.on('error', () => undefined);
      socket.write(`GET /ws HTTP/1.1\r\nHost: 127.0.0.1:${host.port}\r\nUpgr`);
      await new Promise((resolve) => setTimeout(resolve, 20));
      socket.resetAndDestroy();
    },
    '200 connections that send nothing, then vanish': async () => {
      const sockets = await Promise.all(Array.from({ length: 200 }, () => tcpConnect(host.port)));
      for (const socket of sockets) {
        socket.on('error', () => undefined);
        socket.resetAndDestroy();
      }
    },
  };

  const authenticated = () =>
    rawWebSocket(host.port, {
      Origin: origin,
      'Sec-WebSocket-Protocol': handshakeProtocols(token).join(', '),
    });
  const protocolErrors: Record<string, Buffer> = {
    'a frame over the size limit (2 MiB announced)': frame({
      opcode: OPCODE.text,
      declaredLength: 2 * 1024 * 1024,
    }),
    'invalid UTF-8 in a text frame': frame({ opcode: OPCODE.text, payload: Buffer.from([0xc3, 0x28, 0xff]) }),
    'an unmasked frame': frame({ opcode: OPCODE.text, payload: Buffer.from('{}'), masked: false }),
    'an unknown opcode': frame({ opcode: OPCODE.reserved, payload: Buffer.from('x') }),
    'RSV1 set without an extension': frame({ opcode: OPCODE.text, payload: Buffer.from('{}'), rsv1: true }),
    'a fragmented ping': frame({ opcode: OPCODE.ping, payload: Buffer.from('p'), fin: false }),
    'close code 999': closeFrame(999),
    'a binary frame': frame({ opcode: OPCODE.binary, payload: Buffer.from([1, 2, 3]) }),
  };
  const wsAttacks: Record<string, () => Promise<void>> = {};
  for (const [name, bytes] of Object.entries(protocolErrors)) {
    wsAttacks[`authenticated: ${name}; the host closes that connection`] = async () => {
      const socket = await authenticated();
      socket.write(bytes);
      // The host's close frame (opcode 8) comes first; a binary frame gets a polite close that waits for ours.
      const reply = await readFor(socket, 5000, true);
      assert.equal(reply.charCodeAt(0), 0x88, `${name}: the host sent a close frame`);
      socket.end(closeFrame(1000));
      await closed(socket);
    };
    wsAttacks[`authenticated: ${name}, then a TCP reset at once`] = async () => {
      const socket = await authenticated();
      socket.write(bytes);
      socket.resetAndDestroy();
    };
  }
  Object.assign(wsAttacks, {
    'authenticated: half a frame, then a reset': async () => {
      const socket = await authenticated();
      socket.write(
        frame({ opcode: OPCODE.text, payload: Buffer.from('{"id":1,"channel":"runs.list"}') }).subarray(0, 9),
      );
      socket.resetAndDestroy();
    },
    'authenticated: a flood of 2000 requests is cut off (1008), not queued': async () => {
      const ws = new WebSocket(`ws://127.0.0.1:${host.port}/ws`, handshakeProtocols(token), {
        headers: { origin },
      });
      ws.on('error', () => undefined);
      await new Promise((resolve) => ws.once('open', resolve));
      const code = new Promise<number>((resolve) => ws.once('close', (c) => resolve(c)));
      const request = JSON.stringify({ id: 1, channel: 'runs.list', payload: {} });
      for (let i = 0; i < 2000; i += 1) ws.send(request);
      assert.equal(await code, 1008);
    },
    'authenticated: a stream of 1 MiB requests is cut off (1008) by the byte budget': async () => {
      const ws = new WebSocket(`ws://127.0.0.1:${host.port}/ws`, handshakeProtocols(token), {
        headers: { origin },
      });
      ws.on('error', () => undefined);
      await new Promise((resolve) => ws.once('open', resolve));
      const code = new Promise<number>((resolve) => ws.once('close', (c) => resolve(c)));
      const big = JSON.stringify({
        id: 1,
        channel: 'runs.get',
        payload: { runId: 'x'.repeat(1024 * 1024 - 100) },
      });
      // One after another, each written before the next, so this test's own memory stays small.
      for (let i = 0; i < 300 && ws.readyState === ws.OPEN; i += 1) {
        await Promise.race([new Promise<void>((resolve) => ws.send(big, () => resolve())), code]);
      }
      assert.equal(await code, 1008);
    },
    [`authenticated: more than ${MAX_SOCKETS} sockets at once; the rest are refused with 503`]: async () => {
      const open: WebSocket[] = [];
      let refused = 0;
      for (let i = 0; i < MAX_SOCKETS + 4; i += 1) {
        const ws = new WebSocket(`ws://127.0.0.1:${host.port}/ws`, handshakeProtocols(token), {
          headers: { origin },
        });
        const outcome = await new Promise<'open' | 'refused'>((resolve) => {
          ws.once('open', () => resolve('open'));
          ws.once('unexpected-response', (_request, response) => {
            assert.equal(response.statusCode, 503);
            resolve('refused');
          });
          ws.once('error', () => resolve('refused'));
        });
        if (outcome === 'open') open.push(ws);
        else refused += 1;
      }
      // Two sockets are already ours (the deploying client, the page's app).
      assert.ok(refused >= 4, `${refused} refused`);
      for (const ws of open) ws.close();
      await Promise.all(open.map((ws) => new Promise((resolve) => ws.once('close', resolve))));
    },
  });

  for (const [name, attack] of Object.entries({ ...rawAttacks, ...wsAttacks })) {
    test(`survives ${name}`, async () => {
      await attack();
      await hostStillServes(name);
    });
  }

  test('the deploy started before the attacks connects every account', async () => {
    const finished = await deployer.waitFor(
      (e) => e.type === 'run-event' && e.runId === runId && e.event.type === 'run-finished',
      120_000,
    );
    assert.ok(
      finished.type === 'run-event' && finished.counts.connected === seeded.accounts.length,
      JSON.stringify(finished),
    );
  });

  test('each dropped connection was logged on one line, never with the token; no response set a cookie', () => {
    assert.ok(logged.length > 10, `${logged.length} lines`);
    for (const line of logged) {
      assert.ok(!line.includes(token), line);
      assert.ok(!line.includes('\n'), line);
    }
    assert.ok(logged.some((line) => /refused a WebSocket upgrade: foreign or missing Origin/.test(line)));
    assert.deepEqual(cookiesSet, []);
  });
});
