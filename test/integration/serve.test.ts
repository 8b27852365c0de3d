// `orgconnect serve` against moto: the browser host's guards (token, Host, Origin) and the contract over its
// WebSocket — profiles, discovery of a seeded Organization, a plan, and a real deploy whose progress arrives
// as events. Also the real CLI child: it prints the tokened URL and stops cleanly on SIGINT.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { request as httpRequest } from 'node:http';
import { mkdtempSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import WebSocket from 'ws';
import { startMoto, type MotoServer } from '../support/moto.js';
import { seedOrganization, type SeededOrganization } from '../support/seed-org.js';
import { writeTestAwsConfig, type TestAwsFiles } from '../support/aws-test-config.js';
import { assertBuilt, ORGCONNECT_BIN } from '../support/run-cli.js';
import { OrgConnectService } from '../../main/core/service.js';
import { startBrowserHost, type BrowserHost } from '../../main/serve/browser-host.js';
import { RENDERER_CSP } from '../../main/serve/security-headers.js';
import {
  channels,
  hostEventSchema,
  type HostEvent,
  type OrgConnectApi,
  type Result,
} from '../../preload/contract.js';

const EXTERNAL_ID = 'cz-serve-test-9b1d';
const PAGE = '<!doctype html><title>orgconnect test page</title><div id="root"></div>';

interface HttpReply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** node:http rather than fetch: fetch will not send a forged Host header. */
function get(
  port: number,
  urlPath: string,
  headers: Record<string, string> = {},
  method = 'GET',
): Promise<HttpReply> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, path: urlPath, method, headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** A WebSocket client that speaks the contract: call() for requests, events collected as they come. */
class ContractClient {
  readonly events: HostEvent[] = [];
  private nextId = 1;
  private readonly pending = new Map<number, (result: Result<unknown>) => void>();
  private readonly waiters = new Set<() => void>();

  private constructor(private readonly ws: WebSocket) {
    ws.on('message', (data) => {
      const message = JSON.parse(data.toString()) as {
        kind: string;
        id?: number;
        event?: unknown;
      } & Result<unknown>;
      if (message.kind === 'event') {
        this.events.push(hostEventSchema.parse(message.event));
        for (const wake of this.waiters) wake();
      } else if (message.id !== undefined) {
        this.pending.get(message.id)?.(message);
        this.pending.delete(message.id);
      }
    });
  }

  static open(url: string, headers: Record<string, string>): Promise<ContractClient> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url, { headers });
      ws.once('open', () => resolve(new ContractClient(ws)));
      ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
      ws.once('error', reject);
    });
  }

  call(channel: string, payload: unknown): Promise<Result<unknown>> {
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.pending.set(id, resolve);
      this.ws.send(JSON.stringify({ id, channel, payload }));
    });
  }

  async waitFor(predicate: (event: HostEvent) => boolean, timeoutMs = 30_000): Promise<HostEvent> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.events.find(predicate);
      if (found) return found;
      if (Date.now() > deadline) throw new Error('event did not arrive');
      await new Promise<void>((resolve) => {
        const wake = () => {
          this.waiters.delete(wake);
          resolve();
        };
        this.waiters.add(wake);
        setTimeout(wake, 200);
      });
    }
  }

  close(): void {
    this.ws.close();
  }
}

function value<T>(result: Result<unknown>): T {
  assert.equal(result.ok, true, JSON.stringify(result));
  return (result as { value: T }).value;
}

describe('orgconnect serve (browser host) against an emulated Organization', () => {
  let moto: MotoServer;
  let seeded: SeededOrganization;
  let files: TestAwsFiles;
  let host: BrowserHost;
  let token: string;
  let origin: string;
  let dataDir: string;

  before(async () => {
    moto = await startMoto();
    seeded = await seedOrganization({ endpoint: moto.url, accounts: 4, depth: 1, branching: 2 });
    files = writeTestAwsConfig(moto.url);
    const work = mkdtempSync(path.join(tmpdir(), 'orgconnect-serve-'));
    const rendererDir = path.join(work, 'renderer');
    mkdirSync(path.join(rendererDir, 'assets'), { recursive: true });
    writeFileSync(path.join(rendererDir, 'index.html'), PAGE);
    writeFileSync(path.join(rendererDir, 'assets', 'app.js'), 'console.log("app")');
    writeFileSync(path.join(work, 'outside.txt'), 'must not be served');
    dataDir = path.join(work, 'data');
    host = await startBrowserHost({
      rendererDir,
      service: new OrgConnectService({ env: files.env, dataDir }),
    });
    token = new URL(host.url).searchParams.get('token') ?? '';
    origin = `http://127.0.0.1:${host.port}`;
  });
  after(async () => {
    await host?.close();
    await moto?.stop();
  });

  test('the URL carries a random 32-byte base64url token and names 127.0.0.1', () => {
    assert.match(host.url, /^http:\/\/127\.0\.0\.1:\d+\/\?token=[A-Za-z0-9_-]{43}$/);
  });

  test('no token, a wrong token or a foreign Host → 403; the right token → 200, the page, the cookie and the headers', async () => {
    const hostHeader = { host: `127.0.0.1:${host.port}` };
    assert.equal((await get(host.port, '/', hostHeader)).status, 403);
    assert.equal((await get(host.port, '/?token=wrong', hostHeader)).status, 403);
    assert.equal((await get(host.port, `/?token=${token}x`, hostHeader)).status, 403);
    assert.equal(
      (await get(host.port, '/', { ...hostHeader, cookie: `orgconnect_token_${host.port}=nope` })).status,
      403,
    );
    // DNS rebinding: the right token, but the page was reached through another name.
    assert.equal(
      (await get(host.port, `/?token=${token}`, { host: `evil.example:${host.port}` })).status,
      403,
    );
    assert.equal((await get(host.port, `/?token=${token}`, { host: `127.0.0.1:1` })).status, 403);

    const ok = await get(host.port, `/?token=${token}`, hostHeader);
    assert.equal(ok.status, 200);
    assert.equal(ok.body, PAGE);
    const cookie = String(ok.headers['set-cookie']);
    assert.match(
      cookie,
      new RegExp(`^orgconnect_token_${host.port}=${token}; HttpOnly; SameSite=Strict; Path=/$`),
    );
    assert.equal(ok.headers['content-security-policy'], RENDERER_CSP);
    assert.equal(ok.headers['x-content-type-options'], 'nosniff');
    assert.equal(ok.headers['referrer-policy'], 'no-referrer');
    assert.equal(ok.headers['x-frame-options'], 'DENY');

    // The page's later requests carry the cookie; localhost is the same machine's other name.
    const asset = await get(host.port, '/assets/app.js', {
      host: `localhost:${host.port}`,
      cookie: `other=1; orgconnect_token_${host.port}=${token}`,
    });
    assert.equal(asset.status, 200);
    assert.match(String(asset.headers['content-type']), /^text\/javascript/);
    // Nothing outside the renderer folder, however the path is spelled.
    for (const escape of ['/../outside.txt', '/%2e%2e/outside.txt', '/assets/..%2f..%2foutside.txt']) {
      const reply = await get(host.port, `${escape}?token=${token}`, hostHeader);
      assert.equal(reply.status, 404, escape);
    }
    // A non-GET needs our Origin even with the token.
    assert.equal(
      (await get(host.port, `/?token=${token}`, { ...hostHeader, origin: 'http://evil.example' }, 'POST'))
        .status,
      403,
    );
  });

  test('the served CSP is exactly the one renderer/index.html declares', () => {
    const html = readFileSync(path.resolve(import.meta.dirname, '../../renderer/index.html'), 'utf8');
    const meta = /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(html);
    assert.equal(meta?.[1], RENDERER_CSP);
  });

  test('the WebSocket refuses a foreign Origin, a missing Origin, no token and a foreign Host', async () => {
    const wsUrl = `ws://127.0.0.1:${host.port}/ws`;
    const cookie = `orgconnect_token_${host.port}=${token}`;
    await assert.rejects(
      ContractClient.open(wsUrl, { cookie, origin: 'http://evil.example' }),
      /HTTP 403|socket hang up|ECONNRESET/,
    );
    await assert.rejects(
      ContractClient.open(wsUrl, { cookie, origin: `http://localhost:${host.port}` }),
      /403|hang up|ECONNRESET/,
    );
    await assert.rejects(ContractClient.open(wsUrl, { cookie }), /403|hang up|ECONNRESET/);
    await assert.rejects(ContractClient.open(wsUrl, { origin }), /403|hang up|ECONNRESET/);
    await assert.rejects(
      ContractClient.open(`${wsUrl}?token=${token}`, {
        origin: 'http://evil.example:80',
        host: `evil.example:${host.port}`,
      }),
      /403|hang up|ECONNRESET/,
    );
    // The token in the query works as well as the cookie.
    const viaQuery = await ContractClient.open(`${wsUrl}?token=${token}`, { origin });
    viaQuery.close();
  });

  test('over the WebSocket: profiles, discovery, a plan, and a deploy whose progress arrives as events', async () => {
    const client = await ContractClient.open(`ws://127.0.0.1:${host.port}/ws`, {
      origin,
      cookie: `orgconnect_token_${host.port}=${token}`,
    });
    try {
      const profiles = channels['profiles.list'].response.parse(
        value(await client.call('profiles.list', {})),
      );
      assert.deepEqual(profiles.profiles.map((p) => p.name).sort(), ['emulator', 'no-such-endpoint']);
      // The UI's sandbox label: only when the host was started as the demo's sandbox.
      assert.equal(profiles.sandbox, false);
      process.env['ORGCONNECT_SANDBOX'] = '1';
      try {
        const sandboxed = channels['profiles.list'].response.parse(
          value(await client.call('profiles.list', {})),
        );
        assert.equal(sandboxed.sandbox, true);
      } finally {
        delete process.env['ORGCONNECT_SANDBOX'];
      }

      const snapshot = channels['org.discover'].response.parse(
        value(await client.call('org.discover', { profile: 'emulator' })),
      );
      assert.equal(snapshot.organization.id, seeded.organizationId);
      assert.deepEqual(snapshot.accounts.map((a) => a.id).sort(), seeded.accounts.map((a) => a.id).sort());
      assert.ok(client.events.some((e) => e.type === 'discovery-progress' && e.phase === 'done'));

      const invalid = await client.call('plan.create', { profile: 'emulator', request: { externalId: 'x' } });
      assert.ok(!invalid.ok && invalid.error.code === 'INVALID_REQUEST');

      const planned = channels['plan.create'].response.parse(
        value(
          await client.call('plan.create', { profile: 'emulator', request: { externalId: EXTERNAL_ID } }),
        ),
      );
      assert.equal(planned.organizationId, seeded.organizationId);
      assert.equal(planned.plan.items.length, seeded.accounts.length);
      assert.equal(planned.plan.counts.create, seeded.accounts.length);
      const billing = planned.plan.items.filter((item) => item.kind === 'billing');
      assert.deepEqual(
        billing.map((item) => item.accountId),
        [seeded.managementAccountId],
      );
      const preflight = client.events.filter((e) => e.type === 'preflight-progress');
      assert.equal(preflight.length, seeded.accounts.length);

      const templates = channels['templates.get'].response.parse(
        value(await client.call('templates.get', {})),
      );
      assert.match(templates.billing.body, /AWSTemplateFormatVersion/);
      assert.match(templates.resource.body, /AWS::IAM::Role/);

      const { runId } = channels['deploy.start'].response.parse(
        value(await client.call('deploy.start', { planId: planned.planId, concurrency: 4 })),
      );
      // The plan is spent: a second click does not deploy twice.
      const again = await client.call('deploy.start', { planId: planned.planId });
      assert.ok(!again.ok && again.error.code === 'PLAN_NOT_FOUND');

      const finished = await client.waitFor(
        (e) => e.type === 'run-event' && e.runId === runId && e.event.type === 'run-finished',
      );
      assert.ok(
        finished.type === 'run-event' && finished.counts.connected === seeded.accounts.length,
        JSON.stringify(finished),
      );
      const state = channels['runs.get'].response.parse(value(await client.call('runs.get', { runId })));
      assert.equal(state.status, 'finished');
      assert.ok(state.accounts.every((a) => a.state === 'connected'));
      const listed = channels['runs.list'].response.parse(value(await client.call('runs.list', {})));
      assert.deepEqual(
        listed.map((run) => run.runId),
        [runId],
      );
      assert.ok(!JSON.stringify(listed).includes(dataDir), 'journal paths stay on the host');

      // Nothing that crossed the wire carries the External ID except where the user typed it.
      assert.ok(!JSON.stringify(client.events).includes(EXTERNAL_ID));
      assert.ok(!JSON.stringify(state).includes(EXTERNAL_ID));
    } finally {
      client.close();
    }
  });

  test("the renderer's WebSocket bridge speaks the contract to the real host", async () => {
    // The bridge is browser code (renderer project); load it by URL so this project's type-check stays apart.
    const bridgeUrl = pathToFileURL(
      path.resolve(import.meta.dirname, '../../renderer/src/bridge/ws-bridge.ts'),
    );
    const { createWebSocketApi } = (await import(bridgeUrl.href)) as {
      createWebSocketApi: (url: string) => OrgConnectApi;
    };
    const cookie = `orgconnect_token_${host.port}=${token}`;
    // What the browser adds to the handshake by itself: our Origin and the HttpOnly cookie.
    class BrowserLikeWebSocket extends WebSocket {
      constructor(url: string) {
        super(url, { headers: { origin, cookie } });
      }
    }
    const globals = globalThis as { WebSocket?: unknown };
    const previous = globals.WebSocket;
    globals.WebSocket = BrowserLikeWebSocket;
    try {
      const api = createWebSocketApi(`ws://127.0.0.1:${host.port}/ws`);
      const seen: HostEvent[] = [];
      const unsubscribe = api.onEvent((event) => seen.push(event));
      const profiles = await api.profiles.list();
      // Type level: a channel with required fields cannot be called without them (tsc -b checks this).
      // @ts-expect-error whoami needs a profile
      const _untyped = () => api.identity.whoami();
      assert.ok(profiles.profiles.some((p) => p.name === 'emulator'));
      const identity = await api.identity.whoami({ profile: 'emulator' });
      assert.equal(identity.accountId, seeded.managementAccountId);
      assert.equal(identity.isManagementAccount, true);
      await api.org.discover({ profile: 'emulator' });
      assert.ok(seen.some((event) => event.type === 'discovery-progress'));
      await assert.rejects(api.runs.get({ runId: '../x' }), (error: Error & { code?: string }) => {
        assert.equal(error.name, 'OrgConnectUiError');
        assert.equal(error.code, 'INVALID_REQUEST');
        return true;
      });
      unsubscribe();
    } finally {
      globals.WebSocket = previous;
    }
  });

  test('a malformed frame closes that socket; the host keeps serving others', async () => {
    const headers = { origin, cookie: `orgconnect_token_${host.port}=${token}` };
    const ws = new WebSocket(`ws://127.0.0.1:${host.port}/ws`, { headers });
    await new Promise((resolve) => ws.once('open', resolve));
    const closed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));
    ws.send('not json');
    assert.equal(await closed, 1008);
    const client = await ContractClient.open(`ws://127.0.0.1:${host.port}/ws`, headers);
    assert.equal((await client.call('runs.list', {})).ok, true);
    client.close();
  });
});

describe('the real `orgconnect serve` process', () => {
  test('prints the URL with its token on stdout, guards it, and exits 0 on SIGINT', async () => {
    assertBuilt();
    const files = writeTestAwsConfig('http://127.0.0.1:9');
    const child = spawn(
      process.execPath,
      [ORGCONNECT_BIN, 'serve', '--data-dir', mkdtempSync(path.join(tmpdir(), 'oc-'))],
      {
        env: files.env,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let out = '';
        child.stdout.on('data', (chunk: Buffer) => {
          out += chunk.toString();
          const match = /http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]+/.exec(out);
          if (match) resolve(match[0]);
        });
        setTimeout(() => reject(new Error(`no URL printed: ${out}`)), 15_000).unref();
      });
      const port = Number(new URL(url).port);
      assert.equal((await get(port, '/', { host: `127.0.0.1:${port}` })).status, 403);
      const withToken = await get(port, new URL(url).pathname + new URL(url).search, {
        host: `127.0.0.1:${port}`,
      });
      assert.notEqual(withToken.status, 403);
      child.kill('SIGINT');
      assert.equal(await exited, 0);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });
});
